from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from lms.accounts.models import Locale, Role
from lms.forms import choices

ROLE_LABELS = {
    Role.LEARNER: _l("Learner"),
    Role.TRAINER: _l("Trainer"),
    Role.MANAGER: _l("Manager"),
    Role.ADMIN: _l("Administrator"),
}
LOCALE_LABELS = {
    Locale.ZH_HANT: "繁體中文",
    Locale.ZH_HANS: "简体中文",
    Locale.EN: "English",
}


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
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    hire_date = DateField(_l("Hire date"), validators=[Optional()])
    team_name = StringField(_l("Team"), validators=[Optional(), Length(max=100)], render_kw={"list": "team-names"})
    roles = MultiCheckboxField(_l("Roles"), choices=choices(ROLE_LABELS.items()),
                               validators=[DataRequired(_l("Choose at least one role."))])
    locale = SelectField(_l("Language"), choices=choices(LOCALE_LABELS.items()))
    is_active = BooleanField(_l("Active (may log in)"), default=True)
    send_invitation = BooleanField(_l("E-mail an invitation to choose a password"), default=True)
    submit = SubmitField(_l("Save"))


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    team = StringField(_l("Team"), validators=[Optional(), Length(max=100)])
    role = SelectField(_l("Role"), choices=choices([("", _l("Any role")), *ROLE_LABELS.items()]),
                       validators=[Optional()])
    status = SelectField(_l("Status"), choices=choices([
        ("active", _l("Active")), ("inactive", _l("Deactivated")), ("all", _l("All"))]), default="active")


class UserImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(), FileAllowed(["csv", "txt"], _l("Upload a .csv file."))])
    send_invitations = BooleanField(_l("E-mail each new user an invitation to choose a password"), default=True)
    submit = SubmitField(_l("Import"))


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=100)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=500)])
    managers = MultiCheckboxField(_l("Managers"), coerce=int, validate_choice=True)
    submit = SubmitField(_l("Save"))


class ConfirmForm(FlaskForm):
    """An empty form: a button that carries the CSRF token."""

    submit = SubmitField(_l("Confirm"))
