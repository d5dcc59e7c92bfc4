from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.accounts.forms import MultiCheckboxField
from lms.courses.models import Tier
from lms.forms import choices

TIER_LABELS = {
    Tier.FOUNDATION: _l("Foundation training"),
    Tier.PROFESSIONAL: _l("Professional skills training"),
    Tier.MANAGEMENT: _l("Management training"),
    Tier.DEVELOPMENT: _l("Continuous development training"),
}
AUDIENCE_LABELS = {
    "learner": _l("Front-line staff"),
    "trainer": _l("Trainers"),
    "manager": _l("Managers"),
}


class CatalogueFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search courses"), validators=[Optional(), Length(max=100)])
    tier = SelectField(_l("Tier"), choices=choices([("", _l("All tiers")), *TIER_LABELS.items()]),
                       validators=[Optional()])
    audience = SelectField(_l("For"), choices=choices([("", _l("Everyone")), *AUDIENCE_LABELS.items()]),
                           validators=[Optional()])


class PositionForm(FlaskForm):
    position = FloatField(validators=[InputRequired(), NumberRange(min=0, max=1)])


class AssignForm(FlaskForm):
    course = SelectField(_l("Course"), validators=[DataRequired()])
    teams = MultiCheckboxField(_l("Whole teams"), coerce=int, validate_choice=True)
    people = TextAreaField(_l("People (employee numbers)"), validators=[Optional(), Length(max=20000)])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    submit = SubmitField(_l("Assign"))


class NewCourseForm(FlaskForm):
    code = StringField(_l("Course code"), validators=[DataRequired(), Length(max=16)], render_kw={"placeholder": "PRO-210"})
    slug = StringField(_l("Folder name"), validators=[DataRequired(), Length(max=100)],
                       render_kw={"placeholder": "pro-210-my-course"})
    tier = SelectField(_l("Tier"), choices=choices(TIER_LABELS.items()))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = StringField(_l("Summary"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Create the draft"))


class CourseDraftForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    tier = SelectField(_l("Tier"), choices=choices(TIER_LABELS.items()))
    summary = StringField(_l("Summary"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description (Markdown)"), validators=[Optional(), Length(max=100000)],
                                render_kw={"rows": 8, "data-preview": "description-preview"})
    duration = IntegerField(_l("Duration in minutes"), validators=[InputRequired(), NumberRange(min=1, max=100000)])
    audience = MultiCheckboxField(_l("For"), choices=choices(AUDIENCE_LABELS.items()),
                                  validators=[DataRequired(_l("Choose at least one audience."))])
    prerequisites = StringField(_l("Prerequisite course codes"), validators=[Optional(), Length(max=500)],
                                render_kw={"placeholder": "FND-101, PRO-201"})
    standards = StringField(_l("Standard items the course covers"), validators=[Optional(), Length(max=2000)])
    self_enrol = BooleanField(_l("Learners may enrol themselves"))
    submit = SubmitField(_l("Save the draft"))


class LessonForm(FlaskForm):
    slug = StringField(_l("Lesson name in the address"), validators=[Optional(), Length(max=90)],
                       render_kw={"placeholder": "greeting-and-pickup"})
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    minutes = IntegerField(_l("Minutes"), validators=[InputRequired(), NumberRange(min=1, max=600)])
    standards = StringField(_l("Standard items taught"), validators=[DataRequired(), Length(max=2000)],
                            render_kw={"placeholder": "4.1.1-a, 4.1.1-b"})
    body = TextAreaField(_l("Lesson text (Markdown)"), validators=[DataRequired(), Length(max=200000)],
                         render_kw={"rows": 24, "data-preview": "lesson-preview"})
    submit = SubmitField(_l("Save the draft"))
    preview = SubmitField(_l("Preview"))


class PreviewForm(FlaskForm):
    text = TextAreaField(validators=[Optional(), Length(max=200000)])
