"""The completion section of every report: how many of the enrolments in the scope were started and
completed, and how many are overdue, as a funnel. Dated reports count the enrolments made in their dates."""

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select

from lms.courses.models import Enrolment
from lms.db import db
from lms.evaluation import charts
from lms.evaluation import labels_reports as fmt
from lms.evaluation.report_sections import ReportScope, Section, Table, register_section
from lms.evaluation.reports import scope_course_ids, scope_user_ids, scope_window
from lms.timeutil import local_today


def completion_counts(scope: ReportScope) -> tuple[int, int, int, int]:
    """(enrolled, started, completed, overdue) in one statement."""
    started = or_(Enrolment.last_lesson_id.is_not(None), Enrolment.completed_at.is_not(None))
    overdue = and_(Enrolment.completed_at.is_(None), Enrolment.due_date < local_today())
    query = select(func.count(), func.sum(case((started, 1), else_=0)), func.count(Enrolment.completed_at),
                   func.sum(case((overdue, 1), else_=0)))
    courses, users = scope_course_ids(scope), scope_user_ids(scope)
    if courses is not None:
        query = query.where(Enrolment.course_id.in_(courses))
    if users is not None:
        query = query.where(Enrolment.user_id.in_(users))
    start, end = scope_window(scope)
    if start is not None:
        query = query.where(Enrolment.enrolled_at >= start)
    if end is not None:
        query = query.where(Enrolment.enrolled_at < end)
    enrolled, begun, completed, late = db.session.execute(query).one()
    return int(enrolled or 0), int(begun or 0), int(completed or 0), int(late or 0)


@register_section("completion", order=50)
def completion_section(scope: ReportScope) -> Section | None:
    enrolled, started, completed, overdue = completion_counts(scope)
    title = _("Completion")
    if not enrolled:
        return Section("completion", title, _("No enrolments in this report."))
    if enrolled < scope.minimum_group:
        return Section("completion", title, _("Fewer than %(n)d enrolments, so no figures are shown.",
                                              n=scope.minimum_group), figures={"enrolled": enrolled})
    stages = [(_("Enrolled"), enrolled), (_("Opened a lesson"), started), (_("Completed"), completed)]
    rate = completed / enrolled
    alt = _("Of %(n)d enrolments, %(s)d were started and %(c)d completed (%(rate)s); %(o)d are overdue.",
            n=enrolled, s=started, c=completed, rate=fmt.percent(rate), o=overdue)
    chart = charts.funnel(_("Completion funnel"), stages, alt)
    table = Table(_("Enrolments by stage"), [_("Stage"), _("Enrolments"), _("Share of enrolled")],
                  [[name, str(n), fmt.percent(n / enrolled)] for name, n in stages]
                  + [[_("Overdue"), str(overdue), fmt.percent(overdue / enrolled)]])
    figures = {"enrolled": enrolled, "started": started, "completed": completed, "completion_rate": rate * 100,
               "overdue": overdue}
    return Section("completion", title, alt, chart.svg, alt, table, [], figures)
