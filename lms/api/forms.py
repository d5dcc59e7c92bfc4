"""The forms of the token pages."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

from lms.accounts.forms import MultiCheckboxField
from lms.api.labels import scope_label
from lms.api.scopes import ALL_SCOPES
from lms.db import utcnow

DEFAULT_DAYS = 90


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("What the token is for, e.g. HR system or QA system."))
    scopes = MultiCheckboxField(_l("Permissions"), validate_choice=True)
    expires_on = DateField(_l("Expires on"), validators=[InputRequired()])
    submit = SubmitField(_l("Create token"))

    def __init__(self, allowed, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes.choices = [(s, scope_label(s)) for s in ALL_SCOPES if s in allowed]
        if self.expires_on.data is None and not self.is_submitted():
            self.expires_on.data = utcnow().date() + timedelta(days=DEFAULT_DAYS)
