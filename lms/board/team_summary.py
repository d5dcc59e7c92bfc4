"""The board's team section, over everyone the filters keep: completion by course and tier, the overdue
assignments, certificates expiring by month and the distribution of the latest scores. Each figure is one
aggregate statement; each chart comes with its data as a table."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select

from lms.accounts.models import User
from lms.board.labels import SCORE_BANDS
from lms.board.readiness import BoardFilter, current_certificate_condition, people_ids
from lms.certification.models import Certificate
from lms.courses.labels import TIER_LABELS
from lms.courses.models import Course, CourseVersion, Enrolment, Tier
from lms.db import db, unindexed, utcnow
from lms.evaluation.charts import Chart, bar_chart, histogram
from lms.kpi.flags import kpi_flags_for, without_answered
from lms.timeutil import local_today, local_zone

MONTHS_AHEAD = 12
OVERDUE_SHOWN = 20


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class Figure:
    """A chart, the words that describe it and its data as a table."""

    key: str
    title: str
    chart: Chart | None
    table: Table


@dataclass(frozen=True)
class CourseCompletion:
    code: str
    title: str
    tier: str
    enrolled: int
    completed: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.enrolled) if self.enrolled else 0


@dataclass(frozen=True)
class OverdueAssignment:
    user_id: int
    name: str
    employee_no: str
    code: str
    title: str
    due_date: date


@dataclass
class TeamSummary:
    courses: list[CourseCompletion]
    overdue: list[OverdueAssignment]
    overdue_total: int
    figures: list[Figure]


def _course_completion(ids, tier: str | None, today: date) -> list[CourseCompletion]:
    overdue = func.sum(case((and_(Enrolment.completed_at.is_(None), Enrolment.due_date < today), 1), else_=0))
    stmt = (select(Course.code, CourseVersion.title, Course.tier, func.count(), func.count(Enrolment.completed_at),
                   overdue)
            .join(Course, Course.id == Enrolment.course_id)
            .join(CourseVersion, CourseVersion.id == Course.published_version_id)
            .where(Enrolment.user_id.in_(ids))
            .group_by(Course.code, CourseVersion.title, Course.tier).order_by(Course.tier, Course.code))
    if tier:
        stmt = stmt.where(Course.tier == tier)
    return [CourseCompletion(code, title, str(t), n, done, late or 0)
            for code, title, t, n, done, late in db.session.execute(stmt)]


def _overdue(ids, tier: str | None, today: date) -> list[OverdueAssignment]:
    stmt = (select(User.id, User.name, User.employee_no, Course.code, CourseVersion.title, Enrolment.due_date)
            .join(User, User.id == Enrolment.user_id).join(Course, Course.id == Enrolment.course_id)
            .join(CourseVersion, CourseVersion.id == Course.published_version_id)
            .where(Enrolment.user_id.in_(ids), Enrolment.completed_at.is_(None), Enrolment.due_date < today)
            .order_by(Enrolment.due_date, User.name, Course.code).limit(OVERDUE_SHOWN))
    if tier:
        stmt = stmt.where(Course.tier == tier)
    return [OverdueAssignment(*row) for row in db.session.execute(stmt)]


def _month_starts(today: date, count: int) -> list[date]:
    starts, year, month = [], today.year, today.month
    for _i in range(count + 1):
        starts.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return starts


def _expiring_by_month(ids, today: date, now: datetime) -> list[tuple[date, int]]:
    """Current certificates expiring in each of the next months (the centre's calendar), this one first."""
    starts = _month_starts(today, MONTHS_AHEAD)
    bounds = [max(now, datetime.combine(s, time(), local_zone())) for s in starts]
    columns = [func.sum(case((and_(Certificate.expires_at >= low, Certificate.expires_at < high), 1), else_=0))
               for low, high in zip(bounds, bounds[1:], strict=False)]
    counts = db.session.execute(select(*columns).where(Certificate.user_id.in_(ids),
                                                       current_certificate_condition(now))).one()
    return [(start, count or 0) for start, count in zip(starts, counts, strict=False)]


def _band_counts(model, user_column, ids, condition) -> list[int]:
    """How many people's latest score falls in each band."""
    latest = select(func.max(model.id)).where(user_column.in_(ids), unindexed(condition)).group_by(user_column)
    bands = [low for low, _label in SCORE_BANDS] + [1000]
    columns = [func.sum(case((and_(model.percent >= low, model.percent < high), 1), else_=0))
               for low, high in zip(bands, bands[1:], strict=False)]
    return [n or 0 for n in db.session.execute(select(*columns).where(model.id.in_(latest))).one()]


def _score_distribution(ids) -> tuple[list[int], list[int]]:
    from lms.calls.models import CallAttempt, CallStatus
    from lms.exams.models import Attempt, AttemptStatus

    return (_band_counts(Attempt, Attempt.user_id, ids, Attempt.status == AttemptStatus.GRADED),
            _band_counts(CallAttempt, CallAttempt.user_id, ids, CallAttempt.status == CallStatus.FINISHED))


def _pairs(labels, values) -> str:
    """"label: value" pairs in words, as the reader's language lists them."""
    return _("; ").join(_("%(first)s: %(second)s", first=label, second=value)
                        for label, value in zip(labels, values, strict=True))


def _tier_figure(courses: list[CourseCompletion]) -> Figure:
    tiers = [t for t in Tier if any(c.tier == t for c in courses)]
    percents = []
    for tier in tiers:
        enrolled = sum(c.enrolled for c in courses if c.tier == tier)
        percents.append(round(100 * sum(c.completed for c in courses if c.tier == tier) / enrolled))
    labels = [str(TIER_LABELS[t]) for t in tiers]
    title = _("Completion by tier")
    alt = _("Share of assigned courses completed, by tier: %(values)s.",
            values=_pairs(labels, [f"{p}%" for p in percents]))
    table = Table(_("Completion by course"), [_("Course"), _("Tier"), _("Enrolled"), _("Completed"), _("Overdue"),
                                              _("Completed (%)")],
                  [[f"{c.code} {c.title}", TIER_LABELS.get(c.tier, ""), c.enrolled, c.completed, c.overdue,
                    f"{c.percent}%"] for c in courses])
    chart = bar_chart(title, labels, [(_("Completed (%)"), percents)], alt, maximum=100,
                      horizontal=True) if tiers else None
    return Figure("completion", title, chart, table)


def _expiry_figure(months: list[tuple[date, int]]) -> Figure:
    labels = [format_date(start, "yyyy-MM") for start, _n in months]
    counts = [n for _start, n in months]
    title = _("Certificates expiring by month")
    alt = _("Certificates expiring in each of the next twelve months: %(values)s.",
            values=_pairs(labels, counts))
    table = Table(title, [_("Month"), _("Certificates")],
                  [[label, n] for label, n in zip(labels, counts, strict=True)] if any(counts) else [])
    chart = histogram(title, labels, [(_("Certificates"), counts)], alt, y_title=_("Certificates")) \
        if any(counts) else None
    return Figure("expiry", title, chart, table)


def _score_figure(exams: list[int], calls: list[int]) -> Figure:
    bands = [label for _low, label in SCORE_BANDS]
    title = _("Distribution of the latest scores")
    alt = _("People by their latest exam score: %(exams)s; by their latest call score: %(calls)s.",
            exams=_pairs(bands, exams), calls=_pairs(bands, calls))
    table = Table(title, [_("Score (%)"), _("Latest exam"), _("Latest call")],
                  [[b, e, c] for b, e, c in zip(bands, exams, calls, strict=True)] if any(exams) or any(calls) else [])
    chart = histogram(title, bands, [(_("Latest exam"), exams), (_("Latest call"), calls)], alt,
                      y_title=_("People")) if any(exams) or any(calls) else None
    return Figure("scores", title, chart, table)


def team_summary(team_ids: list[int], flt: BoardFilter) -> TeamSummary:
    """The team section for everyone the filters keep (every page of them, not just the one shown)."""
    today, now = local_today(), utcnow()
    ids = people_ids(team_ids, flt, today, now)
    courses = _course_completion(ids, flt.tier, today)
    exams, calls = _score_distribution(ids)
    figures = [_tier_figure(courses), _expiry_figure(_expiring_by_month(ids, today, now)),
               _score_figure(exams, calls)]
    return TeamSummary(courses, _overdue(ids, flt.tier, today), sum(c.overdue for c in courses), figures)


@dataclass(frozen=True)
class TeamFigures:
    """A team's week in five numbers (the weekly team report's mail)."""

    people: int  # active members
    overdue: int  # course assignments past their due date and not completed
    expiring: int  # current certificates expiring within ``expiring_days``
    kpi_flags: int  # KPIs on the wrong side of their threshold (the latest period), of ``flagged_people``
    flagged_people: int
    unanswered_flags: int  # of those flags: no course assigned in answer yet
    expiring_days: int


def team_figures(team_ids: list[int], expiring_days: int = 30) -> TeamFigures:
    """The board's figures of everyone in these teams, from the same queries as the board's team section."""
    today, now = local_today(), utcnow()
    ids = people_ids(team_ids, BoardFilter(), today, now)
    members = list(db.session.scalars(ids))
    overdue = sum(c.overdue for c in _course_completion(ids, None, today))
    expiring = db.session.scalar(select(func.count()).select_from(Certificate).where(
        Certificate.user_id.in_(ids), current_certificate_condition(now), Certificate.expires_at > now,
        Certificate.expires_at <= now + timedelta(days=expiring_days)))
    flags = kpi_flags_for(members)
    unanswered = without_answered(flags)
    return TeamFigures(len(members), overdue, expiring or 0, sum(len(f) for f in flags.values()), len(flags),
                       sum(len(f) for f in unanswered.values()), expiring_days)
