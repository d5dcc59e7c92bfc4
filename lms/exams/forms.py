from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.accounts.forms import MultiCheckboxField
from lms.exams.answers import parse_answer
from lms.exams.labels import KIND_LABELS, LAYOUT_LABELS, OVERDUE_LABELS, REVIEW_LABELS
from lms.exams.question_types import type_labels
from lms.exams.question_types.base import MAX_OPTIONS
from lms.forms import CentreDateTimeField, choices

ROW_TEXT = [Optional(), Length(max=2000)]


class OptionRow(Form):
    text = StringField(_l("Option"), validators=ROW_TEXT)
    correct = BooleanField(_l("Correct"))
    feedback = StringField(_l("Feedback for this option"), validators=ROW_TEXT)
    credit = StringField(_l("Credit (%)"), validators=[Optional(), Length(max=12)])


class PairRow(Form):
    left = StringField(_l("Item"), validators=ROW_TEXT)
    right = StringField(_l("Its match"), validators=ROW_TEXT)


class ItemRow(Form):
    text = StringField(_l("Step"), validators=ROW_TEXT)


class AcceptedRow(Form):
    text = StringField(_l("Accepted answer"), validators=ROW_TEXT)
    credit = StringField(_l("Credit (%)"), validators=[Optional(), Length(max=12)])
    feedback = StringField(_l("Feedback for this answer"), validators=ROW_TEXT)


class NumberRow(Form):
    mode = SelectField(_l("Accepted as"), choices=choices([("margin", _l("a number with a margin (±)")),
                                                           ("range", _l("a range from … to …"))]),
                       validate_choice=False)  # read by the numerical type (lms/exams/question_types/numerical.py)
    value = StringField(_l("Correct number"), validators=[Optional(), Length(max=40)])
    tolerance = StringField(_l("Margin (±)"), validators=[Optional(), Length(max=40)])
    low = StringField(_l("From"), validators=[Optional(), Length(max=40)])
    high = StringField(_l("To"), validators=[Optional(), Length(max=40)])
    credit = StringField(_l("Credit (%)"), validators=[Optional(), Length(max=12)])
    feedback = StringField(_l("Feedback for this answer"), validators=ROW_TEXT)


def _rows(row_form, label, blank: int):
    return FieldList(FormField(row_form), label=label, min_entries=blank, max_entries=MAX_OPTIONS * 2)


class QuestionForm(FlaskForm):
    uid = StringField(_l("Question id"), validators=[Optional(), Length(max=80)])
    qtype = SelectField(_l("Type"), choices=lambda: choices(type_labels().items()))
    name = StringField(_l("Short name"), validators=[DataRequired(), Length(max=200)])
    text = TextAreaField(_l("Question (Markdown)"), validators=[DataRequired(), Length(max=20000)],
                         render_kw={"rows": 5})
    answers = TextAreaField(_l("Answers"), validators=[Optional(), Length(max=20000)], render_kw={"rows": 7})
    truefalse = SelectField(_l("The statement is"), choices=choices([("true", _l("True")), ("false", _l("False"))]),
                            validate_choice=False)  # only true/false questions post it; their type checks it
    number = StringField(_l("Correct number"), validators=[Optional(), Length(max=40)])
    tolerance = StringField(_l("Accepted margin (±)"), validators=[Optional(), Length(max=40)])
    rubric = TextAreaField(_l("Grading rubric for trainers"), validators=[Optional(), Length(max=20000)])
    # The per-type rows (lms/exams/question_types: to_rows/from_rows); the page shows one type's.
    options = _rows(OptionRow, _l("Options"), 4)
    pairs = _rows(PairRow, _l("Pairs"), 4)
    items = _rows(ItemRow, _l("Steps in their correct order"), 5)
    accepted = _rows(AcceptedRow, _l("Accepted answers"), 3)
    numbers = _rows(NumberRow, _l("Accepted numbers"), 1)
    feedback_true = StringField(_l("Feedback when the learner answers true"), validators=ROW_TEXT)
    feedback_false = StringField(_l("Feedback when the learner answers false"), validators=ROW_TEXT)
    wrong_feedback = StringField(_l("Feedback for any other number"), validators=ROW_TEXT)
    min_words = StringField(_l("Least number of words (0 = no minimum)"), validators=[Optional(), Length(max=6)])
    editor = HiddenField()  # "rows": the per-type rows; anything else: the text fields (advanced)
    row_action = StringField(validators=[Optional(), Length(max=40)])  # the add/remove/move/preview button pressed
    feedback = TextAreaField(_l("Feedback after answering (Markdown)"), validators=[Optional(), Length(max=20000)],
                             render_kw={"rows": 3})
    standards = StringField(_l("Standard items tested"), validators=[DataRequired(), Length(max=2000)])
    tags = StringField(_l("Tags (pools)"), validators=[Optional(), Length(max=2000)])
    difficulty = SelectField(_l("Difficulty"), choices=choices([("1", "1"), ("2", "2"), ("3", "3")]), default="2")
    points = DecimalField(_l("Points"), validators=[InputRequired(), NumberRange(min=0.1, max=100)], default=1, places=2)
    based_on = HiddenField()  # the fingerprint of the version the form was filled from (lms.conflicts)
    submit = SubmitField(_l("Save as a new version"))
    stale_edit = None  # set when a save was refused because someone else saved first


