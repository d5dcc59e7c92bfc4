"""The certification forms. Field names are what the templates post; a rule a service enforces shows
under the field its DomainError names (lms.views.refuse)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.utils import unset_value
from wtforms.validators import InputRequired, Optional

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
