"""The preferences form: one radio group (a fieldset with its legend) per group of notifications the person
is offered."""

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import InputRequired

from lms.forms import choices as choices_of
from lms.notifications.labels import DELIVERY_LABELS, GROUP_LABELS
from lms.notifications.models import Delivery
from lms.notifications.preferences import deliveries_for


class PreferencesFormBase(FlaskForm):
    groups: list[str] = []

    def choices(self) -> dict[str, str]:
        return {group: self[f"group_{group}"].data for group in self.groups}


def preferences_form(current: dict[str, Delivery]) -> PreferencesFormBase:
    """A form with a field group_<group> for each group in ``current`` (its delivery preselected)."""
    fields = {f"group_{group}": RadioField(GROUP_LABELS[group],
                                           choices=choices_of((d, DELIVERY_LABELS[d]) for d in deliveries_for(group)),
                                           default=str(delivery), validators=[InputRequired()])
              for group, delivery in current.items()}
    form_class = type("PreferencesForm", (PreferencesFormBase,), {**fields, "groups": list(current)})
    return form_class()
