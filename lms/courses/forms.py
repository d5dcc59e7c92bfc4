"""The courses domain's forms: catalogue filters, assignment, reading position, and the trainer's editor."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FloatField,
    FormField,
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
from lms.form_problems import RowForm
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


# ---------------------------------------------------------------- the onboarding path editor (issue 18)

BLANK_ROWS = 3  # empty step rows under a path's steps, to add steps without any script


def split_days(value: str | None) -> list[int] | None:
    """Whole numbers typed in one box (commas of either width, '、' or spaces); None when one is not a number."""
    parts = split_codes(value)
    return [int(p) for p in parts] if all(p.isdigit() for p in parts) else None


class PathStepForm(RowForm):
    """One course of the path (a row of the editor's table; its labels name the row)."""

    course = SelectField(_l("Course"), choices=[], validate_choice=False)
    due_days = IntegerField(_l("Due (days after the start)"), validators=[Optional(), NumberRange(min=0, max=3650)])
    order = IntegerField(_l("Order"), validators=[Optional(), NumberRange(min=1, max=999)])
    remove = BooleanField(_l("Remove"))


class PathSessionForm(RowForm):
    """One classroom session the path asks for."""

    template = SelectField(_l("Classroom session"), choices=[], validate_choice=False)
    due_days = IntegerField(_l("Due (days after the start)"), validators=[Optional(), NumberRange(min=0, max=3650)])
    remove = BooleanField(_l("Remove"))


class PathForm(FlaskForm):
    """An onboarding path: its details, its courses in order, its sessions and its mentoring plan."""

    slug = StringField(_l("Name in the address"), validators=[Optional(), Length(max=100)],
                       render_kw={"placeholder": "new-hire-chat"})
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 4})
    new_hire_days = IntegerField(_l("Given to learners hired within this many days"), default=90,
                                 validators=[InputRequired(), NumberRange(min=1, max=3650)])
    steps = FieldList(FormField(PathStepForm), label=_l("Courses"))
    sessions = FieldList(FormField(PathSessionForm), label=_l("Classroom sessions"))
    check_in_days = StringField(_l("Mentor's check-ins (days after the start)"), validators=[Optional(), Length(max=200)],
                                render_kw={"placeholder": "7, 30, 60, 90"})
    sign_off = StringField(_l("Standard items the mentor signs off"), validators=[Optional(), Length(max=2000)],
                           render_kw={"placeholder": "4.1.1-a, 4.1.1-b"})
    based_on = HiddenField()  # the fingerprint of the path the form was filled from (lms.conflicts)
    submit = SubmitField(_l("Save the path"))
    stale_edit = None  # set when a save was refused because someone else saved first

    def __init__(self, *args, courses=(), templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.list_problems: dict[str, list[str]] = {}
        self._courses, self._templates = list(courses), list(templates)
        if not self.is_submitted():
            return
        self._fit_choices()

    def _fit_choices(self) -> None:
        for row in self.steps:
            row.form.course.choices = [("", _l("(none)")), *self._courses]
        for row in self.sessions:
            row.form.template.choices = [("", _l("(none)")), *self._templates]

    def fill(self, values, fingerprint: str) -> None:
        """Show a saved path (``values``: lms.courses.path_editor.PathValues), then blank rows to add to it."""
        self.based_on.data = fingerprint
        self.title.data, self.description.data = values.title, values.description
        self.new_hire_days.data = values.new_hire_days
        for number, step in enumerate(values.steps, start=1):
            self.steps.append_entry({"course": step.code, "due_days": step.due_days, "order": number})
        for session in values.sessions:
            self.sessions.append_entry({"template": session.template, "due_days": session.due_days})
        self.check_in_days.data = ", ".join(str(d) for d in values.check_in_days)
        self.sign_off.data = ", ".join(values.sign_off)
        self.add_blank_rows()

    def add_blank_rows(self) -> None:
        for _ in range(BLANK_ROWS):
            self.steps.append_entry({"order": len(self.steps.entries) + 1})
        if self._templates:
            self.sessions.append_entry({})
        self._fit_choices()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        known_courses, known_templates = {c for c, _label in self._courses}, {t for t, _label in self._templates}
        for row in self._kept(self.steps, "course"):
            if row.course.data not in known_courses:
                row.course.errors = [*row.course.errors, _l("Choose a published course.")]
            if row.due_days.data is None and not row.due_days.errors:
                row.due_days.errors = [*row.due_days.errors, _l("Give the days after the start.")]
        for row in self._kept(self.sessions, "template"):
            if row.template.data not in known_templates:
                row.template.errors = [*row.template.errors, _l("Choose a session template.")]
            if row.due_days.data is None and not row.due_days.errors:
                row.due_days.errors = [*row.due_days.errors, _l("Give the days after the start.")]
        if not list(self._kept(self.steps, "course")):
            self.list_problems.setdefault("steps", []).append(str(_l("Add at least one course.")))
        self._check_mentoring()
        return valid and not self.problems

    def _check_mentoring(self) -> None:
        days, items = split_days(self.check_in_days.data), split_codes(self.sign_off.data)
        if days is None:
            self.check_in_days.errors = [*self.check_in_days.errors, _l("Give whole numbers of days, such as 7, 30, 60.")]
        elif days != sorted(set(days)) or any(not 1 <= d <= 3650 for d in days):
            self.check_in_days.errors = [*self.check_in_days.errors,
                                         _l("Give each day once, in increasing order, between 1 and 3650.")]
        elif days and not items:
            self.sign_off.errors = [*self.sign_off.errors, _l("A mentoring plan needs the items the mentor signs off.")]
        elif items and not days:
            self.check_in_days.errors = [*self.check_in_days.errors, _l("A mentoring plan needs its check-in days.")]

    @staticmethod
    def _kept(rows, key: str):
        """The rows that say something (a choice made) and are not marked for removal."""
        return (row.form for row in rows if getattr(row.form, key).data and not row.form.remove.data)

    def values(self):
        """The posted path in its order (rows sorted by their order number, then by where they stand)."""
        from lms.courses.path_editor import PathSessionValues, PathStepValues, PathValues

        rows = sorted(enumerate(self._kept(self.steps, "course")),
                      key=lambda pair: (pair[1].order.data if pair[1].order.data is not None else 1000, pair[0]))
        return PathValues(
            (self.title.data or "").strip(), (self.description.data or "").strip(), self.new_hire_days.data,
            [PathStepValues(row.course.data, row.due_days.data) for _index, row in rows],
            [PathSessionValues(row.template.data, row.due_days.data) for row in self._kept(self.sessions, "template")],
            split_days(self.check_in_days.data) or [], split_codes(self.sign_off.data))

    @property
    def problems(self) -> list[tuple[str, str]]:
        """Every problem, as (the id to jump to, message), for the summary at the top."""
        found = [(f.id, f"{f.label.text}：{' '.join(map(str, f.errors))}") for f in self
                 if f.type not in ("FieldList",) and f.errors]
        for name, messages in self.list_problems.items():
            found += [(name, f"{getattr(self, name).label.text}：{m}") for m in messages]
        for rows in (self.steps, self.sessions):
            for number, row in enumerate(rows, start=1):
                found += [(f.id, f"{rows.label.text} {number} {f.label.text}：{' '.join(map(str, f.errors))}")
                          for f in row.form if f.errors]
        return found
