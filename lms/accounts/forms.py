from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from lms.accounts.identifiers import without_nul
from lms.accounts.labels import LOCALE_LABELS, ROLE_LABELS, USER_STATUS_LABELS
from lms.accounts.models import Locale, Role
from lms.accounts.teams import find_team_by_name
from lms.accounts.users import UserData, UserFilter
from lms.forms import Printable, choices


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LoginForm(FlaskForm):
    identifier = StringField(_l("Employee number or e-mail"), validators=[DataRequired(), Length(max=254)],
                             render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me logged in on this computer"))
    submit = SubmitField(_l("Log in"))


class ForgotPasswordForm(FlaskForm):
    identifier = StringField(_l("Employee number or e-mail"), validators=[DataRequired(), Length(max=254)],
                             render_kw={"autocomplete": "username"})
    submit = SubmitField(_l("Send me a reset link"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", _l("The two passwords differ."))],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Save the password"))


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)],
                                     render_kw={"autocomplete": "current-password"})


class ProfileForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=choices(LOCALE_LABELS.items()))
    submit = SubmitField(_l("Save"))


class LocaleForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=choices(LOCALE_LABELS.items()))
    next = StringField()
    submit = SubmitField(_l("Switch"))


class UserForm(FlaskForm):
    employee_no = StringField(_l("Employee number"), validators=[
        DataRequired(), Length(max=32),
        Regexp(r"^[A-Za-z0-9０-９Ａ-Ｚａ-ｚ][A-Za-z0-9０-９Ａ-Ｚａ-ｚ_.\-]*$",
               message=_l("Use letters, digits, dots, dashes or underscores."))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100), Printable()])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    hire_date = DateField(_l("Hire date"), validators=[Optional()])
    team_name = StringField(_l("Team"), validators=[Optional(), Length(max=100)], render_kw={"list": "team-names"})
    roles = MultiCheckboxField(_l("Roles"), choices=choices(ROLE_LABELS.items()),
                               validators=[DataRequired(_l("Choose at least one role."))])
    locale = SelectField(_l("Language"), choices=choices(LOCALE_LABELS.items()))
    is_active = BooleanField(_l("Active (may log in)"), default=True)
    send_invitation = BooleanField(_l("E-mail an invitation to choose a password"), default=True)
    submit = SubmitField(_l("Save"))

    @classmethod
    def for_new_user(cls) -> "UserForm":
        return cls(data={"roles": [Role.LEARNER.value], "locale": Locale.ZH_HANT.value})

    @classmethod
    def for_user(cls, user) -> "UserForm":
        """The form to edit ``user`` (no invitation box: an existing user is invited by its own button)."""
        form = cls(data={
            "employee_no": user.employee_no, "name": user.name, "email": user.email, "hire_date": user.hire_date,
            "team_name": user.team.name if user.team else "", "roles": [str(r) for r in user.roles],
            "locale": str(user.locale), "is_active": user.is_active})
        del form.send_invitation
        return form

    def user_data(self) -> UserData:
        """What the form says, with the team looked up by name (DomainError on team_name if unknown)."""
        team = find_team_by_name(self.team_name.data) if self.team_name.data else None
        return UserData(
            employee_no=self.employee_no.data, name=self.name.data, email=self.email.data,
            hire_date=self.hire_date.data, locale=Locale(self.locale.data), team_id=team.id if team else None,
            roles={Role(r) for r in self.roles.data}, is_active=self.is_active.data,
        )


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)], filters=[without_nul])
    team = StringField(_l("Team"), validators=[Optional(), Length(max=100)], filters=[without_nul])
    role = SelectField(_l("Role"), choices=choices([("", _l("Any role")), *ROLE_LABELS.items()]),
                       validators=[Optional()])
    status = SelectField(_l("Status"), choices=choices(USER_STATUS_LABELS.items()), default="active")
    team_id = IntegerField(validators=[Optional()])

    def to_filter(self) -> UserFilter:
        """The filter the query asks for; a field that did not validate filters nothing."""
        self.validate()
        return UserFilter(
            q=(self.q.data or "").strip(),
            team_name="" if self.team.errors else (self.team.data or "").strip(),
            team_id=None if self.team_id.errors else self.team_id.data,
            role=None if self.role.errors or not self.role.data else Role(self.role.data),
            status="active" if self.status.errors else self.status.data,
        )


class UserImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(), FileAllowed(["csv", "txt"], _l("Upload a .csv file."))])
    send_invitations = BooleanField(_l("E-mail each new user an invitation to choose a password"), default=True)
    submit = SubmitField(_l("Import"))


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=100)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=500)])
    managers = MultiCheckboxField(_l("Managers"), coerce=int, validate_choice=True)
    submit = SubmitField(_l("Save"))

    @classmethod
    def for_team(cls, team, candidates) -> "TeamForm":
        """The form for a new team (``team`` None) or an existing one; ``candidates`` may be its managers."""
        data = None if team is None else {"name": team.name, "description": team.description,
                                          "managers": [u.id for u in team.managers]}
        form = cls(data=data)
        form.managers.choices = choices((u.id, f"{u.name}（{u.employee_no}）") for u in candidates)
        return form


class ConfirmForm(FlaskForm):
    """An empty form: a button that carries the CSRF token."""

    submit = SubmitField(_l("Confirm"))
