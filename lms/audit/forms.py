"""The audit log's filter form (a GET form: who, what, when, and the object or address links narrow to)."""

from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from lms.audit.labels import ACTIONS, action_label
from lms.audit.reading import AuditFilter
from lms.forms import choices
from lms.timeutil import local_zone

# What a person types into a filter has no control characters (and PostgreSQL text holds no NUL).
_PRINTABLE = Regexp(r"^[^\x00-\x1f\x7f]*\Z", message=_l("Remove the control characters."))


def _local_midnight(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=local_zone())


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    who = StringField(_l("Who (name or employee number)"), validators=[Optional(), Length(max=100), _PRINTABLE])
    action = SelectField(_l("What"), validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
    object_type = StringField(validators=[Optional(), Length(max=64), _PRINTABLE])
    object_id = StringField(validators=[Optional(), Length(max=64), _PRINTABLE])
    ip = StringField(_l("IP address"), validators=[Optional(), Length(max=64), _PRINTABLE])

    def __init__(self, *args, actions: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        codes = sorted({*ACTIONS, *actions}, key=lambda a: (a.split(".")[0], action_label(a)))
        self.action.choices = choices([("", _l("Any action")), *((a, action_label(a)) for a in codes)])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    def to_filter(self) -> AuditFilter:
        """The filter the query asks for; a field that did not validate filters nothing."""
        self.validate()

        def ok(field):
            return None if field.errors else field.data

        date_to = ok(self.date_to)
        return AuditFilter(
            who=(ok(self.who) or "").strip(),
            action=ok(self.action) or "",
            object_type=(ok(self.object_type) or "").strip(),
            object_id=(ok(self.object_id) or "").strip(),
            ip=(ok(self.ip) or "").strip(),
            start=_local_midnight(self.date_from.data) if ok(self.date_from) else None,
            end=_local_midnight(date_to + timedelta(days=1)) if date_to else None,
        )
