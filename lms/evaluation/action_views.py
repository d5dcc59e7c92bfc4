"""Improvement actions (9.3.2): recorded from a report's page, listed, moved through their statuses, and
measured again later."""

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import roles_required
from lms.evaluation import actions
from lms.evaluation.blueprints import admin_bp
from lms.evaluation.labels_reports import SCOPE_LABELS
from lms.evaluation.report_forms import ActionForm, ActionStatusForm, MeasureForm
from lms.evaluation.report_views import READERS, _report, render_report
from lms.views import act, save_form


@admin_bp.route("/reports/<report_kind>/<report_key>/actions", methods=["POST"])
@roles_required(*READERS)
def record_action(report_kind, report_key):
    report, dates = _report(report_kind, report_key)
    form = ActionForm()
    form.owner.choices = [("", _("Choose the owner")), *actions.owner_choices(current_user, report.scope)]
    done = save_form(form, lambda: actions.record_action(current_user, report, form.finding.data, form.action.data,
                                                         form.owner.data, form.due_on.data),
                     lambda row: url_for("evaluation_admin.action", action_id=row.id),
                     _("The improvement action is recorded with the report's figures as its baseline."))
    return done or render_report(report, dates, form)


@admin_bp.route("/actions/")
@roles_required(*READERS)
def action_list():
    return render_template("evaluation/actions.html", rows=actions.list_actions(current_user),
                           scope_labels=SCOPE_LABELS)


@admin_bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
@roles_required(*READERS)
def action(action_id):
    row = actions.get_action(current_user, action_id)
    form = ActionStatusForm(status=row.status.value)
    done = save_form(form, lambda: actions.set_status(row, form.status.data),
                     lambda _r: url_for("evaluation_admin.action", action_id=row.id), _("The status is saved."))
    return done or render_template("evaluation/action.html", row=row, form=form, measure=MeasureForm(),
                                   changes=actions.changes(row), scope_label=SCOPE_LABELS[row.report_kind])


@admin_bp.route("/actions/<int:action_id>/measure", methods=["POST"])
@roles_required(*READERS)
def measure(action_id):
    row = actions.get_action(current_user, action_id)
    return act(lambda: actions.measure_effect(current_user, row), url_for("evaluation_admin.action", action_id=row.id),
               _("The report was computed again; its figures now stand beside the baseline."))
