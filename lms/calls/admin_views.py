"""Trainers: the branch diagram and analytics of each scenario, the YAML editor, the review queue."""

import yaml
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from lms.access import roles_required
from lms.accounts.models import Role, User
from lms.calls import engine, services
from lms.calls.diagram import render_svg
from lms.calls.labels import scenario_labels
from lms.calls.loader import ScenarioSpec, check_definition, plain
from lms.calls.models import CallStatus
from lms.content.files import ContentError, load_yaml
from lms.db import db, mark_refused
from lms.standards.models import StandardItem

bp = Blueprint("calls_admin", __name__, url_prefix="/calls/manage")
bp.context_processor(scenario_labels)
STAFF = (Role.TRAINER, Role.ADMIN)
DIAGRAM_LABELS = {
    "agent": _l("agent"), "customer": _l("customer"), "resolved": _l("resolved"), "callback": _l("callback"),
    "transferred": _l("transferred"), "escalated": _l("escalated"), "hung_up": _l("hung up"),
    "typed": _l("(typed reply)"), "timer": _l("%d s timer"),
}


@bp.route("/")
@roles_required(*STAFF)
def index():
    return render_template("calls/admin/index.html", cards=services.list_scenarios(current_user),
                           queue=len(services.review_queue()))


@bp.route("/<scenario_slug>")
@roles_required(*STAFF)
def scenario(scenario_slug):
    found = services.get_scenario(scenario_slug) or abort(404)
    scenario, version = found
    definition = services.compiled(version)
    extremes = services.endings(version)
    labels = {k: str(v) for k, v in DIAGRAM_LABELS.items()}
    labels["title"] = _("Branches of %(title)s", title=definition.title)
    return render_template("calls/admin/scenario.html", scenario=scenario, version=version, definition=definition,
                           svg=render_svg(definition, extremes, labels), extremes=extremes,
                           stats=services.analytics(scenario, version), calls=services.recent_calls(scenario),
                           sample=dict(definition.variants[0], agent_id=current_user.employee_no), fill=engine.fill)


@bp.route("/calls/<int:call_id>")
@roles_required(*STAFF)
def call(call_id):
    try:
        attempt = services.staff_call(call_id)
    except LookupError:
        abort(404)
    if attempt.status == CallStatus.IN_PROGRESS:
        flash(_("This call is still in progress."), "info")
        return redirect(url_for("calls_admin.scenario", scenario_slug=attempt.scenario.slug))
    return render_template("calls/debrief.html", report=services.debrief(attempt), attempt=attempt,
                           staff_view=True)


@bp.route("/<scenario_slug>/learners/<int:user_id>")
@roles_required(*STAFF)
def learner(scenario_slug, user_id):
    found = services.get_scenario(scenario_slug) or abort(404)
    person = db.session.get(User, user_id) or abort(404)
    scenario, version = found
    return render_template("calls/admin/learner.html", scenario=scenario, definition=services.compiled(version),
                           person=person, history=services.learner_history(person, scenario))


@bp.route("/<scenario_slug>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit(scenario_slug):
    found = services.get_scenario(scenario_slug) or abort(404)
    scenario, version = found
    errors: list[ContentError] = []
    source = request.form.get("source") if request.method == "POST" else yaml.safe_dump(
        version.definition, allow_unicode=True, sort_keys=False, width=110)
    if request.method == "POST":
        try:
            data = load_yaml(source or "", f"{scenario_slug}.yaml")
            if not isinstance(data, dict):
                raise ContentError(f"{scenario_slug}.yaml", 1, None, _("a scenario is a YAML mapping"))
            if data.get("slug") != scenario.slug:
                raise ContentError(f"{scenario_slug}.yaml", data.line_of("slug"), "slug",
                                   _("the slug cannot change here"))
            known = set(db.session.scalars(select(StandardItem.code)))
            errors = check_definition(data, f"{scenario_slug}.yaml", known)
        except ContentError as exc:
            mark_refused()
            errors = [exc]
        if not errors:
            course_slug = db.session.scalar(select(services.Course.slug).where(services.Course.id == scenario.course_id))
            _saved, changed = services.save_scenario(ScenarioSpec(scenario.slug, course_slug or "", plain(data)),
                                                     current_user, source="editor")
            flash(_("Saved as version %(n)d. Calls already started keep their version.", n=scenario.current_number)
                  if changed else _("Nothing changed."), "success")
            return redirect(url_for("calls_admin.scenario", scenario_slug=scenario.slug))
    return render_template("calls/admin/edit.html", scenario=scenario, version=version, source=source,
                           errors=errors)


@bp.route("/reviews")
@roles_required(*STAFF)
def reviews():
    return render_template("calls/admin/reviews.html", queue=services.review_queue(), marks=engine.MARKS,
                           compiled=services.compiled)


@bp.route("/turns/<int:turn_id>/review", methods=["POST"])
@roles_required(*STAFF)
def review(turn_id):
    marks = {key[5:]: value for key, value in request.form.items() if key.startswith("mark-")}
    try:
        services.review_turn(turn_id, marks, request.form.get("comment", ""), current_user)
    except LookupError:
        abort(404)
    except services.DomainError as exc:
        mark_refused()
        flash(str(exc.message), "error")
        return redirect(url_for("calls_admin.reviews"))
    flash(_("Review saved; the call is rescored."), "success")
    return redirect(url_for("calls_admin.reviews"))
