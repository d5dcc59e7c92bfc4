"""The case library's forms: writing a case, a trainer's review, the library's filter."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from lms.cases.authoring import CaseData
from lms.cases.labels import FIELD_HINTS, FIELD_LABELS

TEXT_MAX = 4000


def _text(name: str) -> TextAreaField:
    return TextAreaField(FIELD_LABELS[name], validators=[Optional(), Length(max=TEXT_MAX)],
                         description=FIELD_HINTS.get(name, ""))


class CaseFields(FlaskForm):
    """The fields of a case, shared by the author's form and the reviewer's."""

    title = StringField(FIELD_LABELS["title"], validators=[Optional(), Length(max=200)])
    channel = SelectField(FIELD_LABELS["channel"], validate_choice=False)
    tier = SelectField(FIELD_LABELS["tier"], validate_choice=False)
    situation = _text("situation")
    actions = _text("actions")
    outcome = _text("outcome")
    lessons = _text("lessons")
    items = SelectMultipleField(FIELD_LABELS["items"], validate_choice=False, description=FIELD_HINTS["items"])

    def set_choices(self, channels, tiers, items) -> None:
        self.channel.choices, self.tier.choices, self.items.choices = channels, tiers, items

    def case_data(self) -> CaseData:
        return CaseData(self.title.data or "", self.channel.data or "", self.tier.data or "",
                        self.situation.data or "", self.actions.data or "", self.outcome.data or "",
                        self.lessons.data or "", list(self.items.data or []))


class CaseForm(CaseFields):
    save_draft = SubmitField(_l("Save as draft"))
    submit = SubmitField(_l("Send for review"))


class PublishForm(CaseFields):
    comment = TextAreaField(_l("Note to the author (optional)"), validators=[Optional(), Length(max=TEXT_MAX)])
    publish = SubmitField(_l("Publish to the case library"))


class DecisionForm(FlaskForm):
    comment = TextAreaField(_l("Comment to the author"), validators=[Optional(), Length(max=TEXT_MAX)],
                            description=_l("Required: what to change, or why the case is not published."))
    return_case = SubmitField(_l("Return to the author"))
    reject = SubmitField(_l("Do not publish"))


class ScenarioDraftForm(FlaskForm):
    submit = SubmitField(_l("Turn into a call scenario draft"))


class LibraryFilterForm(FlaskForm):
    """The library's choices, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    channel = SelectField(_l("Channel"), validate_choice=False)
    tier = SelectField(_l("Training tier"), validate_choice=False)
    item = SelectField(_l("Standard item"), validate_choice=False)
    submit = SubmitField(_l("Show"))
