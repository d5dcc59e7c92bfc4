"""The survey form: built from a survey version's items, one accessible radio group (a fieldset with its
legend) per rated item and a text area per comment. The service checks the answers again."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from lms.evaluation.labels_levels13 import BREAKDOWN_LABELS
from lms.evaluation.surveys import MAX_COMMENT
from lms.forms import choices as choices_of

LIKERT_CHOICES = [(1, _l("1 · Strongly disagree")), (2, _l("2 · Disagree")), (3, _l("3 · Neither agree nor disagree")),
                  (4, _l("4 · Agree")), (5, _l("5 · Strongly agree"))]
NPS_CHOICES = [(n, str(n)) for n in range(11)]
PLEASE_ANSWER = _l("Please answer this question.")


class SurveyFormBase(FlaskForm):
    item_ids: list[str] = []

    def answers(self) -> dict:
        return {item_id: self[f"item_{item_id}"].data for item_id in self.item_ids}


def _field(item: dict):
    required = [InputRequired(message=PLEASE_ANSWER)] if item["required"] else [Optional()]
    if item["kind"] == "comment":
        return TextAreaField(item["text"], validators=[*required, Length(max=MAX_COMMENT)])
    choices = LIKERT_CHOICES if item["kind"] == "likert" else NPS_CHOICES
    return RadioField(item["text"], choices=choices_of(choices), coerce=int, validators=required)


def survey_form(items: list[dict]) -> SurveyFormBase:
    """A form class for these items (field item_<id> for each), instantiated on the request's data."""
    fields = {f"item_{item['id']}": _field(item) for item in items}
    form_class = type("SurveyForm", (SurveyFormBase,), {**fields, "item_ids": [i["id"] for i in items]})
    return form_class()


class ResultFilterForm(FlaskForm):
    """The survey results' filters (a GET form: no CSRF token, nothing is changed)."""

    class Meta:
        csrf = False

    course = SelectField(_l("Course"), default="")
    trainer = SelectField(_l("Trainer"), default="")
    cohort = SelectField(_l("Cohort (month the run ended)"), default="")
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    by = SelectField(_l("Break down by"), default="course",
                     choices=choices_of(BREAKDOWN_LABELS.items()))

    def fill(self, options: dict) -> "ResultFilterForm":
        everything = ("", _l("All"))
        self.course.choices = choices_of([everything, *options["courses"]])
        self.trainer.choices = choices_of([everything, *[(str(i), n) for i, n in options["trainers"]]])
        self.cohort.choices = choices_of([everything, *[(c, c) for c in options["cohorts"]]])
        return self

    def scope(self, team_ids):
        from lms.evaluation.survey_results import ResultFilter

        valid = self.validate()
        trainer = self.trainer.data if valid else ""
        return ResultFilter(course=self.course.data if valid else "", cohort=self.cohort.data if valid else "",
                            trainer_id=int(trainer) if trainer and trainer.isdigit() else None,
                            start=self.start.data if valid else None, end=self.end.data if valid else None,
                            team_ids=team_ids, by=self.by.data if valid and self.by.data else "course")
