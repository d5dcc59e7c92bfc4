"""The certification forms. Field names are what the templates post; a rule a service enforces shows
under the field its DomainError names (lms.views.refuse)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.accounts.forms import MultiCheckboxField
from lms.form_problems import RowForm
from lms.timeutil import local_today


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _whole_number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class VisibilityForm(FlaskForm):
    public = HiddenField()  # "1": show the verification page; anything else hides it

    @property
    def shown(self) -> bool:
        return self.public.data == "1"


class AcknowledgeForm(FlaskForm):
    requirement = HiddenField()


class ReturnForm(FlaskForm):
    reasons = TextAreaField(_l("What must the learner do before applying again?"), default="")


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason (recorded in the audit log and shown to the holder)"), default="")


class ProgrammeSourceForm(FlaskForm):
    source = TextAreaField(_l("Programme (YAML)"), default="")
    based_on = HiddenField()  # the fingerprint of the version the source was filled from (lms.conflicts)
    stale_edit = None  # set when a save was refused because someone else saved first


class BulkIssueForm(FlaskForm):
    """The programme to issue (chosen with GET to see who is ready, posted to issue)."""

    programme = StringField(_l("Programme"), default="")


class TeamFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or employee number"), default="", filters=[lambda v: (v or "")[:100]])
    page = IntegerField(default=1, validators=[Optional()])


class RatingsField(Field):
    """One rating (0, 1 or 2) per line of a checklist, posted as ratings-0, ratings-1, … (a radio group per
    line). ``lines`` is set once the checklist is known; a line without a readable rating reads None, and
    the service refuses the sheet."""

    lines = 0
    _posted = None

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors, self.raw_data, self.object_data = [], [], None
        self._posted = formdata

    @property
    def data(self) -> list[int | None]:
        posted = self._posted or {}
        return [_whole_number(posted.get(f"{self.name}-{i}")) for i in range(self.lines)]


class SignOffForm(FlaskForm):
    """A trainer's sign-off: the learner, the checklist (both chosen with GET first), then the ratings."""

    employee_no = StringField(_l("Learner's employee number"), default="", filters=[_strip])
    requirement = StringField(_l("Checklist"), default="")  # "<programme slug>/<requirement id>"
    ratings = RatingsField()
    observed_on = DateField(_l("Observed on"), default=local_today,
                            validators=[InputRequired(_l("Give the date of the observation."))],
                            invalid_value_message=_l("Give the date of the observation."))
    comment = TextAreaField(_l("Comment for the learner"), default="")

    def fit_to(self, sheet) -> None:
        """Expect one rating per line of the sheet's checklist."""
        self.ratings.lines = len(sheet.checklist)

    def validate_sheet(self, sheet) -> bool:
        """Validate the fields and that the sheet names a checklist and a learner (every error at once)."""
        valid = self.validate()
        if sheet.chosen is None:
            self.requirement.errors.append(_l("Choose the checklist."))
        if sheet.learner is None:
            self.employee_no.errors.append(_l("No one has this employee number."))
        return valid and sheet.ready


class UpdateRequirementForm(FlaskForm):
    """An update after a standard item's revision: the items to confirm, an exam to pass again, a due day."""

    programme = HiddenField()
    items = HiddenField()  # one per revised item (a list: read with getlist)
    title = StringField(_l("Update title"), default="")
    exam = StringField(_l("Also pass this exam again (slug, optional)"), default="", filters=[_strip])
    min_score = StringField(default="")  # a whole number; anything else asks for the usual score
    due_on = DateField(_l("Due on"), validators=[InputRequired(_l("The due date must be in the future."))],
                       invalid_value_message=_l("The due date must be in the future."))
    reason = StringField(_l("Why (shown to holders)"), default="")
    requirements = HiddenField()  # never posted: where "choose at least one thing" is shown

    @property
    def item_codes(self) -> list[str]:
        return [code for code in self.items.raw_data if code]

    @property
    def score(self) -> int | None:
        return _whole_number(self.min_score.data)


# ---------------------------------------------------------------- the programme editor (issue 18)

CHECKLIST_BLANK_ROWS = 2  # empty checklist lines under a sign-off's lines, to add lines without any script


