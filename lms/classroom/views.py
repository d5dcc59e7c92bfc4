"""Classroom and live sessions for everyone: the list, a session's page and calendar file, taking and giving
up a place, and a manager enrolling team members."""

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import authenticated, roles_required
from lms.accounts.models import Role
from lms.classroom.calendar import ICS_TYPE, calendar_filename, session_calendar
from lms.classroom.forms import MembersForm
from lms.classroom.queries import session_page, session_rows
from lms.classroom.seats import cancel_seat, enrol_members, enrol_self, team_members
from lms.forms import choices
from lms.urls import external_url
from lms.views import act, save_form

bp = Blueprint("classroom", __name__, url_prefix="/classroom")


@bp.route("/")
@authenticated
def index():
    past = request.args.get("past") == "1"
    return render_template("classroom/index.html", rows=session_rows(current_user, past=past), past=past,
                           can_schedule=current_user.has_role(Role.TRAINER, Role.ADMIN))


@bp.route("/<int:session_id>")
@authenticated
def session(session_id):
    return render_template("classroom/session.html", page=session_page(session_id, current_user),
                           can_enrol_members=current_user.has_role(Role.MANAGER, Role.ADMIN))


@bp.route("/<int:session_id>/calendar.ics")
@authenticated
def calendar(session_id):
    page = session_page(session_id, current_user)
    content = session_calendar(page.session, external_url("classroom.session", session_id=session_id),
                               attendee=current_user if page.my_seat else None)
    return Response(content, mimetype=ICS_TYPE, headers={
        "Content-Disposition": f"attachment; filename={calendar_filename(page.session)}"})


@bp.route("/<int:session_id>/enrol", methods=["POST"])
@roles_required(Role.LEARNER)
def enrol(session_id):
    return act(lambda: enrol_self(session_id, current_user), url_for("classroom.session", session_id=session_id),
               _("Your request is saved: see your place below."))


@bp.route("/<int:session_id>/cancel-place", methods=["POST"])
@authenticated
def cancel_place(session_id):
    return act(lambda: cancel_seat(session_id, current_user), url_for("classroom.session", session_id=session_id),
               _("Your place is cancelled."))


@bp.route("/<int:session_id>/team", methods=["GET", "POST"])
@roles_required(Role.MANAGER, Role.ADMIN)
def team(session_id):
    page = session_page(session_id, current_user)
    form = MembersForm()
    form.people.choices = choices((u.id, f"{u.name}（{u.employee_no}）") for u in team_members(current_user))
    done = save_form(form, lambda: enrol_members(session_id, current_user, form.people.data or []),
                     then=lambda _r: url_for("classroom.session", session_id=session_id),
                     success=lambda seats: _("%(n)d people enrolled or put on the waiting list.", n=len(seats)))
    return done or render_template("classroom/team.html", page=page, form=form)
