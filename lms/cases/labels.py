"""Every label of the case library: statuses, the kinds of personal data the check finds, the fields of a
case, and the refusal that names them."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.cases import privacy
from lms.cases.models import CaseStatus

STATUS_LABELS = {
    CaseStatus.DRAFT: _l("Draft"),
    CaseStatus.SUBMITTED: _l("Waiting for review"),
    CaseStatus.RETURNED: _l("Returned to you"),
    CaseStatus.PUBLISHED: _l("Published"),
    CaseStatus.REJECTED: _l("Not published"),
}
FIELD_LABELS = {
    "title": _l("Title"),
    "channel": _l("Channel"),
    "tier": _l("Training tier"),
    "situation": _l("The situation"),
    "actions": _l("What was done"),
    "outcome": _l("The outcome"),
    "lessons": _l("What others can learn"),
    "items": _l("Standard items it illustrates"),
}
FIELD_HINTS = {
    "situation": _l("What the customer needed and why it was not simple. Leave out names, numbers and addresses."),
    "actions": _l("What you (or a colleague) said and did, step by step."),
    "outcome": _l("How it ended for the customer and for the centre."),
    "lessons": _l("What a colleague should do the same way next time, or differently."),
    "items": _l("Choose the items of the service standards this case shows in practice."),
}
KIND_LABELS = {
    privacy.PHONE: _l("a phone number"),
    privacy.NATIONAL_ID: _l("a national ID number"),
    privacy.CARD: _l("a card number"),
    privacy.EMAIL: _l("an e-mail address"),
}


def personal_data_message(field: str, findings: list[privacy.Finding]) -> str:
    """What the check found in one field, masked: “The situation contains a phone number (****-***-678)…”."""
    found = "、".join(f"{KIND_LABELS[f.kind]} ({f.masked})" for f in findings)
    return _("%(field)s contains %(found)s. Customers' personal data may not be shared (privacy rules, 3.3): "
             "remove it or write it as “the customer's number”.", field=FIELD_LABELS[field], found=found)
