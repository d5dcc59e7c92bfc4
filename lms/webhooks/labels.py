"""Every webhook code a person reads: event types, delivery statuses, kinds of failure."""

from flask_babel import lazy_gettext as _l

from lms.webhooks.events import (
    ASSIGNMENT_COMPLETED,
    CERTIFICATE_EXPIRED,
    CERTIFICATE_ISSUED,
    CERTIFICATE_REVOKED,
    PING,
)
from lms.webhooks.models import DeliveryStatus

EVENT_LABELS = {
    CERTIFICATE_ISSUED: _l("Certificate issued"),
    CERTIFICATE_REVOKED: _l("Certificate revoked"),
    CERTIFICATE_EXPIRED: _l("Certificate expired"),
    ASSIGNMENT_COMPLETED: _l("Assigned course completed"),
    PING: _l("Test event"),
}
STATUS_LABELS = {
    DeliveryStatus.PENDING: _l("Waiting to be sent"),
    DeliveryStatus.RETRYING: _l("Failed; will retry"),
    DeliveryStatus.DELIVERED: _l("Delivered"),
    DeliveryStatus.FAILED: _l("Failed; gave up"),
}
ERROR_LABELS = {
    "": _l("Answered"),
    "status": _l("The receiver answered with an error status"),
    "timeout": _l("The receiver did not answer in time"),
    "connection": _l("Could not connect to the receiver"),
    "request": _l("The request could not be sent"),
}


def webhook_labels() -> dict:
    """For the webhook templates (a blueprint context processor)."""
    return {"event_labels": EVENT_LABELS, "status_labels": STATUS_LABELS, "error_labels": ERROR_LABELS}
