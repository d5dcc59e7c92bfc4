from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DecimalField,
    Form,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.exams.answers import parse_answer
from lms.exams.labels import KIND_LABELS, LAYOUT_LABELS, OVERDUE_LABELS, REVIEW_LABELS
from lms.exams.question_types import type_labels
from lms.forms import CentreDateTimeField, choices


class QuestionForm(FlaskForm):
    uid = StringField(_l("Question id"), validators=[Optional(), Length(max=80)])
    qtype = SelectField(_l("Type"), choices=lambda: choices(type_labels().items()))
    name = StringField(_l("Short name"), validators=[DataRequired(), Length(max=200)])
    text = TextAreaField(_l("Question (Markdown)"), validators=[DataRequired(), Length(max=20000)],
                         render_kw={"rows": 5})
    answers = TextAreaField(_l("Answers"), validators=[Optional(), Length(max=20000)], render_kw={"rows": 7})
    truefalse = SelectField(_l("The statement is"), choices=choices([("true", _l("True")), ("false", _l("False"))]))
    number = StringField(_l("Correct number"), validators=[Optional(), Length(max=40)])
    tolerance = StringField(_l("Accepted margin (±)"), validators=[Optional(), Length(max=40)])
    rubric = TextAreaField(_l("Grading rubric for trainers"), validators=[Optional(), Length(max=20000)])
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
    sections = TextAreaField(_l("Questions"), validators=[DataRequired(), Length(max=20000)], render_kw={"rows": 6})
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
