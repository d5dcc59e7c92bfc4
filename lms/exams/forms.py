from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.exams.question_types import TYPE_LABELS
from lms.forms import choices

KIND_LABELS = {
    "quiz": _l("Quiz"),
    "pre_test": _l("Pre-test"),
    "post_test": _l("Post-test"),
    "exam": _l("Certification exam"),
}


class QuestionForm(FlaskForm):
    uid = StringField(_l("Question id"), validators=[Optional(), Length(max=80)])
    qtype = SelectField(_l("Type"), choices=choices(TYPE_LABELS.items()))
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
    submit = SubmitField(_l("Save as a new version"))


class GiftImportForm(FlaskForm):
    bank = StringField(_l("Bank name"), validators=[DataRequired(), Length(max=100)])
    file = FileField(_l("GIFT file"), validators=[FileAllowed(["gift", "txt"], _l("Upload a .gift or .txt file."))])
    text = TextAreaField(_l("…or paste GIFT text"), validators=[Optional(), Length(max=2_000_000)],
                         render_kw={"rows": 10})
    tags = StringField(_l("Extra tags for every question"), validators=[Optional(), Length(max=500)])
    standards = StringField(_l("Standard items for questions that cite none"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Check and import"))


class ExamForm(FlaskForm):
    slug = StringField(_l("Exam id"), validators=[DataRequired(), Length(max=100)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices(KIND_LABELS.items()))
    course = StringField(_l("Course code (optional)"), validators=[Optional(), Length(max=16)])
    description = TextAreaField(_l("Instructions"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 3})
    time_limit_minutes = IntegerField(_l("Time limit (minutes, 0 = none)"), validators=[InputRequired(),
                                                                                     NumberRange(min=0, max=1440)])
    overdue = SelectField(_l("When time runs out"), choices=choices([
        ("autosubmit", _l("Submit automatically")), ("grace", _l("Allow a grace period to submit")),
        ("discard", _l("Not counted unless submitted"))]))
    grace_minutes = IntegerField(_l("Grace period (minutes)"), validators=[InputRequired(), NumberRange(min=0, max=1440)],
                                 default=0)
    attempts = IntegerField(_l("Attempts allowed (0 = unlimited)"), validators=[InputRequired(), NumberRange(min=0, max=100)])
    cooldown_minutes = IntegerField(_l("Wait between attempts (minutes)"),
                                    validators=[InputRequired(), NumberRange(min=0, max=525600)], default=0)
    pass_mark = IntegerField(_l("Pass mark (%)"), validators=[InputRequired(), NumberRange(min=0, max=100)])
    shuffle_questions = BooleanField(_l("Shuffle questions"), default=True)
    shuffle_options = BooleanField(_l("Shuffle options"), default=True)
    layout = SelectField(_l("Layout"), choices=choices([("one_per_page", _l("One question per page")),
                                                        ("all_on_one", _l("All questions on one page"))]))
    review = SelectField(_l("Learners see answers"), choices=choices([
        ("after_submit", _l("right after submitting")), ("after_close", _l("after the exam closes")),
        ("never", _l("never (score only)"))]))
    available_from = DateTimeLocalField(_l("Opens"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    available_until = DateTimeLocalField(_l("Closes"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    sections = TextAreaField(_l("Questions"), validators=[DataRequired(), Length(max=20000)], render_kw={"rows": 6})
    submit = SubmitField(_l("Save the exam"))


class GradeForm(FlaskForm):
    score = DecimalField(_l("Mark"), validators=[InputRequired()], places=2)
    comment = TextAreaField(_l("Comment for the learner"), validators=[Optional(), Length(max=5000)])
    reason = StringField(_l("Reason for the change"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Save the mark"))


class AccommodationForm(FlaskForm):
    employee_no = StringField(_l("Employee number"), validators=[DataRequired(), Length(max=32)])
    extra_minutes = IntegerField(_l("Extra minutes"), validators=[InputRequired(), NumberRange(min=0, max=1440)],
                                 default=0)
    extra_attempts = IntegerField(_l("Extra attempts"), validators=[InputRequired(), NumberRange(min=0, max=20)],
                                  default=0)
    available_from = DateTimeLocalField(_l("Own opening"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    available_until = DateTimeLocalField(_l("Own closing"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Save"))
