"""Learners play simulated calls: the list, the briefing, the call itself and the debrief."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from lms.access import authenticated
from lms.calls import playing, results, scenarios
from lms.calls.channels import channel_named
from lms.calls.debrief import debrief as debrief_of
from lms.calls.forms import ReplyForm, StartCallForm
from lms.calls.labels import call_labels
from lms.calls.models import CallStatus
from lms.db import utcnow
from lms.errors import DomainError
from lms.views import act, refuse

bp = Blueprint("calls", __name__, url_prefix="/calls")
bp.context_processor(call_labels)


@bp.route("/")
@authenticated
def index():
    return render_template("calls/index.html", cards=scenarios.list_scenarios(current_user))


@bp.route("/<scenario_slug>")
@authenticated
def briefing(scenario_slug):
    scenario, version = scenarios.require_scenario(scenario_slug)
    definition = scenarios.compiled(version)
    return render_template("calls/briefing.html", scenario=scenario, version=version, definition=definition,
                           channel=channel_named(definition.channel),
                           history=results.learner_history(current_user, scenario))


@bp.route("/<scenario_slug>/start", methods=["POST"])
@authenticated
def start(scenario_slug):
    try:
        attempt = playing.start_call(current_user, scenario_slug, StartCallForm().mode.data or "")
    except DomainError as exc:
        refuse(exc)
        return redirect(url_for("calls.briefing", scenario_slug=scenario_slug))
    return redirect(url_for("calls.play", attempt_id=attempt.id) + "#turn")


@bp.route("/attempts/<int:attempt_id>")
@authenticated
def play(attempt_id):
    attempt = playing.load_call(attempt_id, current_user)
    if attempt.status != CallStatus.IN_PROGRESS:
        return redirect(url_for("calls.debrief", attempt_id=attempt.id))
    return render_template("calls/play.html", page=playing.play_page(attempt, utcnow()))


@bp.route("/attempts/<int:attempt_id>/reply", methods=["POST"])
@authenticated
def reply(attempt_id):
    form = ReplyForm()
    return act(lambda: playing.take_turn(attempt_id, current_user, **form.turn()),
               then=url_for("calls.play", attempt_id=attempt_id) + "#turn")


@bp.route("/attempts/<int:attempt_id>/debrief")
@authenticated
def debrief(attempt_id):
    attempt = playing.load_call(attempt_id, current_user)
    if attempt.status == CallStatus.IN_PROGRESS:
        return redirect(url_for("calls.play", attempt_id=attempt.id))
    return render_template("calls/debrief.html", report=debrief_of(attempt), attempt=attempt)