class GiftImportForm(FlaskForm):
    bank = StringField(_l("Bank name"), validators=[DataRequired(), Length(max=100)])
    file = FileField(_l("GIFT file"), validators=[FileAllowed(["gift", "txt"], _l("Upload a .gift or .txt file."))])
    text = TextAreaField(_l("…or paste GIFT text"), validators=[Optional()],  # the importer checks its size
                         render_kw={"rows": 10})
    tags = StringField(_l("Extra tags for every question"), validators=[Optional(), Length(max=500)])
    standards = StringField(_l("Standard items for questions that cite none"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Check and import"))

    def source(self) -> bytes:
        """The uploaded file's bytes (its temporary file closed at once), else the pasted text's."""
        if self.file.data:
            with self.file.data.stream as stream:
                return stream.read()
        return (self.text.data or "").encode()


class SectionRow(Form):
    """One section of the exam builder: fixed questions (picked, never typed) or a draw rule."""

    kind = HiddenField()  # fixed | draw
    questions = HiddenField()  # a fixed section's question ids, space-separated (the picker fills it)
    count = IntegerField(_l("Questions to draw"), validators=[Optional(), NumberRange(min=1, max=500)])
    bank = SelectField(_l("From the bank"), validate_choice=False)
    tags = SelectMultipleField(_l("Carrying every tag"), validate_choice=False, render_kw={"size": 4})
    standards = SelectMultipleField(_l("Citing every standard item"), validate_choice=False, render_kw={"size": 4})
    types = MultiCheckboxField(_l("Only these types (none ticked: any type)"), validate_choice=False)
    difficulties = MultiCheckboxField(_l("Only these difficulties (none ticked: any)"), validate_choice=False)


class ExamForm(FlaskForm):
    slug = StringField(_l("Exam id"), validators=[DataRequired(), Length(max=100)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices(KIND_LABELS.items()))
    course = StringField(_l("Course code (optional)"), validators=[Optional(), Length(max=16)])
    description = TextAreaField(_l("Instructions"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 3})
    time_limit_minutes = IntegerField(_l("Time limit (minutes, 0 = none)"), validators=[InputRequired(),
                                                                                     NumberRange(min=0, max=1440)])
    overdue = SelectField(_l("When time runs out"), choices=choices(OVERDUE_LABELS.items()))
    grace_minutes = IntegerField(_l("Grace period (minutes)"), validators=[InputRequired(), NumberRange(min=0, max=1440)],
                                 default=0)
    attempts = IntegerField(_l("Attempts allowed (0 = unlimited)"), validators=[InputRequired(), NumberRange(min=0, max=100)])
    cooldown_minutes = IntegerField(_l("Wait between attempts (minutes)"),
                                    validators=[InputRequired(), NumberRange(min=0, max=525600)], default=0)
    pass_mark = IntegerField(_l("Pass mark (%)"), validators=[InputRequired(), NumberRange(min=0, max=100)])
    shuffle_questions = BooleanField(_l("Shuffle questions"), default=True)
    shuffle_options = BooleanField(_l("Shuffle options"), default=True)
    layout = SelectField(_l("Layout"), choices=choices(LAYOUT_LABELS.items()))
    review = SelectField(_l("Learners see answers"), choices=choices(REVIEW_LABELS.items()))
    available_from = CentreDateTimeField(_l("Opens"), validators=[Optional()])
    available_until = CentreDateTimeField(_l("Closes"), validators=[Optional()])
    sections = TextAreaField(_l("Questions as lines of text"), validators=[Optional(), Length(max=20000)],
                             render_kw={"rows": 6})
    parts = FieldList(FormField(SectionRow), label=_l("Sections"), max_entries=100)
    builder = HiddenField()  # "rows": the sections' controls; anything else: the lines of text (advanced)
    row_action = StringField(validators=[Optional(), Length(max=200)])  # the builder button pressed
    # The question picker (not saved): its filters and the questions ticked in its list.
    pick_bank = SelectField(_l("Bank"), validate_choice=False)
    pick_tag = SelectField(_l("Tag"), validate_choice=False)
    pick_standard = SelectField(_l("Standard item"), validate_choice=False)
    pick_type = SelectField(_l("Type"), validate_choice=False)
    pick_difficulty = SelectField(_l("Difficulty"), validate_choice=False)
    min_facility = DecimalField(_l("Facility at least (0–1)"), validators=[Optional(), NumberRange(min=0, max=1)])
    max_facility = DecimalField(_l("Facility at most (0–1)"), validators=[Optional(), NumberRange(min=0, max=1)])
    min_discrimination = DecimalField(_l("Discrimination at least (−1–1)"),
                                      validators=[Optional(), NumberRange(min=-1, max=1)])
    unused_in = IntegerField(_l("Not used in the last … attempts"), validators=[Optional(), NumberRange(min=1, max=100000)])
    picked = MultiCheckboxField(_l("Questions found"), validate_choice=False)
    based_on = HiddenField()  # the fingerprint of the version the form was filled from (lms.conflicts)
    submit = SubmitField(_l("Save the exam"))
    stale_edit = None  # set when a save was refused because someone else saved first


class GradeForm(FlaskForm):
    score = DecimalField(_l("Mark"), validators=[InputRequired()], places=2)
    comment = TextAreaField(_l("Comment for the learner"), validators=[Optional(), Length(max=5000)])
    reason = StringField(_l("Reason for the change"), validators=[Optional(), Length(max=300)])
    next = HiddenField()  # "queue": go back to the grading queue afterwards
    submit = SubmitField(_l("Save the mark"))


class AccommodationForm(FlaskForm):
    employee_no = StringField(_l("Employee number"), validators=[DataRequired(), Length(max=32)])
    extra_minutes = IntegerField(_l("Extra minutes"), validators=[InputRequired(), NumberRange(min=0, max=1440)],
                                 default=0)
    extra_attempts = IntegerField(_l("Extra attempts"), validators=[InputRequired(), NumberRange(min=0, max=20)],
                                  default=0)
    available_from = CentreDateTimeField(_l("Own opening"), validators=[Optional()])
    available_until = CentreDateTimeField(_l("Own closing"), validators=[Optional()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Save"))

    def terms(self, zone) -> dict:
        """The accommodation's terms, its dates in the centre's zone."""
        def moment(value):
            return value.replace(tzinfo=zone) if value else None

        return {"extra_minutes": self.extra_minutes.data, "extra_attempts": self.extra_attempts.data,
                "available_from": moment(self.available_from.data),
                "available_until": moment(self.available_until.data), "note": self.note.data or ""}


class PostedAnswers:
    """What the attempt page posts: each question type reads its own answer fields (``parse_form``)."""

    def answer(self, position: int, qtype: str) -> dict | None:
        return parse_answer(qtype, request.form, position)


class AutosaveForm(PostedAnswers):
    """One answer saved by the page's script: the position, the script's save counter, and the answer.

    Not a WTForms form: it runs hundreds of times a second under an exam, and building a form object cost
    a fifth of the save; its two numbers are checked here and its messages are for the script, not people.
    (CSRFProtect has already checked the token, as for every POST.)"""

    def __init__(self):
        self.position = request.form.get("position", type=int)
        self.sequence = request.form.get("sequence", type=int)

    def validate(self) -> bool:
        return self.position is not None and self.sequence is not None and self.sequence >= 1


class AnswerPageForm(Form, PostedAnswers):
    """A page of answers posted by the attempt page's own form (it works without the script): the
    positions on the page, each one's save counter (seq<n>), and where to go next (goto, action)."""

    class Meta:
        locales = False  # no field here shows a message to a person

    goto = IntegerField(validators=[Optional()])
    action = StringField(validators=[Optional()])

    def __init__(self):
        super().__init__(request.form)

    def positions(self) -> set[int]:
        return {int(p) for p in request.form.getlist("positions") if p.isdigit()}

    def page_sequence(self, position: int) -> int | None:
        return request.form.get(f"seq{position}", type=int)

    @property
    def wants_submit(self) -> bool:
        return self.action.data == "submit"
