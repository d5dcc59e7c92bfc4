"""The trainer's competition form; the choices (teams, scenarios, exams) are filled by lms.competitions.pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from lms.accounts.forms import MultiCheckboxField


class CompetitionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)],
                                description=_l("What is assessed and how the winners are recognised."))
    starts_on = DateField(_l("First day"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day"), validators=[InputRequired()],
                        description=_l("Days in the centre's time zone; attempts started and finished from the "
                                       "first day's start to the last day's end count."))
    teams = MultiCheckboxField(_l("Teams taking part"), coerce=int, validators=[Optional()])
    scenarios = MultiCheckboxField(_l("Call scenarios (assessment calls)"), coerce=int, validators=[Optional()])
    exam = SelectField(_l("Exam"), coerce=int, validators=[Optional()])
    show_names = BooleanField(_l("Show names to participants"), default=True,
                              description=_l("When off, participants see ranks, their own name and team names; "
                                             "trainers and managers always see names."))
    submit = SubmitField(_l("Set up the competition"))


class CloseForm(FlaskForm):
    submit = SubmitField(_l("Close and give the honours"))
