"""The report pages (/evaluation/manage/reports/…): every registered section of a course, cohort, team,
programme or period report, as a page, a PDF and CSV; and a learner's own pre- and post-tests."""

from flask import Response, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from lms.access import authenticated, roles_required
from lms.accounts.models import Role
from lms.evaluation import completion_section, learning_section, report_index  # noqa: F401 - they register their sections
from lms.evaluation import labels_reports as fmt
from lms.evaluation.actions import owner_choices
from lms.evaluation.blueprints import admin_bp, bp
from lms.evaluation.labels_reports import ACTION_STATUS_LABELS, SCOPE_LABELS
from lms.evaluation.report_csv import report_csv
from lms.evaluation.report_forms import ActionForm, ReportDatesForm
from lms.evaluation.report_pdf import report_pdf
from lms.evaluation.reports import Report, read_report
from lms.generations import cached_results

READERS = (Role.TRAINER, Role.MANAGER, Role.ADMIN)


def report_number(value, signed: bool = False, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:+.{digits}f}" if signed else fmt.number(value, digits)


admin_bp.add_app_template_filter(report_number, "report_number")
admin_bp.context_processor(lambda: {"action_status_labels": {k: str(v) for k, v in ACTION_STATUS_LABELS.items()}})


def _report(report_kind: str, report_key: str) -> tuple[Report, ReportDatesForm]:
    dates = ReportDatesForm(request.args)
    return read_report(current_user, report_kind, report_key, *dates.dates()), dates


def render_report(report: Report, dates: ReportDatesForm, form: ActionForm | None = None):
    """The report page. As first shown (no action form posted back with errors) its content is kept per
    person, scope, filters and session form token (the action form carries one) while no result changes."""

    def body(action_form: ActionForm) -> Markup:
        owners = cached_results(("action owners", current_user.id, report.scope.kind, report.scope.key),
                                lambda: owner_choices(current_user, report.scope), store="personal")
        action_form.owner.choices = [("", _("Choose the owner")), *owners]
        # The sections depend on the scope and the language only: their HTML is kept with the data they show.
        sections_html = cached_results(("report html", report.scope), lambda: Markup(
            render_template("evaluation/_report_sections.html", report=report)), per="hour")
        return Markup(render_template("evaluation/_report_page.html", report=report, dates=dates, form=action_form,
                                      sections_html=sections_html, scope_label=SCOPE_LABELS[report.scope.kind],
                                      args=request.args.to_dict()))

    if form is None:
        key = ("report page", current_user.id, report.scope, tuple(sorted(request.args.items(multi=True))),
               session.get("csrf_token"))
        html = cached_results(key, lambda: body(ActionForm(owner=current_user.id)), "personal", per="hour")
    else:
        html = body(form)
    return render_template("evaluation/report.html", report=report, body=html)


@admin_bp.route("/reports/")
@roles_required(*READERS)
def reports():
    return render_template("evaluation/reports.html", index=report_index.report_index(current_user))


@admin_bp.route("/reports/<report_kind>/<report_key>")
@roles_required(*READERS)
def report(report_kind, report_key):
    return render_report(*_report(report_kind, report_key))


@admin_bp.route("/reports/<report_kind>/<report_key>/report.pdf")
@roles_required(*READERS)
def report_as_pdf(report_kind, report_key):
    report, _dates = _report(report_kind, report_key)
    name = f"report-{report_kind}-{report_key}.pdf"
    return Response(report_pdf(report), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@admin_bp.route("/reports/<report_kind>/<report_key>/report.csv")
@roles_required(*READERS)
def report_as_csv(report_kind, report_key):
    report, _dates = _report(report_kind, report_key)
    name = f"report-{report_kind}-{report_key}.csv"
    return Response(report_csv(report), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/my-learning")
@authenticated
def my_learning():
    return render_template("evaluation/my_learning.html", rows=report_index.my_learning(current_user))
