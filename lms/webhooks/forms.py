"""The webhook endpoint form and the buttons' forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from lms.webhooks.endpoints import url_problem
from lms.webhooks.events import EVENT_TYPES
from lms.webhooks.labels import EVENT_LABELS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _url_allowed(_form, field):
    if problem := url_problem(field.data):
        raise ValidationError(problem)


class EndpointForm(FlaskForm):
    url = StringField(_l("URL"), validators=[_url_allowed],
                      description=_l("Where the events are posted: an http:// or https:// address of the "
                                     "receiving system (https in production)."),
                      render_kw={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"})
    description = StringField(_l("Description"), validators=[Optional(), Length(max=200)],
                              description=_l("Which system receives them, and who looks after it."))
    events = MultiCheckboxField(_l("Events"))
    is_active = BooleanField(_l("Active (events are sent)"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.events.choices = [(code, EVENT_LABELS[code]) for code in EVENT_TYPES]

    def validate_events(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one event."))


class ButtonForm(FlaskForm):
    """A button that posts nothing but its CSRF token (send a test event, send again, new secret)."""

    submit = SubmitField(_l("Send"))
