"""The forms of the call pages. The pages write their fields by hand (a call's reply buttons, the
trainer's YAML editor); these classes read what they send."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, Length, Optional

from lms.calls.nodes.typed import MAX_REPLY


class StartCallForm(FlaskForm):
    mode = HiddenField()  # practice | assessment (the service refuses anything else)


class ReplyForm(FlaskForm):
    """The learner's turn: the option chosen, the reply typed, or the timer's timeout. ``at`` is the
    length of the transcript the page showed (a stale page cannot answer the next turn)."""

    option = IntegerField()
    text = TextAreaField()
    subject = StringField()  # an e-mail reply's subject line
    timeout = HiddenField()
    at = IntegerField()

    def turn(self) -> dict:
        """The arguments of lms.calls.playing.take_turn."""
        return {"option": self.option.data, "text": self.text.data[:MAX_REPLY] if self.text.raw_data else None,
                "subject": self.subject.data if self.subject.raw_data else None,
                "timed_out": self.timeout.data == "1", "at": self.at.data}


class MarksField(Field):
    """One mark per criterion, sent as a select per criterion named ``<field name>-<criterion>``."""

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.raw_data = []
        prefix = f"{self.name}-"
        self.data = {key[len(prefix):]: value for key, value in (formdata or {}).items() if key.startswith(prefix)}


class ReviewForm(FlaskForm):
    """The trainer's marks of a typed reply, with a comment for the learner."""

    mark = MarksField()
    comment = StringField()


class ScenarioSourceForm(FlaskForm):
    source = TextAreaField()
    based_on = HiddenField()  # the fingerprint of the version the source was filled from (lms.conflicts)
    stale_edit = None  # set when a save was refused because someone else saved first


class BuilderSaveForm(FlaskForm):
    """The call builder's save: the definition it edited (JSON, in a hidden input the page writes) and the
    version it started from."""

    definition = TextAreaField()  # not a HiddenField: a refusal's message is shown under it
    based_on = HiddenField()  # lms.conflicts, as in ScenarioSourceForm
    stale_edit = None


class BuilderEditForm(FlaskForm):
    """One edit of the call builder (lms.calls.builder_service.EDITS), sent by its page as JSON fields."""

    definition = HiddenField()
    edit = HiddenField()


class TryForm(FlaskForm):
    """"Play from here": the draft, the node to start at, then the practice call's state and the reply."""

    definition = HiddenField()
    start = StringField()
    state = HiddenField()
    option = IntegerField()
    text = TextAreaField()
    timeout = HiddenField()

    def reply(self) -> dict:
        return {"option": self.option.data, "text": self.text.data[:MAX_REPLY] if self.text.raw_data else None,
                "timed_out": self.timeout.data == "1"}


class NewCallForm(FlaskForm):
    """A new call, started in the builder as a draft: its title, its kind and (optionally) its file name."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    category = SelectField(_l("Kind of call"), choices=[])
    slug = StringField(_l("File name (optional)"), validators=[Optional(), Length(max=80)])