def split_values(value: str | None) -> list[str]:
    """Values typed in one box, separated by commas (either width), '、' or spaces."""
    return [v.strip() for v in (value or "").replace("，", ",").replace("、", ",").replace(" ", ",").split(",")
            if v.strip()]


class ProgrammeDetailsForm(FlaskForm):
    """A programme's own details and its renewal's timing."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 6})
    level = IntegerField(_l("Level"), validators=[InputRequired(), NumberRange(min=1, max=9)])
    validity_months = IntegerField(_l("Valid for (months)"), validators=[InputRequired(), NumberRange(min=1, max=120)])
    prerequisites = MultiCheckboxField(_l("Certificates needed first"), choices=[], validate_choice=True)
    window_days = IntegerField(_l("Renewal opens (days before expiry)"),
                               validators=[InputRequired(), NumberRange(min=0, max=365)])
    grace_days = IntegerField(_l("Renewal still possible (days after expiry)"),
                              validators=[InputRequired(), NumberRange(min=0, max=365)])
    reminder_days = StringField(_l("Reminders (days before expiry)"), validators=[DataRequired(), Length(max=200)],
                                render_kw={"placeholder": "90, 60, 30, 7"})
    based_on = HiddenField()  # the fingerprint of the version the page was filled from (lms.conflicts)
    submit = SubmitField(_l("Save the details"))
    stale_edit = None

    def __init__(self, *args, others=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.prerequisites.choices = list(others)
        self.list_problems: dict[str, list[str]] = {}

    def fill(self, details, fingerprint: str) -> None:
        for name in ("title", "summary", "level", "validity_months", "prerequisites", "window_days", "grace_days"):
            getattr(self, name).data = getattr(details, name)
        self.reminder_days.data = ", ".join(str(d) for d in details.reminder_days)
        self.based_on.data = fingerprint

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        days = split_values(self.reminder_days.data)
        if not self.reminder_days.errors and (not all(d.isdigit() and 1 <= int(d) <= 365 for d in days)
                                              or len(set(days)) != len(days)):
            self.reminder_days.errors = [*self.reminder_days.errors,
                                         _l("Give whole numbers of days from 1 to 365, each once, such as 90, 30, 7.")]
            valid = False
        return valid

    def details(self):
        from lms.certification.programme_editor import ProgrammeDetails

        return ProgrammeDetails(self.title.data or "", self.summary.data or "", self.level.data,
                                self.validity_months.data, list(self.prerequisites.data or []), self.window_days.data,
                                self.grace_days.data, [int(d) for d in split_values(self.reminder_days.data)])

    @property
    def problems(self) -> list[tuple[str, str]]:
        return [(f.id, f"{f.label.text}：{' '.join(map(str, f.errors))}") for f in self if f.errors]


class NewProgrammeForm(ProgrammeDetailsForm):
    """A new programme: its details, and the first course it asks for (the rest is added afterwards)."""

    slug = StringField(_l("Name in the address"), validators=[DataRequired(), Length(max=100)],
                       render_kw={"placeholder": "chat-rep"})
    course = SelectField(_l("First course it asks for"), choices=[], validate_choice=False,
                         validators=[DataRequired(_l("Choose the course."))])
    submit = SubmitField(_l("Create the programme"))

    def __init__(self, *args, courses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.course.choices = [("", _l("(choose)")), *courses]
        if not self.is_submitted():
            self.level.data, self.validity_months.data, self.window_days.data = 1, 24, 90
            self.grace_days.data, self.reminder_days.data = 30, "90, 60, 30, 7"


class ChecklistLineForm(RowForm):
    """One observed behaviour of a sign-off's checklist."""

    text = StringField(_l("Observed behaviour"), validators=[Optional(), Length(max=300)])
    standards = StringField(_l("Standard items"), validators=[Optional(), Length(max=500)])
    remove = BooleanField(_l("Remove"))


