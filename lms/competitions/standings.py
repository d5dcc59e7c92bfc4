"""The competition's standings, read at request time in a fixed number of statements whatever the number of
people: the taking teams' members, the best assessment call per person and scenario, the graded exam
attempts; scored by lms.competitions.scoring and cached until a result changes (lms.generations)."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from lms.accounts.models import Team, User
from lms.calls.models import CallAttempt, CallMode, CallStatus, ScenarioVersion
from lms.calls.models import Scenario as CallScenario
from lms.competitions.models import Competition, competition_scenarios, competition_teams
from lms.competitions.scoring import Member, PersonScore, TeamScore, person_scores, team_scores
from lms.db import db, utcnow
from lms.exams.models import Attempt, AttemptStatus, Exam, ExamVersion
from lms.exams.review import release_policy
from lms.generations import cached_results
from lms.timeutil import local_zone


@dataclass(frozen=True)
class Item:
    key: tuple  # ("call", scenario id) | ("exam", exam id)
    title: str


@dataclass(frozen=True)
class Standings:
    items: list[Item]
    people: list[PersonScore]
    teams: list[TeamScore]
    team_names: dict


def window(competition: Competition) -> tuple[datetime, datetime]:
    """The window's first and last moments (UTC): from the start day's midnight to the end day's end."""
    zone = local_zone()
    start = datetime.combine(competition.starts_on, time.min, tzinfo=zone)
    end = datetime.combine(competition.ends_on + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _items(competition_id: int) -> list[Item]:
    calls = db.session.execute(
        select(CallScenario.id, ScenarioVersion.title)
        .join(competition_scenarios, competition_scenarios.c.scenario_id == CallScenario.id)
        .join(ScenarioVersion, (ScenarioVersion.scenario_id == CallScenario.id)
              & (ScenarioVersion.number == CallScenario.current_number), isouter=True)
        .where(competition_scenarios.c.competition_id == competition_id).order_by(CallScenario.id)).all()
    exam = db.session.execute(
        select(Exam.id, ExamVersion.title).join(Competition, Competition.exam_id == Exam.id)
        .join(ExamVersion, ExamVersion.id == Exam.current_version_id, isouter=True)
        .where(Competition.id == competition_id)).first()
    items = [Item(("call", sid), title or "") for sid, title in calls]
    return items + ([Item(("exam", exam[0]), exam[1] or "")] if exam else [])


def _members(competition_id: int) -> list[Member]:
    rows = db.session.execute(
        select(User.id, User.name, User.team_id)
        .join(competition_teams, competition_teams.c.team_id == User.team_id)
        .where(competition_teams.c.competition_id == competition_id, User.is_active.is_(True))
        .order_by(User.id)).all()
    return [Member(*row) for row in rows]


def _taking(competition_id: int):
    return select(User.id).join(competition_teams, competition_teams.c.team_id == User.team_id).where(
        competition_teams.c.competition_id == competition_id)


def _call_results(competition: Competition, start: datetime, end: datetime) -> list[tuple]:
    rows = db.session.execute(
        select(CallAttempt.user_id, CallAttempt.scenario_id, func.max(CallAttempt.percent))
        .join(competition_scenarios, competition_scenarios.c.scenario_id == CallAttempt.scenario_id)
        .where(competition_scenarios.c.competition_id == competition.id, CallAttempt.mode == CallMode.ASSESSMENT,
               CallAttempt.status == CallStatus.FINISHED, CallAttempt.percent.is_not(None),
               CallAttempt.started_at >= start, CallAttempt.finished_at < end,
               CallAttempt.user_id.in_(_taking(competition.id)))
        .group_by(CallAttempt.user_id, CallAttempt.scenario_id)).all()
    return [(user_id, ("call", scenario_id), float(percent)) for user_id, scenario_id, percent in rows]


def _exam_results(competition: Competition, start: datetime, end: datetime) -> list[tuple]:
    """Graded attempts of the exam inside the window whose marks the exam's review setting lets learners see
    (lms.exams.review.release_policy): a result still held back counts once it is released."""
    if competition.exam_id is None:
        return []
    rows = db.session.execute(
        select(Attempt.user_id, Attempt.percent, ExamVersion.settings, Exam.results_released_at)
        .join(ExamVersion, ExamVersion.id == Attempt.exam_version_id).join(Exam, Exam.id == Attempt.exam_id)
        .where(Attempt.exam_id == competition.exam_id, Attempt.status == AttemptStatus.GRADED,
               Attempt.percent.is_not(None), Attempt.started_at >= start, Attempt.submitted_at < end,
               Attempt.user_id.in_(_taking(competition.id)))).all()
    now = utcnow()
    return [(user_id, ("exam", competition.exam_id), float(percent)) for user_id, percent, settings, released in rows
            if release_policy(AttemptStatus.GRADED, settings or {}, released, now).show_marks]


def build_standings(competition: Competition) -> Standings:
    start, end = window(competition)
    items = _items(competition.id)
    members = _members(competition.id)
    teams = db.session.execute(select(Team.id, Team.name).join(competition_teams, competition_teams.c.team_id == Team.id)
                               .where(competition_teams.c.competition_id == competition.id)
                               .order_by(Team.name)).all()
    results = _call_results(competition, start, end) + _exam_results(competition, start, end)
    people = person_scores([i.key for i in items], members, results)
    return Standings(items, people, team_scores([tuple(t) for t in teams], people), {t[0]: t[1] for t in teams})


def standings(competition: Competition) -> Standings:
    """The standings, cached while no result changes (and by the minute, for the window's clock)."""
    return cached_results(("competition standings", competition.id), lambda: build_standings(competition))
