"""KPI pages: definitions and their standard items, the CSV import, and a team's KPIs against training."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.access import roles_required
from lms.accounts.models import Role
from lms.db import found, mark_refused
from lms.kpi import report_section  # noqa: F401 - registers the "results" report section
from lms.kpi.charts import period_label
from lms.kpi.definitions import item_choices, kpi_by_code, kpis_with_items, set_kpi_items
from lms.kpi.flag_assign import assign_flag_courses, parse_selection
from lms.kpi.flag_page import flag_page
from lms.kpi.forms import (
    AssignFlagsForm,
    FlagFilterForm,
    KpiImportForm,
    KpiItemsForm,
    RemoveThresholdForm,
    TeamKpiForm,
    ThresholdForm,
)
from lms.kpi.imports import example_csv, import_kpis, recent_imports
from lms.kpi.labels import DIRECTION_LABELS, UNIT_LABELS
from lms.kpi.team_kpis import effect_headers, team_kpi_page
from lms.kpi.thresholds import CENTRE, remove_threshold, set_threshold, threshold_page
from lms.views import act, save_form

bp = Blueprint("kpi", __name__, url_prefix="/kpi")
STAFF = (Role.TRAINER, Role.MANAGER, Role.ADMIN)


@bp.route("/")
@roles_required(*STAFF)
def definitions():
    return render_template("kpi/definitions.html", kpis=kpis_with_items(), directions=DIRECTION_LABELS,
                           units=UNIT_LABELS, can_edit=current_user.has_role(Role.TRAINER, Role.ADMIN))


@bp.route("/<kpi_code>/items", methods=["GET", "POST"])
@roles_required(Role.TRAINER, Role.ADMIN)
def items(kpi_code):
    entry = found(kpi_by_code(kpi_code), "KPI")
    form = KpiItemsForm(data={"items": " ".join(i.code for i in entry.items)} if request.method == "GET" else None)
    done = save_form(form, lambda: set_kpi_items(entry.kpi, form.codes()), then=lambda _r: url_for("kpi.definitions"),
                     success=_("The standard items of %(kpi)s are saved.", kpi=entry.kpi.name))
    return done or render_template("kpi/items.html", entry=entry, form=form, choices=item_choices())


@bp.route("/import", methods=["GET", "POST"])
@roles_required(Role.MANAGER, Role.ADMIN)
def import_view():
    form, outcome = KpiImportForm(), None
    if form.validate_on_submit():
        outcome = import_kpis(*form.upload(), user=current_user)
        if outcome.record is not None:
            flash(_("%(n)d KPI values imported from %(rows)d rows; %(replaced)d earlier values replaced.",
                    n=outcome.record.values_written, rows=outcome.record.rows,
                    replaced=outcome.record.values_replaced), "success")
            return redirect(url_for("kpi.import_view"))
        mark_refused()  # nothing of a file with problems is kept
    return render_template("kpi/import.html", form=form, outcome=outcome, imports=recent_imports(current_user))


@bp.route("/import/example.csv")
@roles_required(Role.MANAGER, Role.ADMIN)
def import_example():
    return Response("\ufeff" + example_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=kpi-example.csv"})


@bp.route("/team")
@roles_required(*STAFF)
def team():
    form = TeamKpiForm(request.args)
    page = team_kpi_page(current_user, request.args.get("team_id", type=int), request.args.get("course"))
    form.team_id.choices = [(t.id, t.name) for t in page.teams]
    form.course.choices = page.courses
    form.team_id.data, form.course.data = page.team.id if page.team else None, page.course.code if page.course else None
    return render_template("kpi/team.html", page=page, form=form, effect_headers=effect_headers())


@bp.route("/thresholds", methods=["GET", "POST"])
@roles_required(*STAFF)
def thresholds():
    page, form = threshold_page(current_user), ThresholdForm()
    form.kpi.choices = [(r.kpi.code, r.kpi.name) for r in page.rows]
    form.team_id.choices = ([(CENTRE, _("The whole centre"))] if page.can_set_centre else []) + [
        (t.id, t.name) for t in page.teams]
    done = save_form(form, lambda: set_threshold(current_user, form.kpi.data, form.team_id.data, form.value.data),
                     then=lambda _r: url_for("kpi.thresholds"), success=_("The threshold is saved."))
    return done or render_template("kpi/thresholds.html", page=page, form=form, remove=RemoveThresholdForm())


@bp.route("/thresholds/remove", methods=["POST"])
@roles_required(*STAFF)
def remove_threshold_view():
    form = RemoveThresholdForm()
    form.validate_on_submit()
    return act(lambda: remove_threshold(current_user, form.row_id()), then=url_for("kpi.thresholds"),
               success=_("The threshold is removed; the wider one applies again."))


def _flags_page(form: AssignFlagsForm, team_id: int | None):
    page = flag_page(current_user, team_id)
    choose = FlagFilterForm(formdata=None)
    choose.team_id.choices = [(0, _("All teams"))] + [(t.id, t.name) for t in page.teams]
    choose.team_id.data, form.team_id.data = (page.team.id if page.team else 0), (page.team.id if page.team else "")
    return render_template("kpi/flags.html", page=page, choose=choose, form=form, chosen=set(form.flags.data or ()))


@bp.route("/flags")
@roles_required(*STAFF)
def flags():
    return _flags_page(AssignFlagsForm(formdata=None), request.args.get("team_id", type=int) or None)


@bp.route("/flags/assign", methods=["POST"])
@roles_required(*STAFF)
def assign_flags():
    form = AssignFlagsForm()
    team_id = int(form.team_id.data) if str(form.team_id.data or "").isdigit() else None
    done = save_form(form, lambda: assign_flag_courses(current_user, parse_selection(form.flags.data),
                                                       form.due_date.data),
                     then=lambda _n: url_for("kpi.flags", team_id=team_id),
                     success=lambda n: ngettext("%(num)d enrolment created or updated.",
                                                "%(num)d enrolments created or updated.", n))
    return done or _flags_page(form, team_id)


@bp.app_template_filter("kpi_period")
def kpi_period(value, kind) -> str:
    return period_label(value, kind) if value else ""
