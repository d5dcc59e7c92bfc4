"""Administration of users, roles and teams, including the bulk CSV import."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.access import roles_required
from lms.accounts.forms import ConfirmForm, TeamForm, UserFilterForm, UserForm, UserImportForm
from lms.accounts.models import Role, Team, User
from lms.accounts.passwords import send_invitation
from lms.accounts.teams import save_team, team_names, team_overview
from lms.accounts.user_import import EXAMPLE_CSV, import_users
from lms.accounts.users import create_user, search_users, set_user_active, update_user, users_with_role
from lms.db import get_row, mark_refused
from lms.errors import DomainError
from lms.timeutil import local_today
from lms.views import act, refuse

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@roles_required(Role.ADMIN)
def users():
    form = UserFilterForm(request.args)
    page = search_users(form.to_filter(), page=request.args.get("page", 1, type=int))
    return render_template("accounts/admin_users.html", form=form, page=page)


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_user():
    form = UserForm.for_new_user()
    if form.validate_on_submit():
        try:
            user = create_user(form.user_data(), invite=form.send_invitation.data)
        except DomainError as exc:
            refuse(exc, form)
        else:
            flash(_("User %(name)s created.", name=user.name), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("accounts/admin_user_form.html", form=form, user=None, team_names=team_names())


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_user(user_id):
    user = get_row(User, user_id)
    form = UserForm.for_user(user)
    if form.validate_on_submit():
        try:
            update_user(user, form.user_data(), acting_user=current_user)
        except DomainError as exc:
            refuse(exc, form)
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("accounts/admin_user_form.html", form=form, user=user, confirm=ConfirmForm(),
                           team_names=team_names())


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@roles_required(Role.ADMIN)
def deactivate_user(user_id):
    user = get_row(User, user_id)
    return _confirmed(lambda: set_user_active(user, False, current_user), user,
                      _("%(name)s is deactivated and logged out everywhere.", name=user.name))


@bp.route("/users/<int:user_id>/activate", methods=["POST"])
@roles_required(Role.ADMIN)
def activate_user(user_id):
    user = get_row(User, user_id)
    return _confirmed(lambda: set_user_active(user, True, current_user), user,
                      _("%(name)s can log in again.", name=user.name))


@bp.route("/users/<int:user_id>/invite", methods=["POST"])
@roles_required(Role.ADMIN)
def invite_user(user_id):
    user = get_row(User, user_id)
    if not user.is_active:
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return _confirmed(lambda: send_invitation(user), user,
                      _("An e-mail with a link to choose a password is on its way to %(email)s.", email=user.email))


def _confirmed(action, user: User, success: str):
    """Run an action of the user page's buttons (each a ConfirmForm) and return to the page."""
    then = url_for("admin.edit_user", user_id=user.id)
    if not ConfirmForm().validate_on_submit():
        return redirect(then)
    return act(action, then=then, success=success)


@bp.route("/users/import", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def import_users_view():
    form = UserImportForm()
    result = None
    if form.validate_on_submit():
        result = import_users(form.file.data.read(), today=local_today(), invite=form.send_invitations.data)
        if result.ok:
            flash(ngettext("%(num)d user imported.", "%(num)d users imported.", len(result.rows)), "success")
            return redirect(url_for("admin.users"))
        mark_refused()  # nothing of a file with errors is kept
    return render_template("accounts/admin_import.html", form=form, result=result)


@bp.route("/users/import/example.csv")
@roles_required(Role.ADMIN)
def import_example():
    return Response("\ufeff" + EXAMPLE_CSV, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=users-example.csv"})


@bp.route("/teams")
@roles_required(Role.ADMIN)
def teams():
    q = request.args.get("q", "")[:100].strip()
    page = team_overview(q, page=request.args.get("page", 1, type=int))
    return render_template("accounts/admin_teams.html", page=page, q=q)


@bp.route("/teams/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_team():
    return _team_form(None)


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_team(team_id):
    return _team_form(get_row(Team, team_id))


def _team_form(team: Team | None):
    form = TeamForm.for_team(team, users_with_role(Role.MANAGER))
    if form.validate_on_submit():
        try:
            team = save_team(team, form.name.data, form.description.data, form.managers.data)
        except DomainError as exc:
            refuse(exc, form)
        else:
            flash(_("Team %(name)s saved.", name=team.name), "success")
            return redirect(url_for("admin.teams"))
    return render_template("accounts/admin_team_form.html", form=form, team=team)
