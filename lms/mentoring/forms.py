"""The mentoring domain's forms: the manager's choice of mentor, a shadowing entry, the mentor's review of an
entry, a check-in and a sign-off. Choices are filled by the view from the mentorship; a select's own check
(a value among its choices) makes it required without the HTML attribute, which would want an empty first
option."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from lms.accounts.forms import MultiCheckboxField
from lms.forms import choices
from lms.mentoring.labels import ENTRY_KIND_LABELS, RATING_LABELS, channel_labels

NOTES_MAX = 4000


class MentorForm(FlaskForm):
    mentor = SelectField(_l("Mentor"), coerce=int,
                         description=_l("A member of the new hire's team, usually an experienced agent."))
    submit = SubmitField(_l("Save the mentor"))


class EntryForm(FlaskForm):
    kind = SelectField(_l("What happened"))
    happened_on = DateField(_l("Date"), validators=[InputRequired()])
    channel = SelectField(_l("Channel"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=NOTES_MAX)],
                          description=_l("What went well, what to work on. No customer's personal data."))
    items = MultiCheckboxField(_l("Standard items practised"), validators=[Optional()])
    submit = SubmitField(_l("Add to the log"))

    def fill(self, item_choices) -> "EntryForm":
        self.kind.choices = choices((k.value, label) for k, label in ENTRY_KIND_LABELS.items())
        self.channel.choices = choices(channel_labels().items())
        self.items.choices = choices(item_choices)
        return self


class ReviewForm(FlaskForm):
    comment = TextAreaField(_l("Mentor's comment"), validators=[Optional(), Length(max=NOTES_MAX)])
    confirm = BooleanField(_l("I confirm this happened as written"))
    submit = SubmitField(_l("Save the comment"))


class CheckInForm(FlaskForm):
    day = SelectField(_l("Check-in"), coerce=int)
    rating = SelectField(_l("Progress"))
    check_in_notes = TextAreaField(_l("Notes"), validators=[InputRequired(), Length(max=NOTES_MAX)])
    submit = SubmitField(_l("Record the check-in"))

    def fill(self, day_choices) -> "CheckInForm":
        self.day.choices = choices(day_choices)
        self.rating.choices = choices((r.value, label) for r, label in RATING_LABELS.items())
        return self


class SignOffForm(FlaskForm):
    item = SelectField(_l("Standard item"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTES_MAX)],
                         description=_l("Where you saw it done, e.g. the call of 12 March."))
    submit = SubmitField(_l("Sign off"))
