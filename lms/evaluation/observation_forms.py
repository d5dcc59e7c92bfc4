"""The observer's scorecard form: one radio group per rubric criterion (met, partly, missed, breached or not
observed), the call's reference, the day of the call and notes. The service checks the values again."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from lms.evaluation.labels_levels13 import RATING_LABELS
from lms.evaluation.observations import MAX_NOTES
from lms.evaluation.scorecard import RATINGS, CriterionRef
from lms.forms import choices as choices_of


class ScorecardBase(FlaskForm):
    criterion_ids: list[str] = []
    call_reference = StringField(_l("Call reference (recording or ticket number)"),
                                 validators=[InputRequired(message=_l("Give the call's recording or ticket number.")),
                                             Length(max=100)])
    observed_on = DateField(_l("Day of the call"),
                            validators=[InputRequired(message=_l("Give the day of the call (not in the future)."))])
    notes = TextAreaField(_l("Notes for the learner"), validators=[Length(max=MAX_NOTES)])

    def ratings(self) -> dict:
        return {cid: self[f"c_{cid}"].data or "" for cid in self.criterion_ids}


def scorecard_form(criteria: list[CriterionRef]) -> ScorecardBase:
    choices = [(r, RATING_LABELS[r]) for r in RATINGS] + [("", RATING_LABELS[""])]
    fields = {f"c_{c.id}": RadioField(c.title, choices=choices_of(choices), default="", validate_choice=True)
              for c in criteria}
    form_class = type("ScorecardForm", (ScorecardBase,), {**fields, "criterion_ids": [c.id for c in criteria]})
    return form_class()
