"""A learner's observed calls beside their simulated calls of the same scenario, criterion by criterion
(level 3): what the learner, their observer, a trainer or their team manager reads."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from lms.accounts.models import User
from lms.calls.models import CallAttempt, CallStatus
from lms.db import RowNotFound, db, get_row
from lms.evaluation.models import Observation, ObservationStatus
from lms.evaluation.observations import may_observe, rubric_of
from lms.evaluation.scorecard import CriterionRef

SIMULATED_CALLS_SHOWN = 3


@dataclass
class Column:
    kind: str  # observation | call
    on: date | None
    percent: float | None
    ratings: dict
    offset_days: int = 0  # an observation's day after the course or certificate
    mode: str = ""  # a call's practice | assessment
    current: bool = False
    observation_id: int | None = None
    attempt_id: int | None = None


@dataclass
class Comparison:
    observation: Observation
    learner: User
    scenario_title: str
    criteria: list[CriterionRef]
    columns: list[Column] = field(default_factory=list)
    can_calibrate: bool = False  # the viewer may score this recorded call as a second observer

    def cell(self, column: Column, criterion: CriterionRef) -> str | None:
        return column.ratings.get(criterion.id)


def visible_observation(observation_id: int, viewer: User) -> Observation:
    """A recorded observation the viewer may read: their own, or one of a learner they may observe."""
    observation = get_row(Observation, observation_id)
    own = observation.learner_id == viewer.id and observation.status == ObservationStatus.DONE
    if not own and not may_observe(viewer, observation.learner):
        raise RowNotFound(f"observation {observation_id} is not visible")
    return observation


def _observation_columns(observation: Observation) -> list[Column]:
    done = db.session.scalars(select(Observation).where(
        Observation.learner_id == observation.learner_id, Observation.scenario_id == observation.scenario_id,
        Observation.status == ObservationStatus.DONE).order_by(Observation.observed_on, Observation.id))
    return [Column("observation", o.observed_on, o.percent, o.ratings or {}, offset_days=o.offset_days,
                   current=o.id == observation.id, observation_id=o.id) for o in done]


def _call_columns(observation: Observation) -> list[Column]:
    calls = list(db.session.scalars(select(CallAttempt).where(
        CallAttempt.user_id == observation.learner_id, CallAttempt.scenario_id == observation.scenario_id,
        CallAttempt.status != CallStatus.IN_PROGRESS).order_by(CallAttempt.started_at.desc())
        .limit(SIMULATED_CALLS_SHOWN)))
    return [Column("call", a.started_at.date(), a.percent, a.criteria or {}, mode=str(a.mode), attempt_id=a.id)
            for a in reversed(calls)]


def comparison(observation_id: int, viewer: User) -> Comparison:
    observation = visible_observation(observation_id, viewer)
    version, criteria = rubric_of(observation)
    columns = _observation_columns(observation) if observation.status == ObservationStatus.DONE else []
    can_calibrate = (observation.status == ObservationStatus.DONE and observation.source_kind != "calibration"
                     and observation.observer_id != viewer.id and may_observe(viewer, observation.learner))
    return Comparison(observation, observation.learner, version.title, criteria,
                      columns + _call_columns(observation), can_calibrate)


def my_observations(user: User) -> list[tuple[Observation, str]]:
    """The learner's recorded observations, newest first, with the scenario's title."""
    from lms.calls.models import ScenarioVersion

    return list(db.session.execute(
        select(Observation, ScenarioVersion.title).join(ScenarioVersion, ScenarioVersion.id == Observation.scenario_version_id)
        .where(Observation.learner_id == user.id, Observation.status == ObservationStatus.DONE)
        .order_by(Observation.observed_on.desc(), Observation.id.desc())).all())
