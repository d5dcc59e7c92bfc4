"""Reading KPI records and the training events they are compared with, for a set of agents, in a fixed
number of statements whatever the number of agents."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from lms.certification.models import Certificate
from lms.courses.models import Course, CourseVersion, Enrolment
from lms.db import db
from lms.kpi.effect import Agent
from lms.kpi.models import KpiRecord, PeriodKind
from lms.timeutil import to_local


def main_period_kind(user_ids) -> PeriodKind:
    """Months when the agents have any monthly values, else weeks."""
    kinds = set(db.session.scalars(select(KpiRecord.period_kind).where(KpiRecord.user_id.in_(user_ids))
                                   .group_by(KpiRecord.period_kind)))
    return PeriodKind.WEEK if kinds == {PeriodKind.WEEK} else PeriodKind.MONTH


def series(user_ids, kind: PeriodKind, start: date | None = None, end: date | None = None, kpi_ids=None
           ) -> dict[int, dict[int, dict[date, float]]]:
    """{KPI id: {user id: {period start: value}}} of the agents (of the given KPIs), in one statement."""
    query = select(KpiRecord.kpi_id, KpiRecord.user_id, KpiRecord.period_start, KpiRecord.value).where(
        KpiRecord.user_id.in_(user_ids), KpiRecord.period_kind == kind)
    if kpi_ids is not None:
        query = query.where(KpiRecord.kpi_id.in_(kpi_ids))
    if start:
        query = query.where(KpiRecord.period_start >= start)
    if end:
        query = query.where(KpiRecord.period_start <= end)
    result: dict[int, dict[int, dict[date, float]]] = defaultdict(lambda: defaultdict(dict))
    for kpi_id, user_id, period, value in db.session.execute(query):
        result[kpi_id][user_id][period] = value
    return result


def completion_dates(user_ids, course_id: int) -> dict[int, date]:
    """The local day each agent completed the course."""
    rows = db.session.execute(select(Enrolment.user_id, Enrolment.completed_at).where(
        Enrolment.course_id == course_id, Enrolment.user_id.in_(user_ids), Enrolment.completed_at.is_not(None)))
    return {user_id: to_local(done).date() for user_id, done in rows}


def certification_dates(user_ids) -> dict[int, list[date]]:
    """The local days certificates were issued to each agent (revoked ones left out)."""
    result: dict[int, list[date]] = defaultdict(list)
    for user_id, issued in db.session.execute(select(Certificate.user_id, Certificate.issued_at).where(
            Certificate.user_id.in_(user_ids), Certificate.revoked_at.is_(None))):
        result[user_id].append(to_local(issued).date())
    return result


@dataclass(frozen=True)
class CompletedCourse:
    course: Course
    title: str  # of the published version
    completed: int  # how many of the agents completed it

    @property
    def name(self) -> str:
        return f"{self.course.code} {self.title}".strip()


def courses_completed_by(user_ids) -> list[CompletedCourse]:
    """The courses any of the agents completed, with how many did, most completed first."""
    rows = db.session.execute(
        select(Course, CourseVersion.title, func.count()).join(Enrolment, Enrolment.course_id == Course.id)
        .join(CourseVersion, CourseVersion.id == Course.published_version_id, isouter=True)
        .where(Enrolment.user_id.in_(user_ids), Enrolment.completed_at.is_not(None))
        .group_by(Course.id, CourseVersion.title).order_by(func.count().desc(), Course.code)).all()
    return [CompletedCourse(course, title or "", n) for course, title, n in rows]


@dataclass
class Evidence:
    """What the effect of one course on each KPI is computed from."""

    kind: PeriodKind
    values: dict[int, dict[int, dict[date, float]]]  # KPI id → user id → period → value
    trained_on: dict[int, date]  # user id → day of completion
    certified_on: dict[int, list[date]] = field(default_factory=dict)

    def agents(self, kpi_id: int) -> list[Agent]:
        return [Agent(values, self.trained_on.get(user_id)) for user_id, values in self.values.get(kpi_id, {}).items()]


def gather(user_ids, course_id: int | None, start: date | None = None, end: date | None = None) -> Evidence:
    kind = main_period_kind(user_ids)
    trained = completion_dates(user_ids, course_id) if course_id else {}
    return Evidence(kind, series(user_ids, kind, start, end), trained, certification_dates(user_ids))


def team_id_of(key: str) -> int:
    """A team scope's key as a team id (0, which no team has, when it is not a number)."""
    return int(key) if key.isdigit() else 0
