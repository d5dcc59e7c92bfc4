"""Trainers: the branch diagram and analytics of each scenario, the YAML editor, the review queue."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import roles_required
from lms.accounts.models import Role, User
from lms.calls import analytics, builder_new, drafts, engine, results, review, scenarios, sync
from lms.calls.debrief import debrief
from lms.calls.diagram import render_svg
from lms.calls.forms import ReviewForm, ScenarioSourceForm
from lms.calls.labels import call_labels
from lms.calls.models import CallAttempt, CallStatus
from lms.conflicts import posted_base
from lms.db import get_row
from lms.errors import DomainError
from lms.views import act, refuse

bp = Blueprint("calls_admin", __name__, url_prefix="/calls/manage")
bp.context_processor(call_labels)
STAFF = (Role.TRAINER, Role.ADMIN)


@bp.route("/")
@roles_required(*STAFF)
def index():
    return render_template("calls/admin/index.html", cards=scenarios.list_scenarios(current_user),
                           queue=len(review.review_queue()), drafts=builder_new.draft_calls())


@bp.route("/<scenario_slug>")
@roles_required(*STAFF)
def scenario(scenario_slug):
    scenario, version = scenarios.require_scenario(scenario_slug)
    definition = scenarios.compiled(version)
    extremes = scenarios.endings(version)
    return render_template("calls/admin/scenario.html", scenario=scenario, version=version, definition=definition,
                           svg=render_svg(definition, extremes, _("Branches of %(title)s", title=definition.title)),
                           extremes=extremes, stats=analytics.analytics(scenario, version),
                           calls=analytics.recent_calls(scenario),
                           sample=dict(definition.variants[0], agent_id=current_user.employee_no), fill=engine.fill)


@bp.route("/calls/<int:call_id>")
@roles_required(*STAFF)
def call(call_id):
    attempt = get_row(CallAttempt, call_id)
    if attempt.status == CallStatus.IN_PROGRESS:
        flash(_("This call is still in progress."), "info")
        return redirect(url_for("calls_admin.scenario", scenario_slug=attempt.scenario.slug))
    return render_template("calls/debrief.html", report=debrief(attempt), attempt=attempt, staff_view=True)


@bp.route("/<scenario_slug>/learners/<int:user_id>")
@roles_required(*STAFF)
def learner(scenario_slug, user_id):
    scenario, version = scenarios.require_scenario(scenario_slug)
    person = get_row(User, user_id)
    return render_template("calls/admin/learner.html", scenario=scenario, definition=scenarios.compiled(version),
                           person=person, history=results.learner_history(person, scenario))


@bp.route("/<scenario_slug>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit(scenario_slug):
    scenario, version, is_draft = drafts.require_editable(scenario_slug)
    form = ScenarioSourceForm(source=sync.source_of(version), based_on=sync.editing_fingerprint(version))
    errors = []
    if form.validate_on_submit():
        try:
            changed = sync.save_scenario_source(scenario, form.source.data, current_user,
                                                 posted_base(form.based_on))
        except sync.SourceRefused as exc:
            refuse(exc, form)
            errors = exc.errors
        except DomainError as exc:
            refuse(exc, form)
        else:
            flash(_("Saved as version %(n)d. Calls already started keep their version.", n=scenario.current_number)
                  if changed else _("Nothing changed."), "success")
            return redirect(url_for("calls_admin.scenario", scenario_slug=scenario.slug))
    return render_template("calls/admin/edit.html", scenario=scenario, version=version, source=form.source.data,
                           errors=errors, form=form, is_draft=is_draft)


@bp.route("/reviews")
@roles_required(*STAFF)
def reviews():
    return render_template("calls/admin/reviews.html", items=review.review_items(), marks=engine.MARKS,
                           form=ReviewForm())


@bp.route("/turns/<int:turn_id>/review", methods=["POST"])
@roles_required(*STAFF)
def review_turn(turn_id):
    form = ReviewForm()
    return act(lambda: review.review_turn(turn_id, form.mark.data, form.comment.data or "", current_user),
               then=url_for("calls_admin.reviews"), success=_("Review saved; the call is rescored."))


# The call builder's routes join this blueprint.
from lms.calls import builder_views  # noqa: E402, F401, I001
