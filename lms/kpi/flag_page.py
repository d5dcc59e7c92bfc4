"""The KPI flags page: the agents of the reader's teams whose KPIs are on the wrong side of the threshold,
and what became of earlier assignments: was the course completed, did the KPI recover afterwards."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from lms.accounts.models import Team, User
from lms.courses.models import Course, CourseVersion, Enrolment
from lms.courses.team import managed_teams
from lms.db import RowNotFound, db
from lms.kpi.charts import period_label
from lms.kpi.effect import period_start
from lms.kpi.flag_rules import recovered_after
from lms.kpi.flags import KpiFlag, kpi_flags_for, latest_values
from lms.kpi.labels import format_value
from lms.kpi.models import KpiDefinition, KpiFlagAssignment, KpiRecord
from lms.kpi.records import main_period_kind
from lms.timeutil import to_local

OUTCOMES_SHOWN = 200  # the latest assignments listed; the counts per KPI take every one


@dataclass(frozen=True)
class FlagRow:
    user_id: int
    name: str
    employee_no: str
    team: str
    flag: KpiFlag
    period: str  # the flag's period in words

    @property
    def key(self) -> str:
        return f"{self.user_id}:{self.flag.kpi_code}"  # the checkbox's value


@dataclass(frozen=True)
class Outcome:
    name: str
    kpi: str
    course: str
    assigned_on: date
    at_assignment: str
    latest: str
    completed: bool
    recovered: bool


@dataclass(frozen=True)
class OutcomeCount:
    kpi: str
    assigned: int
    completed: int
    recovered: int  # of the completed


@dataclass
class FlagPage:
    teams: list[Team]
    team: Team | None
    rows: list[FlagRow] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    counts: list[OutcomeCount] = field(default_factory=list)
    members: int = 0


def _members(team_ids: list[int]) -> dict[int, tuple[str, str, str]]:
    rows = db.session.execute(select(User.id, User.name, User.employee_no, Team.name).join(Team, Team.id == User.team_id)
                              .where(User.team_id.in_(team_ids), User.is_active.is_(True)))
    return {uid: (name, no, team) for uid, name, no, team in rows}


def _assignments(team_ids: list[int]):
    return db.session.execute(
        select(KpiFlagAssignment, KpiDefinition, Course.code, CourseVersion.title, Enrolment.completed_at)
        .join(KpiDefinition, KpiDefinition.id == KpiFlagAssignment.kpi_id)
        .join(Course, Course.id == KpiFlagAssignment.course_id)
        .join(CourseVersion, CourseVersion.id == Course.published_version_id, isouter=True)
        .join(Enrolment, (Enrolment.user_id == KpiFlagAssignment.user_id)
              & (Enrolment.course_id == KpiFlagAssignment.course_id), isouter=True)
        .where(KpiFlagAssignment.user_id.in_(select(User.id).where(User.team_id.in_(team_ids),
                                                                   User.is_active.is_(True))))
        .order_by(KpiFlagAssignment.assigned_at.desc(), KpiFlagAssignment.id.desc())).all()


def _series(user_ids: list[int], kind) -> dict[tuple[int, int], dict[date, float]]:
    result: dict[tuple[int, int], dict[date, float]] = defaultdict(dict)
    for user_id, kpi_id, period, value in db.session.execute(
            select(KpiRecord.user_id, KpiRecord.kpi_id, KpiRecord.period_start, KpiRecord.value)
            .where(KpiRecord.user_id.in_(user_ids), KpiRecord.period_kind == kind)):
        result[(user_id, kpi_id)][period] = value
    return result


def outcomes(team_ids: list[int], people: dict[int, tuple[str, str, str]]
             ) -> tuple[list[Outcome], list[OutcomeCount]]:
    """Every assignment made for a KPI flag of the teams' agents, newest first, and per KPI how many were
    completed and how many of those were followed by a period meeting the threshold (four statements)."""
    rows = _assignments(team_ids)
    assigned_ids = list({a.user_id for a, *_rest in rows})
    kind = main_period_kind(assigned_ids)
    latest, series = latest_values(assigned_ids, kind), _series(assigned_ids, kind)
    shown, tally = [], defaultdict(lambda: [0, 0, 0])
    for assignment, kpi, code, title, completed_at in rows:
        done = completed_at is not None
        values = series.get((assignment.user_id, kpi.id), {})
        back = done and recovered_after(values, period_start(to_local(completed_at).date(), kind),
                                        assignment.threshold, kpi.direction)
        counts = tally[kpi.name]
        counts[0], counts[1], counts[2] = counts[0] + 1, counts[1] + done, counts[2] + back
        now = latest.get((assignment.user_id, kpi.id))
        shown.append(Outcome(people[assignment.user_id][0], kpi.name, f"{code} {title or ''}".strip(),
                             to_local(assignment.assigned_at).date(),
                             format_value(assignment.value, kpi.unit, kpi.decimals),
                             format_value(now[1] if now else None, kpi.unit, kpi.decimals), done, back))
    return shown[:OUTCOMES_SHOWN], [OutcomeCount(name, *c) for name, c in tally.items()]


def flag_page(user: User, team_id: int | None) -> FlagPage:
    """The user's teams (one, when asked) with their flagged agents; RowNotFound for a team they do not see."""
    teams = managed_teams(user)
    team = next((t for t in teams if t.id == team_id), None) if team_id else None
    if team_id and team is None:
        raise RowNotFound("team")
    team_ids = [team.id] if team else [t.id for t in teams]
    people = _members(team_ids)
    page = FlagPage(teams, team, members=len(people))
    flags = kpi_flags_for(list(people))
    page.rows = sorted((FlagRow(uid, *people[uid], flag, period_label(flag.period, flag.period_kind))
                        for uid, user_flags in flags.items() for flag in user_flags),
                       key=lambda r: (r.team, r.employee_no))
    page.outcomes, page.counts = outcomes(team_ids, people)
    return page
