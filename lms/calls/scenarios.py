"""Reading scenarios: the version learners play, its compiled definition and the scores of its endings
(worked out once per version and process), and the list of scenarios with a learner's results."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, select

from lms.accounts.models import User
from lms.calls import engine
from lms.calls.channels import Channel, channel_named
from lms.calls.definition import DEFAULT_DIFFICULTY, DEFAULT_PASS_MARK, compile_scenario
from lms.calls.models import CallAttempt, CallMode, Scenario, ScenarioVersion
from lms.calls.paths import end_extremes
from lms.courses.models import Course
from lms.db import RowNotFound, db


def current_version(scenario: Scenario) -> ScenarioVersion | None:
    """The version learners play now."""
    return db.session.scalar(select(ScenarioVersion).where(ScenarioVersion.scenario_id == scenario.id,
                                                           ScenarioVersion.number == scenario.current_number))


def _with_current_version():
    return select(Scenario, ScenarioVersion).join(ScenarioVersion, and_(
        ScenarioVersion.scenario_id == Scenario.id, ScenarioVersion.number == Scenario.current_number))


def get_scenario(slug: str) -> tuple[Scenario, ScenarioVersion] | None:
    """The scenario and its current version, or None."""
    row = db.session.execute(_with_current_version().where(Scenario.slug == slug)).first()
    return (row[0], row[1]) if row else None


def require_scenario(slug: str) -> tuple[Scenario, ScenarioVersion]:
    """The scenario and its current version, or RowNotFound (a page answers 404)."""
    found = get_scenario(slug)
    if found is None:
        raise RowNotFound(f"no scenario {slug}")
    return found


def _cached(cache: dict, size: int, version: ScenarioVersion, make: Callable):
    # A version never changes, and its content hash names it.
    found = cache.get(version.content_hash)
    if found is None:
        if len(cache) > size:
            cache.clear()
        found = cache[version.content_hash] = make()
    return found


_COMPILED: dict[str, engine.Scenario] = {}
_EXTREMES: dict[str, dict] = {}


def compiled(version: ScenarioVersion) -> engine.Scenario:
    """The version's definition compiled (once per process)."""
    return _cached(_COMPILED, 500, version, lambda: compile_scenario(version.definition))


def endings(version: ScenarioVersion) -> dict[str, tuple[float, float, bool]]:
    """Best and worst score of the paths to each ending, and whether one passes (once per process)."""
    return _cached(_EXTREMES, 100, version, lambda: end_extremes(compiled(version)))


@dataclass
class ScenarioCard:
    scenario: Scenario
    version: ScenarioVersion
    course_code: str | None
    best: CallAttempt | None = None
    attempts: int = 0

    @property
    def channel(self) -> Channel:
        return channel_named(self.version.definition.get("channel"))

    @property
    def difficulty(self) -> int:
        return self.version.definition.get("difficulty", DEFAULT_DIFFICULTY)

    @property
    def pass_mark(self) -> int:
        return self.version.definition.get("pass_mark", DEFAULT_PASS_MARK)


def list_scenarios(user: User) -> list[ScenarioCard]:
    """Every scenario with the user's number of calls and best assessment."""
    rows = db.session.execute(
        _with_current_version().add_columns(Course.code)
        .outerjoin(Course, Course.id == Scenario.course_id).order_by(Course.code, Scenario.slug)).all()
    cards = {s.id: ScenarioCard(s, v, code) for s, v, code in rows}
    for attempt in db.session.scalars(select(CallAttempt).where(CallAttempt.user_id == user.id)):
        card = cards.get(attempt.scenario_id)
        if card is None:
            continue
        card.attempts += 1
        if attempt.mode == CallMode.ASSESSMENT and attempt.percent is not None and (
                card.best is None or attempt.percent > card.best.percent):
            card.best = attempt
    return list(cards.values())


@dataclass(frozen=True)
class CourseScenario:
    slug: str
    title: str
    channel: Channel


def course_scenarios(course_id: int) -> list[CourseScenario]:
    """The calls and written exercises that belong to a course, with their channel, in one query."""
    rows = db.session.execute(_with_current_version().where(Scenario.course_id == course_id)
                              .order_by(Scenario.slug)).all()
    return [CourseScenario(s.slug, v.title, channel_named(v.definition.get("channel"))) for s, v in rows]
