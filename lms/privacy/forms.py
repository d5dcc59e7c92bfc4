"""The forms of the personal-data pages: finding a person, confirming an erasure, retention periods."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from lms.privacy.retention import RETENTION_KINDS

_PRINTABLE = Regexp(r"^[^\x00-\x1f\x7f]*\Z", message=_l("Remove the control characters."))
MAX_DAYS = 3650


class PersonSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or employee number"), validators=[Optional(), Length(max=100), _PRINTABLE])

    def query(self) -> str:
        self.validate()
        return "" if self.q.errors else (self.q.data or "").strip()


class EraseForm(FlaskForm):
    employee_no = StringField(
        _l("Type the person's employee number to confirm"),
        validators=[DataRequired(), Length(max=32), _PRINTABLE],
    )
    submit = SubmitField(_l("Erase personal data"))


class RetentionForm(FlaskForm):
    """One field per kind of record (lms.privacy.retention.RETENTION_KINDS): days, empty for kept for good."""

    submit = SubmitField(_l("Save"))

    def days(self) -> dict[str, int | None]:
        return {key: self[key].data for key in RETENTION_KINDS}


for _key, _kind in RETENTION_KINDS.items():
    setattr(
        RetentionForm,
        _key,
        IntegerField(
            _kind.label,
            description=_kind.hint,
            validators=[
                Optional(),
                NumberRange(
                    min=_kind.minimum,
                    max=MAX_DAYS,
                    message=_l(
                        "Give a number of days from %(min)s to %(max)s, "
                        "or leave it empty to keep them for good."
                    ),
                ),
            ],
        ),
    )
