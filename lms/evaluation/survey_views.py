"""Reaction surveys: a learner's open surveys and the answering page; staff read the results."""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import authenticated, roles_required
from lms.accounts.models import Role
from lms.evaluation import survey_results as survey_results_service
from lms.evaluation import surveys
from lms.evaluation.blueprints import admin_bp, bp
from lms.evaluation.labels_levels13 import levels13_labels
from lms.evaluation.survey_forms import ResultFilterForm, survey_form
from lms.views import save_form

bp.context_processor(levels13_labels)


@bp.route("/surveys")
@authenticated
def my_surveys():
    return render_template("evaluation/surveys.html", open_surveys=surveys.open_surveys(current_user))


@bp.route("/surveys/<int:invitation_id>", methods=["GET", "POST"])
@authenticated
def answer(invitation_id):
    invitation = surveys.invitation_of(invitation_id, current_user)
    if invitation.responded_at is not None:
        return render_template("evaluation/survey_done.html", invitation=invitation)
    form = survey_form(invitation.survey_version.items)
    done = save_form(form, lambda: surveys.answer_survey(invitation.id, current_user, form.answers()),
                     then=lambda _inv: url_for("evaluation.answer", invitation_id=invitation_id),
                     success=_("Thank you: your answers were recorded."))
    return done or render_template("evaluation/survey.html", invitation=invitation, form=form,
                                   context_title=surveys.context_title(invitation),
                                   minimum_group=surveys.minimum_group())


@admin_bp.route("/surveys")
@roles_required(Role.TRAINER, Role.MANAGER)
def survey_results():
    form = ResultFilterForm(request.args).fill(survey_results_service.filter_choices())
    scope = form.scope(survey_results_service.managed_team_ids(current_user))
    return render_template("evaluation/survey_results.html", form=form, scope=scope,
                           results=survey_results_service.survey_results(scope), minimum_group=surveys.minimum_group())
