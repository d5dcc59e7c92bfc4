"""Trainers' pages for sessions: schedule (from a template), change, cancel, assign teams or an onboarding
path, take attendance on a phone, and record an emergency drill."""

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import roles_required
from lms.accounts.models import Role
from lms.classroom.assignment import assign_session, path_choices, team_choices
from lms.classroom.attendance import take_attendance
from lms.classroom.drills import record_drill
from lms.classroom.forms import AssignForm, SessionForm, attendance_form, drill_form
from lms.classroom.models import SessionKind
from lms.classroom.queries import attendance_sheet, session_page
from lms.classroom.scheduling import (
    cancel_session,
    change_session,
    schedule_session,
    template_by_slug,
    templates,
)
from lms.classroom.setup import form_choices, template_prefill
from lms.forms import choices, notices
from lms.views import act, save_form

bp = Blueprint("classroom_admin", __name__, url_prefix="/classroom/manage")
STAFF = (Role.TRAINER, Role.ADMIN)


def _to_session(session):
    return url_for("classroom.session", session_id=session.id)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new():
    form = SessionForm()
    form.set_choices(*form_choices())
    template = template_by_slug(request.args.get("template"))
    if template is not None and not form.is_submitted():
        form.process(data=template_prefill(template, current_user.id))
    done = save_form(form, lambda: schedule_session(current_user, form.data_for_service()), then=_to_session,
                     success=lambda _r: " ".join([_("The session is scheduled."), *notices(form)]))
    return done or render_template("classroom/edit.html", form=form, templates=templates(), template=template,
                                   session=None)


@bp.route("/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit(session_id):
    page = session_page(session_id, current_user)
    form = SessionForm()
    form.set_choices(*form_choices())
    if not form.is_submitted():
        form.fill(page.session)
    done = save_form(form, lambda: change_session(session_id, current_user, form.data_for_service()),
                     then=_to_session, success=_("The session is changed; everyone enrolled gets the new invitation."))
    return done or render_template("classroom/edit.html", form=form, templates=[], template=None, session=page.session)


@bp.route("/<int:session_id>/cancel", methods=["POST"])
@roles_required(*STAFF)
def cancel(session_id):
    return act(lambda: cancel_session(session_id, current_user), url_for("classroom.session", session_id=session_id),
               _("The session is cancelled; everyone enrolled or waiting is told."))


@bp.route("/<int:session_id>/assign", methods=["GET", "POST"])
@roles_required(*STAFF)
def assign(session_id):
    page = session_page(session_id, current_user)
    form = AssignForm()
    form.teams.choices = choices(team_choices())
    form.path.choices = choices([("", _("No onboarding path")), *path_choices()])
    done = save_form(form, lambda: assign_session(session_id, current_user, form.teams.data or [], form.path.data),
                     then=lambda _r: url_for("classroom.session", session_id=session_id),
                     success=lambda seats: _("%(n)d people enrolled or put on the waiting list.", n=len(seats)))
    return done or render_template("classroom/assign.html", page=page, form=form)


@bp.route("/<int:session_id>/attendance", methods=["GET", "POST"])
@roles_required(*STAFF)
def attendance(session_id):
    session, seats = attendance_sheet(session_id)
    form = attendance_form(seats)
    if form.validate_on_submit():  # a refusal is flashed: the sheet may have no person's field to show it under
        return act(lambda: take_attendance(session_id, current_user, form.marks()),
                   url_for("classroom_admin.attendance", session_id=session_id), _("Attendance saved."))
    return render_template("classroom/attendance.html", session=session, seats=seats, form=form)


@bp.route("/<int:session_id>/drill", methods=["GET", "POST"])
@roles_required(*STAFF)
def drill(session_id):
    page = session_page(session_id, current_user)
    if page.session.kind != SessionKind.DRILL:
        abort(404)
    record = page.drill
    form = drill_form([(s.code, s.title) for s in page.drill_steps], record.observed if record else None,
                      record.scenario if record else "", record.debrief if record else "")
    done = save_form(form, lambda: record_drill(session_id, current_user, form.scenario_text.data or "",
                                                form.observed(), form.debrief_text.data or ""),
                     then=lambda _r: url_for("classroom.session", session_id=session_id),
                     success=_("The drill record is saved."))
    return done or render_template("classroom/drill.html", page=page, form=form)
