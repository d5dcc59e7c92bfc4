"""KPI flags: each agent whose latest KPI value is on the wrong side of its threshold (the team's, else the
centre's, else the file's), with the courses that teach the KPI's standard items. Read for any number of
agents in a fixed number of statements (the readiness board shows them per person)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from lms.accounts.models import Role, User
from lms.courses.models import Course, CourseVersion, Enrolment, Lesson
from lms.db import db, unindexed
from lms.kpi.definitions import active_kpis
from lms.kpi.flag_rules import improved, wrong_side
from lms.kpi.labels import format_value
from lms.kpi.models import KpiDefinition, KpiDirection, KpiFlagAssignment, KpiItem, KpiRecord, PeriodKind
from lms.kpi.records import main_period_kind
from lms.kpi.thresholds import thresholds_for
from lms.standards.models import StandardCitation, StandardItem

CHUNK = 2000  # agents per statement: well within the parameters a statement may carry (SQLite, psycopg)
RECOMMENDED_AT_MOST = 3  # the courses teaching most of the KPI's items; more would bury the one that helps


@dataclass(frozen=True)
class CourseRef:
    code: str
    title: str  # of the published version


@dataclass(frozen=True)
class KpiFlag:
    """One KPI of one agent on the wrong side of its threshold in the latest period."""

    kpi_code: str
    kpi_name: str
    value: float
    threshold: float
    period: date  # the start of the latest period with a value
    recommended: list[CourseRef]  # teach the KPI's items; neither completed nor open for the agent
    assigned: list[CourseRef]  # teach the KPI's items; assigned and not completed yet
    recovering: bool | None  # after completing training assigned for this KPI: better than then? None: none completed
    kpi_id: int = 0
    period_kind: str = PeriodKind.MONTH
    direction: str = KpiDirection.HIGHER
    unit: str = ""
    decimals: int = 1

    @property
    def value_text(self) -> str:
        return format_value(self.value, self.unit, self.decimals)

    @property
    def threshold_text(self) -> str:
        return format_value(self.threshold, self.unit, self.decimals)


def latest_values(user_ids: list[int], kind: PeriodKind) -> dict[tuple[int, int], tuple[date, float]]:
    """(user id, KPI id) → (period, value) of the latest period with a value, in one statement.

    Numbered within each agent and KPI, newest first, rather than joined back to a grouped maximum: for that
    join PostgreSQL chose the (KPI, period) index and read every agent's value of each period (0.3–0.4 s for
    a team of 25 among 1.68 million values)."""
    newest = func.row_number().over(partition_by=(KpiRecord.user_id, KpiRecord.kpi_id),
                                    order_by=KpiRecord.period_start.desc()).label("newest")
    ranked = (select(KpiRecord.user_id, KpiRecord.kpi_id, KpiRecord.period_start, KpiRecord.value, newest)
              .where(KpiRecord.user_id.in_(user_ids), KpiRecord.period_kind == kind).subquery())
    rows = db.session.execute(select(ranked.c.user_id, ranked.c.kpi_id, ranked.c.period_start, ranked.c.value)
                              .where(ranked.c.newest == 1))
    return {(user_id, kpi_id): (period, value) for user_id, kpi_id, period, value in rows}


def courses_teaching(kpi_ids: list[int]) -> dict[int, list[tuple[int, CourseRef]]]:
    """KPI id → the published courses for agents (learners in their audience) whose lessons teach the KPI's
    standard items, those teaching most of them first (one statement)."""
    rows = db.session.execute(
        select(KpiItem.kpi_id, Course.id, Course.code, CourseVersion.title, CourseVersion.audience, StandardItem.id)
        .join(StandardItem, StandardItem.code == KpiItem.item_code)
        .join(StandardCitation, (StandardCitation.item_id == StandardItem.id) & (StandardCitation.kind == "lesson"))
        .join(Lesson, Lesson.id == StandardCitation.ref_id).join(Course, Course.id == Lesson.course_id)
        .join(CourseVersion, CourseVersion.id == Course.published_version_id)
        .where(KpiItem.kpi_id.in_(kpi_ids)))
    taught: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    refs: dict[int, CourseRef] = {}
    for kpi_id, course_id, code, title, audience, item_id in rows:
        if not audience or Role.LEARNER.value in audience:  # not a course for team leaders or trainers only
            taught[kpi_id][course_id].add(item_id)
            refs[course_id] = CourseRef(code, title)
    return {kpi_id: [(c, refs[c]) for c in sorted(courses, key=lambda c: (-len(courses[c]), refs[c].code))]
            for kpi_id, courses in taught.items()}


def _enrolments(user_ids: list[int], course_ids) -> dict[int, dict[int, bool]]:
    """User id → course id → completed, for the agents' enrolments in these courses."""
    rows = db.session.execute(select(Enrolment.user_id, Enrolment.course_id, Enrolment.completed_at).where(
        Enrolment.user_id.in_(user_ids), unindexed(Enrolment.course_id.in_(list(course_ids)))))
    result: dict[int, dict[int, bool]] = defaultdict(dict)
    for user_id, course_id, done in rows:
        result[user_id][course_id] = done is not None
    return result


