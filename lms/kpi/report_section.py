"""The "results" section of the evaluation reports (Kirkpatrick level 4): the effect of training on each
KPI, trained agents against untrained peers in the same periods, with group sizes and cautions.

- course scope: completing that course is the training; the KPIs shown are those mapped to the course's
  standard items (all KPIs when none is mapped);
- team scope: the course the team's members completed most, on every KPI;
- programme scope: the first certificate in the programme is the training, on every KPI.
"""

from collections import Counter
from datetime import date

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.certification.models import Certificate, Programme
from lms.courses.models import Course, CourseVersion, LessonVersion
from lms.db import db
from lms.evaluation.labels_reports import register_figure_labeller
from lms.evaluation.report_sections import ReportScope, Section, Table, register_section
from lms.kpi.charts import inline, trend_svg
from lms.kpi.definitions import active_kpis
from lms.kpi.effect import period_start, trend
from lms.kpi.models import KpiDefinition, KpiItem, KpiRecord, PeriodKind
from lms.kpi.records import (
    Evidence,
    completion_dates,
    courses_completed_by,
    main_period_kind,
    series,
    team_id_of,
)
from lms.kpi.section_cache import cached
from lms.kpi.team_kpis import EffectRow, effect_headers, effects
from lms.timeutil import to_local


def _course_items(course: Course) -> set[str]:
    version = course.published_version
    if version is None:
        return set()
    items = set(version.standards)
    for standards in db.session.scalars(select(LessonVersion.standards).where(
            LessonVersion.course_version_id == version.id)):
        items.update(standards)
    return items


def _mapped_kpis(items: set[str]):
    kpis = active_kpis()
    mapped = set(db.session.scalars(select(KpiItem.kpi_id).where(KpiItem.item_code.in_(items)))) if items else set()
    return [k for k in kpis if k.id in mapped] or kpis, bool(mapped)


def _agents_with_records():
    return select(KpiRecord.user_id).distinct().scalar_subquery()


def _evidence(user_ids, trained_on: dict[int, date], scope: ReportScope, kpis) -> Evidence:
    """Only the KPIs the section shows are read (a course's mapped ones are a few of the seven), and none
    when nobody is trained: there is nothing to compare."""
    if not trained_on:
        return Evidence(PeriodKind.MONTH, {}, {})
    kind = main_period_kind(user_ids)
    return Evidence(kind, series(user_ids, kind, scope.start, scope.end, [k.id for k in kpis]), trained_on)


def _course_subject(scope: ReportScope):
    course = db.session.scalar(select(Course).where(Course.code == scope.key).join(
        CourseVersion, Course.published_version_id == CourseVersion.id, isouter=True))
    if course is None:
        return None
    users = _agents_with_records()
    kpis, mapped = _mapped_kpis(_course_items(course))
    note = "" if mapped else _("No KPI is mapped to this course's standard items; every KPI is shown.")
    return course.code, _evidence(users, completion_dates(users, course.id), scope, kpis), kpis, note


def _team_subject(scope: ReportScope):
    users = list(db.session.scalars(select(User.id).where(User.team_id == team_id_of(scope.key))))
    completed = courses_completed_by(users) if users else []
    if not completed:
        return None
    course = completed[0].course
    note = _("The course the team's members completed most: %(code)s.", code=completed[0].name)
    kpis = active_kpis()
    return completed[0].name, _evidence(users, completion_dates(users, course.id), scope, kpis), kpis, note


def _programme_subject(scope: ReportScope):
    programme = db.session.scalar(select(Programme).where(Programme.slug == scope.key))
    if programme is None:
        return None
    users = _agents_with_records()
    first = db.session.execute(select(Certificate.user_id, func.min(Certificate.issued_at)).where(
        Certificate.programme_id == programme.id, Certificate.user_id.in_(users)).group_by(Certificate.user_id))
    trained = {user_id: to_local(issued).date() for user_id, issued in first}
    note = _("Training here means the first certificate of %(title)s.", title=programme.title)
    kpis = active_kpis()
    return programme.title, _evidence(users, trained, scope, kpis), kpis, note


SUBJECTS = {"course": _course_subject, "team": _team_subject, "programme": _programme_subject}


def _summary(subject: str, rows: list[EffectRow]) -> str:
    shown = [r for r in rows if r.effect.improvement is not None]
    if not shown:
        return _("Not enough KPI values around %(subject)s to compare trained agents with their peers.",
                 subject=subject)
    better = [r.kpi.name for r in shown if r.effect.improvement > 0]
    return _("After %(subject)s, trained agents did better than their untrained peers on %(n)d of %(total)d KPIs "
             "(%(names)s).", subject=subject, n=len(better), total=len(shown), names="、".join(better) or "–")


def _chart(rows: list[EffectRow], evidence: Evidence, scope: ReportScope) -> tuple[Markup | None, str]:
    """The trend of the first KPI with a comparison, as in the team page."""
    row = next((r for r in rows if r.effect.improvement is not None), None)
    if row is None:
        return None, ""
    points = trend(evidence.agents(row.kpi.id), evidence.kind, scope.minimum_group)
    trainings = Counter(period_start(d, evidence.kind) for d in evidence.trained_on.values())
    svg = trend_svg(row.kpi, points, evidence.kind, trainings, Counter(), row.kpi.reference_lines)
    alt = _("%(kpi)s per period: trained agents after their training against agents not yet trained; "
            "difference in differences %(did)s.", kpi=row.kpi.name, did=row.cells[-1])
    return inline(svg, alt), alt


@register_section("results", order=40, scope_kinds=("course", "team", "programme"))
def results_section(scope: ReportScope) -> Section | None:
    return cached(scope, _build)


def _build(scope: ReportScope) -> Section | None:
    subject = SUBJECTS[scope.kind](scope)
    if subject is None:
        return None
    name, evidence, kpis, note = subject
    title = _("Results: KPIs before and after the training (level 4)")
    if not evidence.trained_on:
        return Section(key="results", title=title, cautions=[note] if note else [], summary=_(
            "Nobody in this report has completed %(subject)s yet: there is no KPI comparison.", subject=name))
    if not evidence.values:
        return None
    rows = effects(evidence, kpis, scope.minimum_group)
    chart, alt = _chart(rows, evidence, scope)
    cautions = [note] if note else []
    cautions += [f"{r.kpi.name}：{c}" for r in rows for c in r.cautions]
    return Section(
        key="results", title=title,
        summary=_summary(name, rows), chart_svg=chart, chart_alt=alt,
        table=Table(_("Effect on each KPI"), effect_headers(), [r.cells for r in rows]), cautions=cautions,
        figures={f"did_{r.kpi.code}": r.effect.did for r in rows} | {f"trained_{r.kpi.code}": float(
            r.effect.trained_agents) for r in rows})


def figure_label(figure: str) -> str | None:
    """The name of a figure of this section, as an improvement action shows it: "did_csat" → the KPI's
    name and what the number is."""
    kind, _sep, code = figure.partition("_")
    if kind not in ("did", "trained"):
        return None
    kpi = db.session.scalar(select(KpiDefinition).where(KpiDefinition.code == code))
    name = kpi.name if kpi else code
    if kind == "did":
        return _("%(kpi)s: difference in differences", kpi=name)
    return _("%(kpi)s: trained agents", kpi=name)


register_figure_labeller("results", figure_label)
