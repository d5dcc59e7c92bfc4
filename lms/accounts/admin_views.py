"""Administration of users, roles and teams, including the bulk CSV import."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import roles_required
from lms.accounts import services
from lms.accounts.forms import ConfirmForm, TeamForm, UserFilterForm, UserForm, UserImportForm
from lms.accounts.models import Locale, Role, Team, User
from lms.accounts.user_import import import_users
from lms.db import db, mark_refused
from lms.errors import DomainError
from lms.forms import choices
from lms.timeutil import local_today

bp = Blueprint("admin", __name__, url_prefix="/admin")

EXAMPLE_CSV = (
    "employee_no,name,email,hire_date,team,roles,locale\r\n"
    "A1001,陳小明,xiaoming.chen@example.com,2026-03-02,客服一組,learner,zh_Hant\r\n"
    "A1002,林美華,meihua.lin@example.com,2026-03-02,客服一組,learner;trainer,zh_Hant\r\n"
)


def _form_to_data(form: UserForm) -> services.UserData:
    team = services.find_team_by_name(form.team_name.data) if form.team_name.data else None
    return services.UserData(
        employee_no=form.employee_no.data, name=form.name.data, email=form.email.data,
        hire_date=form.hire_date.data, locale=Locale(form.locale.data), team_id=team.id if team else None,
        roles={Role(r) for r in form.roles.data}, is_active=form.is_active.data,
    )


@bp.route("/users")
@roles_required(Role.ADMIN)
def users():
    form = UserFilterForm(request.args)
    form.validate()
    flt = services.UserFilter(
        q=(form.q.data or "").strip(),
        team_name="" if form.team.errors else (form.team.data or "").strip(),
        team_id=request.args.get("team_id", type=int),
        role=None if form.role.errors or not form.role.data else Role(form.role.data),
        status="active" if form.status.errors else form.status.data,
    )
    page = services.search_users(flt, page=request.args.get("page", 1, type=int))
    return render_template("accounts/admin_users.html", form=form, page=page)


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_user():
    form = UserForm()
    if request.method == "GET":
        form.roles.data = [Role.LEARNER.value]
        form.locale.data = Locale.ZH_HANT.value
    if form.validate_on_submit():
        try:
            user = services.create_user(_form_to_data(form), invite=form.send_invitation.data)
        except DomainError as exc:
            mark_refused()
            getattr(form, exc.field or "employee_no").errors.append(str(exc.message))
        else:
            flash(_("User %(name)s created.", name=user.name), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("accounts/admin_user_form.html", form=form, user=None,
                           team_names=services.team_names())


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_user(user_id):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    del form.send_invitation
    if request.method == "GET":
        form.team_name.data = user.team.name if user.team else ""
        form.roles.data = [str(r) for r in user.roles]
        form.locale.data = str(user.locale)
    if form.validate_on_submit():
        try:
            services.update_user(user, _form_to_data(form), acting_user=current_user)
        except DomainError as exc:
            mark_refused()
            getattr(form, exc.field or "employee_no").errors.append(str(exc.message))
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("accounts/admin_user_form.html", form=form, user=user, confirm=ConfirmForm(),
                           team_names=services.team_names())


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@roles_required(Role.ADMIN)
def deactivate_user(user_id):
    return _set_active(user_id, False)


@bp.route("/users/<int:user_id>/activate", methods=["POST"])
@roles_required(Role.ADMIN)
def activate_user(user_id):
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.set_user_active(user, active, current_user)
        except DomainError as exc:
            mark_refused()
            flash(str(exc.message), "error")
        else:
            flash(_("%(name)s can log in again.", name=user.name) if active
                  else _("%(name)s is deactivated and logged out everywhere.", name=user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/invite", methods=["POST"])
@roles_required(Role.ADMIN)
def invite_user(user_id):
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit() and user.is_active:
        services.send_invitation(user)
        flash(_("An e-mail with a link to choose a password is on its way to %(email)s.", email=user.email),
              "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/import", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def import_users_view():
    form = UserImportForm()
    result = None
    if form.validate_on_submit():
        data = form.file.data.read()
        result = import_users(data, today=local_today(), invite=form.send_invitations.data)
        if result.ok:
            flash(_("%(n)d users imported.", n=len(result.rows)), "success")
            return redirect(url_for("admin.users"))
        mark_refused()
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
    page = services.team_overview(q, page=request.args.get("page", 1, type=int))
    return render_template("accounts/admin_teams.html", page=page, q=q)


@bp.route("/teams/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_team():
    return _team_form(None)


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_team(team_id):
    return _team_form(db.get_or_404(Team, team_id))


def _team_form(team: Team | None):
    form = TeamForm(obj=team)
    form.managers.choices = choices(
        (u.id, f"{u.name}（{u.employee_no}）") for u in services.users_with_role(Role.MANAGER))
    if request.method == "GET" and team is not None:
        form.managers.data = [u.id for u in team.managers]
    if form.validate_on_submit():
        try:
            team = services.save_team(team, form.name.data, form.description.data, form.managers.data)
        except DomainError as exc:
            mark_refused()
            getattr(form, exc.field or "name").errors.append(str(exc.message))
        else:
            flash(_("Team %(name)s saved.", name=team.name), "success")
            return redirect(url_for("admin.teams"))
    return render_template("accounts/admin_team_form.html", form=form, team=team)
