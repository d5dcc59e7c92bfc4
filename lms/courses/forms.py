"""The courses domain's forms: catalogue filters, assignment, reading position, and the trainer's editor."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.accounts.forms import MultiCheckboxField
from lms.conflicts import posted_base
from lms.courses.authoring import course_details, editing_fingerprint, lesson_details
from lms.courses.labels import AUDIENCE_LABELS, TIER_LABELS
from lms.forms import choices


def split_codes(value: str | None) -> list[str]:
    """Codes typed in one box, separated by commas (either width), '、' or spaces."""
    return [v.strip() for v in (value or "").replace("，", ",").replace("、", ",").replace(" ", ",").split(",")
            if v.strip()]


class CatalogueFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search courses"), validators=[Optional(), Length(max=100)])
    tier = SelectField(_l("Tier"), choices=choices([("", _l("All tiers")), *TIER_LABELS.items()]),
                       validators=[Optional()])
    audience = SelectField(_l("For"), choices=choices([("", _l("Everyone")), *AUDIENCE_LABELS.items()]),
                           validators=[Optional()])

    def filters(self) -> tuple[str | None, str | None, str]:
        """The tier, audience and search words asked for; a value that does not validate is ignored."""
        self.validate()
        tier = self.tier.data if self.tier.data and not self.tier.errors else None
        audience = self.audience.data if self.audience.data and not self.audience.errors else None
        q = (self.q.data or "").strip() if not self.q.errors else ""
        return tier, audience, q


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
    based_on = HiddenField()  # the fingerprint of the details the form was filled from (lms.conflicts)
    submit = SubmitField(_l("Save the draft"))
    stale_edit = None  # set when a save was refused because someone else saved first

    def fill(self, course, version) -> None:
        """Show the course's details as ``version`` (its draft, else the published version) holds them."""
        self.based_on.data = editing_fingerprint(course_details(version))
        self.title.data, self.summary.data = version.title, version.summary
        self.tier.data = str(course.tier)
        self.description.data, self.duration.data = version.description_md, version.duration_minutes
        self.audience.data, self.self_enrol.data = list(version.audience), version.self_enrol
        self.prerequisites.data = ", ".join(version.prerequisites)
        self.standards.data = ", ".join(version.standards)

    def draft_values(self) -> dict:
        """The submitted details, as authoring.update_draft takes them."""
        return {"title": self.title.data, "summary": self.summary.data, "description": self.description.data or "",
                "duration": self.duration.data, "audience": self.audience.data,
                "prerequisites": split_codes(self.prerequisites.data), "standards": split_codes(self.standards.data),
                "self_enrol": self.self_enrol.data, "tier": self.tier.data, "based_on": posted_base(self.based_on)}


class LessonForm(FlaskForm):
    slug = StringField(_l("Lesson name in the address"), validators=[Optional(), Length(max=90)],
                       render_kw={"placeholder": "greeting-and-pickup"})
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    minutes = IntegerField(_l("Minutes"), validators=[InputRequired(), NumberRange(min=1, max=600)])
    standards = StringField(_l("Standard items taught"), validators=[DataRequired(), Length(max=2000)],
                            render_kw={"placeholder": "4.1.1-a, 4.1.1-b"})
    body = TextAreaField(_l("Lesson text (Markdown)"), validators=[DataRequired(), Length(max=200000)],
                         render_kw={"rows": 24, "data-preview": "lesson-preview"})
    based_on = HiddenField()  # the fingerprint of the lesson the form was filled from (lms.conflicts)
    submit = SubmitField(_l("Save the draft"))
    preview = SubmitField(_l("Preview"))
    stale_edit = None  # set when a save was refused because someone else saved first

    def fill(self, lesson) -> None:
        """Show the lesson being edited, or a new lesson's default length."""
        if lesson is None:
            self.minutes.data = 15
            return
        self.based_on.data = editing_fingerprint(lesson_details(lesson))
        self.title.data, self.minutes.data, self.body.data = lesson.title, lesson.minutes, lesson.body_md
        self.standards.data = ", ".join(lesson.standards)

    def lesson_values(self) -> dict:
        """The submitted lesson, as authoring.save_lesson takes it."""
        return {"new_slug": self.slug.data or "", "title": self.title.data, "minutes": self.minutes.data,
                "standards": split_codes(self.standards.data), "body": self.body.data,
                "based_on": posted_base(self.based_on)}


class PreviewForm(FlaskForm):
    text = TextAreaField(validators=[Optional(), Length(max=200000)])