class RequirementForm(FlaskForm):
    """One requirement; the page shows the fields of its kind only (``kind_fields``)."""

    course = SelectField(_l("Course"), choices=[], validate_choice=False)
    exam = SelectField(_l("Exam"), choices=[], validate_choice=False)
    scenario = SelectField(_l("Simulated call"), choices=[], validate_choice=False)
    session = SelectField(_l("Classroom session"), choices=[], validate_choice=False)
    path = SelectField(_l("Onboarding path"), choices=[], validate_choice=False)
    min_score = IntegerField(_l("Lowest passing score (%)"), validators=[Optional(), NumberRange(min=0, max=100)])
    title = StringField(_l("What is observed"), validators=[Optional(), Length(max=200)])
    pass_mark = IntegerField(_l("Pass mark (%)"), validators=[Optional(), NumberRange(min=1, max=100)])
    checklist = FieldList(FormField(ChecklistLineForm), label=_l("Checklist"))
    based_on = HiddenField()
    submit = SubmitField(_l("Save the requirement"))
    stale_edit = None

    TARGETS = ("course", "exam", "scenario", "session", "path")
    REQUIRED = {"course": _l("Choose the course."), "exam": _l("Choose the exam."),
                "scenario": _l("Choose the simulated call."), "session": _l("Choose the classroom session."),
                "path": _l("Choose the onboarding path."), "title": _l("Say what the trainer observes."),
                "pass_mark": _l("Give the pass mark.")}

    def __init__(self, *args, kind: str, targets: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from lms.certification.requirement_kinds import REQUIREMENT_KINDS

        self.kind = REQUIREMENT_KINDS[kind]
        self.list_problems: dict[str, list[str]] = {}
        for name, options in (targets or {}).items():
            getattr(self, name).choices = [("", _l("(choose)")), *options]

    def kind_fields(self) -> list:
        """The kind's own fields, in the form's order."""
        return [f for f in self if f.name in self.kind.fields and f.name != "checklist"]

    def fill(self, requirement: dict | None, fingerprint: str) -> None:
        self.based_on.data = fingerprint
        requirement = requirement or {}
        for f in self.kind_fields():
            f.data = requirement.get(f.name, f.data)
        if "checklist" in self.kind.fields:
            for line in requirement.get("checklist", []):
                self.checklist.append_entry({"text": line["text"], "standards": ", ".join(line["standards"])})
            for _row in range(CHECKLIST_BLANK_ROWS):
                self.checklist.append_entry({})

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)  # the token, and the ranges of the numbers
        for f in self.kind_fields():
            if f.name in self.REQUIRED and f.data in (None, "") and not f.errors:
                f.errors = [*f.errors, self.REQUIRED[f.name]]
        if self.kind.name == "exam" and self.min_score.data is None and not self.min_score.errors:
            self.min_score.errors = [*self.min_score.errors, _l("Give the lowest passing score.")]
        if "checklist" in self.kind.fields:
            for row in self._lines():
                if not split_values(row.standards.data):
                    row.standards.errors = [*row.standards.errors, _l("Name the standard items this line checks.")]
            if not list(self._lines()):
                self.list_problems.setdefault("checklist", []).append(str(_l("Add at least one line to observe.")))
        return valid and not self.problems

    def _lines(self):
        return (row.form for row in self.checklist if (row.form.text.data or "").strip() and not row.form.remove.data)

    def values(self) -> dict:
        """The kind's fields as the programme file holds them."""
        out = {}
        for f in self.kind_fields():
            if f.data not in (None, ""):
                out[f.name] = f.data.strip() if isinstance(f.data, str) else f.data
        if "checklist" in self.kind.fields:
            out["checklist"] = [{"text": row.text.data.strip(), "standards": split_values(row.standards.data)}
                                for row in self._lines()]
        return out

    @property
    def problems(self) -> list[tuple[str, str]]:
        found = [(f.id, f"{f.label.text}：{' '.join(map(str, f.errors))}") for f in self.kind_fields() if f.errors]
        found += [("checklist", f"{self.checklist.label.text}：{m}") for m in self.list_problems.get("checklist", [])]
        for number, row in enumerate(self.checklist, start=1):
            found += [(f.id, f"{self.checklist.label.text} {number} {f.label.text}：{' '.join(map(str, f.errors))}")
                      for f in row.form if f.errors]
        return found


class RequirementActionForm(FlaskForm):
    """Move or remove a requirement: the page's version travels with the button (lms.conflicts)."""

    based_on = HiddenField()
