"""Calibrating observers: two observers score the same real call, and their disagreement is shown per
criterion. ``compare_ratings`` is pure; the rest reads and creates the second observer's scorecard.

Ratings are ordered met > partly > missed > breached; the distance between two ratings is how many steps
apart they are (0–3). A criterion one of them did not observe is not compared."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import String, cast, select
from sqlalchemy.orm import aliased

from lms.accounts.models import User
from lms.db import RowNotFound, db, get_row
from lms.errors import DomainError
from lms.evaluation.models import Observation, ObservationStatus
from lms.evaluation.scorecard import CriterionRef, score_scorecard
from lms.timeutil import local_today

ORDER = {"met": 3, "partly": 2, "missed": 1, "breached": 0}
MAX_DISTANCE = 3
DISCUSS_FROM = 2  # a criterion two or more steps apart is one to talk through


@dataclass(frozen=True)
class CriterionDisagreement:
    criterion: CriterionRef
    first: str  # a rating, or "" when not observed
    second: str
    distance: int | None  # None: not compared

    @property
    def agree(self) -> bool | None:
        return None if self.distance is None else self.distance == 0

    @property
    def discuss(self) -> bool:
        return self.distance is not None and self.distance >= DISCUSS_FROM


@dataclass(frozen=True)
class Calibration:
    rows: tuple[CriterionDisagreement, ...]
    compared: int
    agreement: float | None  # share of compared criteria rated the same, 0–1
    mean_distance: float | None  # 0–3
    first_percent: float | None
    second_percent: float | None

    @property
    def score_gap(self) -> float | None:
        if self.first_percent is None or self.second_percent is None:
            return None
        return round(abs(self.first_percent - self.second_percent), 1)


def compare_ratings(criteria: list[CriterionRef], first: dict, second: dict) -> Calibration:
    rows = []
    for c in criteria:
        a, b = first.get(c.id) or "", second.get(c.id) or ""
        distance = abs(ORDER[a] - ORDER[b]) if a in ORDER and b in ORDER else None
        rows.append(CriterionDisagreement(c, a, b, distance))
    compared = [r.distance for r in rows if r.distance is not None]
    agreement = round(sum(1 for d in compared if d == 0) / len(compared), 3) if compared else None
    mean = round(sum(compared) / len(compared), 2) if compared else None
    return Calibration(tuple(rows), len(compared), agreement, mean, score_scorecard(criteria, first).percent,
                       score_scorecard(criteria, second).percent)


# ---------------------------------------------------------------- pairs


def start_calibration(observation_id: int, user: User) -> Observation:
    """A second scorecard of a recorded call, for this observer (not the first one)."""
    from lms.evaluation.observations import may_observe

    original = get_row(Observation, observation_id)
    if not may_observe(user, original.learner):
        raise RowNotFound(f"observation {observation_id}")
    if original.status != ObservationStatus.DONE or original.source_kind == "calibration":
        raise DomainError(_("Only a recorded observation can be scored again for calibration."))
    if original.observer_id == user.id:
        raise DomainError(_("Calibration needs a second observer: you scored this call already."))
    existing = db.session.scalar(select(Observation).where(
        Observation.source_kind == "calibration", Observation.source_key == str(original.id),
        Observation.observer_id == user.id))
    if existing is not None:
        return existing
    second = Observation(learner_id=original.learner_id, observer_id=user.id, scenario_id=original.scenario_id,
                         scenario_version_id=original.scenario_version_id, source_kind="calibration",
                         source_key=str(original.id), offset_days=0, due_on=local_today(),
                         call_reference=original.call_reference)
    db.session.add(second)
    db.session.flush()
    return second


@dataclass
class Pair:
    first: Observation
    second: Observation
    first_observer: str
    second_observer: str
    learner_name: str


def _pairs_query():
    """Recorded first scorecards joined to the recorded calibration scorecards of the same call."""
    first, second = aliased(Observation), aliased(Observation)
    o1, o2, learner = aliased(User), aliased(User), aliased(User)
    stmt = (select(first, second, o1.name, o2.name, learner.name)
            .join(second, (second.source_kind == "calibration") & (second.source_key == cast(first.id, String)))
            .join(o1, o1.id == first.observer_id).join(o2, o2.id == second.observer_id)
            .join(learner, learner.id == first.learner_id)
            .where(first.status == ObservationStatus.DONE, second.status == ObservationStatus.DONE))
    return stmt, first, second


def calibration_pairs(user: User) -> list[Pair]:
    """Recorded calibration pairs of learners this person may observe, newest first."""
    from lms.evaluation.observations import observable_filter

    stmt, first, _second = _pairs_query()
    rows = db.session.execute(stmt.where(observable_filter(user, first.learner_id))
                              .order_by(first.observed_on.desc(), first.id.desc())).all()
    return [Pair(*row) for row in rows]


def calibration_of(second_id: int, user: User) -> tuple[Pair, Calibration]:
    """One recorded pair (named by its calibration scorecard) and the disagreement per criterion."""
    from lms.evaluation.observations import observable_filter, rubric_of

    stmt, first, second = _pairs_query()
    row = db.session.execute(stmt.where(observable_filter(user, first.learner_id), second.id == second_id)).first()
    if row is None:
        raise RowNotFound(f"calibration {second_id}")
    pair = Pair(*row)
    _version, criteria = rubric_of(pair.first)
    return pair, compare_ratings(criteria, pair.first.ratings or {}, pair.second.ratings or {})
