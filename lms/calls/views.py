"""Learners play simulated calls: the list, the briefing, the call itself and the debrief."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.access import authenticated
from lms.calls import services
from lms.calls.labels import scenario_labels
from lms.calls.models import CallMode, CallStatus
from lms.db import mark_refused, utcnow
from lms.errors import DomainError

bp = Blueprint("calls", __name__, url_prefix="/calls")
bp.context_processor(scenario_labels)


def _call_or_404(attempt_id: int):
    try:
        return services.load_call(attempt_id, current_user)
    except LookupError:
        abort(404)


@bp.route("/")
@authenticated
def index():
    return render_template("calls/index.html", cards=services.list_scenarios(current_user))


@bp.route("/<scenario_slug>")
@authenticated
def briefing(scenario_slug):
    found = services.get_scenario(scenario_slug) or abort(404)
    scenario, version = found
    definition = services.compiled(version)
    return render_template("calls/briefing.html", scenario=scenario, version=version, definition=definition,
                           history=services.learner_history(current_user, scenario))


@bp.route("/<scenario_slug>/start", methods=["POST"])
@authenticated
def start(scenario_slug):
    mode = request.form.get("mode", "")
    try:
        attempt = services.start_call(current_user, scenario_slug, mode)
    except DomainError as exc:
        mark_refused()
        flash(str(exc.message), "error")
        return redirect(url_for("calls.briefing", scenario_slug=scenario_slug))
    return redirect(url_for("calls.play", attempt_id=attempt.id) + "#turn")


@bp.route("/attempts/<int:attempt_id>")
@authenticated
def play(attempt_id):
    attempt = _call_or_404(attempt_id)
    if attempt.status != CallStatus.IN_PROGRESS:
        return redirect(url_for("calls.debrief", attempt_id=attempt.id))
    definition = services.compiled(attempt.version)
    state = services.engine.CallState.from_dict(attempt.state)
    turn = services.current_turn(attempt, definition, utcnow())
    decisions = [i for i, e in enumerate(state.events) if e.kind in ("agent", "timeout")]
    last_decision = state.events[decisions[-1]] if decisions else None
    return render_template("calls/play.html", attempt=attempt, definition=definition, state=state, turn=turn,
                           practice=attempt.mode == CallMode.PRACTICE, last_decision=last_decision,
                           new_since=decisions[-1] + 1 if decisions else 0)


@bp.route("/attempts/<int:attempt_id>/reply", methods=["POST"])
@authenticated
def reply(attempt_id):
    _call_or_404(attempt_id)
    at = request.form.get("at", type=int)
    try:
        if request.form.get("timeout") == "1":
            services.take_turn(attempt_id, current_user, timed_out=True, at=at)
        elif "text" in request.form:
            services.take_turn(attempt_id, current_user, text=request.form.get("text", "")[:2000], at=at)
        else:
            services.take_turn(attempt_id, current_user, option=request.form.get("option", type=int), at=at)
    except DomainError as exc:
        mark_refused()
        flash(str(exc.message), "error")
    return redirect(url_for("calls.play", attempt_id=attempt_id) + "#turn")


@bp.route("/attempts/<int:attempt_id>/debrief")
@authenticated
def debrief(attempt_id):
    attempt = _call_or_404(attempt_id)
    if attempt.status == CallStatus.IN_PROGRESS:
        return redirect(url_for("calls.play", attempt_id=attempt.id))
    return render_template("calls/debrief.html", report=services.debrief(attempt), attempt=attempt)
