"""The KPI domain's forms: the import upload, the standard items of a KPI, the team page's choices, the
thresholds and the assignment of courses for KPI flags."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateField,
    FloatField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

ITEM_SPLIT = re.compile(r"[\s,，;；、]+")


class KpiImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(), FileAllowed(["csv", "txt"], _l("Upload a .csv file."))])
    submit = SubmitField(_l("Import"))

    def upload(self) -> tuple[bytes, str]:
        return self.file.data.read(), self.file.data.filename or ""


class KpiItemsForm(FlaskForm):
    items = TextAreaField(_l("Standard items"), validators=[Optional(), Length(max=4000)],
                          description=_l("Item codes such as 7.1.1-b, separated by spaces, commas or new lines."))
    submit = SubmitField(_l("Save"))

    def codes(self) -> list[str]:
        return sorted({c for c in ITEM_SPLIT.split(self.items.data or "") if c})


class TeamKpiForm(FlaskForm):
    """The team page's choices, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    team_id = SelectField(_l("Team"), coerce=int, validate_choice=False)
    course = SelectField(_l("Course whose effect is shown"), validate_choice=False)
    submit = SubmitField(_l("Show"))


class ThresholdForm(FlaskForm):
    kpi = SelectField(_l("KPI"), validate_choice=False)
    team_id = SelectField(_l("Applies to"), coerce=int, validate_choice=False)
    value = FloatField(_l("Threshold"), validators=[InputRequired()],
                       description=_l("For a KPI where higher is better, agents below it are flagged; where lower "
                                      "is better, agents above it."))
    submit = SubmitField(_l("Save the threshold"))


class RemoveThresholdForm(FlaskForm):
    threshold_id = HiddenField(validators=[InputRequired()])
    submit = SubmitField(_l("Remove"))

    def row_id(self) -> int:
        return int(self.threshold_id.data) if str(self.threshold_id.data or "").isdigit() else 0


class FlagFilterForm(FlaskForm):
    """The flags page's team choice, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    team_id = SelectField(_l("Team"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Show"))


class AssignFlagsForm(FlaskForm):
    flags = SelectMultipleField(_l("Agents"), validate_choice=False, widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput())
    due_date = DateField(_l("Due date"), validators=[Optional()])
    team_id = HiddenField()
    submit = SubmitField(_l("Assign the recommended courses"))
