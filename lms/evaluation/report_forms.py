"""Forms of the report pages and the improvement actions."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lms.evaluation.labels_reports import ACTION_STATUS_LABELS
from lms.forms import choices


class ReportDatesForm(FlaskForm):
    """Narrow a report to dates (a GET form: the address says what the report shows)."""

    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("Until"), validators=[Optional()])

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date comes before the start date."))

    def dates(self):
        """(start, end) as asked, or (None, None) when what was typed is not a valid pair of dates."""
        if not self.validate():
            return None, None
        return self.start.data, self.end.data


def _id_or_none(value):
    # The list starts with an empty "choose" entry (a required select needs one); it reads as no answer.
    return int(value) if value not in ("", None) else None


class ActionForm(FlaskForm):
    finding = TextAreaField(_l("Finding"), validators=[DataRequired(), Length(max=2000)],
                            render_kw={"rows": 3})
    action = TextAreaField(_l("Action to take"), validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 3})
    owner = SelectField(_l("Owner"), coerce=_id_or_none, validators=[DataRequired()])
    due_on = DateField(_l("Due date"), validators=[DataRequired()])
    submit = SubmitField(_l("Record the action"))


class ActionStatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=choices(ACTION_STATUS_LABELS.items()))
    submit = SubmitField(_l("Save the status"))


class MeasureForm(FlaskForm):
    measure = SubmitField(_l("Measure the effect now"))  # not "submit": the page's status form has that id