def _values_at_completed_training(user_ids: list[int]) -> dict[tuple[int, int], list[float]]:
    """(user id, KPI id) → the values that raised flags whose assigned course the agent has completed."""
    rows = db.session.execute(
        select(KpiFlagAssignment.user_id, KpiFlagAssignment.kpi_id, KpiFlagAssignment.value)
        .join(Enrolment, (Enrolment.user_id == KpiFlagAssignment.user_id)
              & (Enrolment.course_id == KpiFlagAssignment.course_id))
        .where(KpiFlagAssignment.user_id.in_(user_ids), Enrolment.completed_at.is_not(None))
        .order_by(KpiFlagAssignment.assigned_at, KpiFlagAssignment.id))
    result: dict[tuple[int, int], list[float]] = defaultdict(list)
    for user_id, kpi_id, value in rows:
        result[(user_id, kpi_id)].append(value)
    return result


def _flag(kpi: KpiDefinition, latest: tuple[date, float], threshold: float, kind: PeriodKind,
          courses: list[tuple[int, CourseRef]], enrolled: dict[int, bool], then: list[float]) -> KpiFlag:
    open_ = [ref for course_id, ref in courses if enrolled.get(course_id) is False]
    # the best courses not completed yet; those already assigned count towards the few recommended
    best = [(course_id, ref) for course_id, ref in courses if not enrolled.get(course_id)][:RECOMMENDED_AT_MOST]
    recommended = [ref for course_id, ref in best if course_id not in enrolled]
    period, value = latest
    recovering = improved(then[-1], value, kpi.direction) if then else None
    return KpiFlag(kpi.code, kpi.name, value, threshold, period, recommended, open_, recovering, kpi_id=kpi.id,
                   period_kind=kind, direction=kpi.direction, unit=kpi.unit, decimals=kpi.decimals)


def _flags_of(ids: list[int], kpis: list[KpiDefinition], teaching: dict) -> dict[int, list[KpiFlag]]:
    teams = dict(db.session.execute(select(User.id, User.team_id).where(User.id.in_(ids))).all())
    thresholds = thresholds_for(kpis, {t for t in teams.values() if t})
    kind = main_period_kind(ids)
    latest = latest_values(ids, kind)
    enrolments = _enrolments(ids, {course_id for courses in teaching.values() for course_id, _ref in courses})
    completed = _values_at_completed_training(ids)
    flags: dict[int, list[KpiFlag]] = {}
    for user_id in ids:
        enrolled = enrolments.get(user_id, {})
        for kpi in kpis:
            value = latest.get((user_id, kpi.id))
            threshold = thresholds.for_team(kpi.id, teams.get(user_id))
            if value is None or threshold is None or not wrong_side(value[1], threshold, kpi.direction):
                continue
            flags.setdefault(user_id, []).append(_flag(kpi, value, threshold, kind, teaching.get(kpi.id, []),
                                                       enrolled, completed.get((user_id, kpi.id), [])))
    return flags


def kpi_flags_for(user_ids: list[int]) -> dict[int, list[KpiFlag]]:
    """User id → the KPI flags of each agent (agents without a flag are left out), in KPI order.

    Eight statements for up to CHUNK agents (a page of the board is one chunk), six more per further chunk,
    so no statement carries more parameters than a database accepts."""
    ids = list(dict.fromkeys(user_ids))
    kpis = active_kpis()
    teaching = courses_teaching([k.id for k in kpis])
    flags: dict[int, list[KpiFlag]] = {}
    for start in range(0, len(ids), CHUNK):
        flags.update(_flags_of(ids[start:start + CHUNK], kpis, teaching))
    return flags


def unanswered_kpi_flags(user_ids: list[int]) -> dict[int, list[KpiFlag]]:
    """``kpi_flags_for`` less the flags a course was already assigned in answer to (same agent, KPI and
    period: lms/kpi/flag_assign.py); lms/kpi/flag_query.py counts the same in SQL."""
    return without_answered(kpi_flags_for(user_ids))


def without_answered(flags: dict[int, list[KpiFlag]]) -> dict[int, list[KpiFlag]]:
    """These flags less those a course was already assigned in answer to (one statement)."""
    if not flags:
        return {}
    answered = set(db.session.execute(
        select(KpiFlagAssignment.user_id, KpiFlagAssignment.kpi_id, KpiFlagAssignment.period_kind,
               KpiFlagAssignment.period_start).where(KpiFlagAssignment.user_id.in_(list(flags)))).all())
    left = {user_id: [f for f in user_flags if (user_id, f.kpi_id, f.period_kind, f.period) not in answered]
            for user_id, user_flags in flags.items()}
    return {user_id: user_flags for user_id, user_flags in left.items() if user_flags}
