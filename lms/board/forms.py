"""The board's forms: the filters (a GET form: the address can be bookmarked and exported), and the bulk
actions posted with the people chosen on the page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, SubmitField
from wtforms.validators import Optional

from lms.accounts.forms import MultiCheckboxField
from lms.board.labels import EXPIRING_LABELS, SORT_LABELS, STATUS_LABELS
from lms.board.readiness import BoardFilter
from lms.courses.labels import TIER_LABELS
from lms.forms import choices

_ANY = ("", _l("Any"))


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class BoardFilterForm(FlaskForm):
    class Meta:
        csrf = False

    team = SelectField(_l("Team"), coerce=_int_or_none, validate_choice=False)
    tier = SelectField(_l("Tier"), choices=choices([_ANY, *TIER_LABELS.items()]), default="")
    status = SelectField(_l("Status"), default="",
                         choices=choices([_ANY, *((k, v) for k, v in STATUS_LABELS.items() if k != "none")]))
    expiring = SelectField(_l("Certificate expiring"), coerce=_int_or_none, default=None,
                           choices=choices([("", _l("Any time")), *EXPIRING_LABELS.items()]))
    sort = SelectField(_l("Sort by"), choices=choices(SORT_LABELS.items()), default="name")
    page = IntegerField(default=1, validators=[Optional()])

    def __init__(self, formdata, teams, **kwargs):
        super().__init__(formdata, **kwargs)
        self.team.choices = choices([("", _l("All my teams")), *((t.id, t.name) for t in teams)])

    def to_filter(self) -> BoardFilter:
        """What was asked, with anything unreadable read as "any" (a filter never fails the page)."""
        def known(field):
            return field.data if field.data in {choice.value for choice in field.choices} else None

        page = self.page.data if isinstance(self.page.data, int) and self.page.data > 0 else 1
        return BoardFilter(team_id=_int_or_none(self.team.data), tier=known(self.tier) or None,
                           status=known(self.status) or None, expiring_days=known(self.expiring),
                           sort=known(self.sort) or "name", page=min(page, 100_000))


class BulkForm(FlaskForm):
    """The people ticked on the board, and the course (or certification programme) and due date of an
    assignment (the programme and reminder buttons post the same form to their own addresses; each uses
    only its own fields)."""

    people = MultiCheckboxField(_l("People"), coerce=int, validate_choice=False)
    course = SelectField(_l("Course to assign"), validators=[Optional()], validate_choice=False)
    programme = SelectField(_l("Certification programme to assign"), validators=[Optional()], validate_choice=False)
    due_date = DateField(_l("Due date"), validators=[Optional()])
    back = HiddenField()
    assign = SubmitField(_l("Assign the course"))
    assign_programme = SubmitField(_l("Assign the programme's courses"))
    remind = SubmitField(_l("Send a reminder"))
