"""The events receivers can ask for, what each carries, and raising one: an event row and a delivery per
endpoint that wants it, sent by a task once the transaction commits (lms/webhooks/delivery.py).

Raised from the app's signals (wired in ``lms._connect_signals``): a certificate issued or revoked, an
assigned course completed; certificate expiry has no moment in a request, so ``raise_expired`` finds the
certificates whose grace period ended (hourly, from the task consumer, and ``flask lms webhook-expiries``).
Data names things by their public ids only (a certificate's public id, an employee number, a course code).
"""

import uuid
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.certification.models import Certificate
from lms.courses.models import Enrolment, EnrolmentSource
from lms.db import db, utcnow
from lms.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

CERTIFICATE_ISSUED = "certificate.issued"
CERTIFICATE_REVOKED = "certificate.revoked"
CERTIFICATE_EXPIRED = "certificate.expired"
ASSIGNMENT_COMPLETED = "assignment.completed"
PING = "webhook.test"  # the "send a test event" button's, to one endpoint
# What an endpoint may ask for, in the order the form lists them (labels in lms/webhooks/labels.py).
EVENT_TYPES = (CERTIFICATE_ISSUED, CERTIFICATE_REVOKED, CERTIFICATE_EXPIRED, ASSIGNMENT_COMPLETED)
# Certificates that expired longer ago than this are not announced (an endpoint registered today hears of
# this month's expiries, not of every certificate that ever lapsed).
EXPIRY_LOOKBACK = timedelta(days=30)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


def certificate_data(cert: Certificate) -> dict:
    base = current_app.config["BASE_URL"].rstrip("/")
    return {"certificate": {
        "public_id": cert.public_id, "cycle": cert.cycle,
        "holder": {"employee_number": cert.user.employee_no, "name": cert.holder_name},
        "programme": {"slug": cert.programme.slug, "title": cert.programme_title},
        "issued_at": _iso(cert.issued_at), "expires_at": _iso(cert.expires_at),
        "renewable_until": _iso(cert.grace_until), "revoked_at": _iso(cert.revoked_at),
        "verification_url": f"{base}/verify/{cert.public_id}",
    }}


def enrolment_data(enrolment: Enrolment) -> dict:
    return {"assignment": {
        "employee_number": enrolment.user.employee_no, "course_code": enrolment.course.code,
        "source": str(enrolment.source), "due_date": enrolment.due_date.isoformat() if enrolment.due_date else None,
        "assigned_at": _iso(enrolment.enrolled_at), "completed_at": _iso(enrolment.completed_at),
    }}


def _new_ticket() -> str:
    return uuid.uuid4().hex


def raise_webhook(event_type: str, data: dict, once_key: str | None = None,
                  endpoints: list[WebhookEndpoint] | None = None) -> WebhookEvent | None:
    """Record the event and queue a delivery to each endpoint that wants it (all active ones by default);
    nothing when none does."""
    if endpoints is None:
        endpoints = [e for e in db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.is_active))
                     if e.wants(event_type)]
    if not endpoints:
        return None
    event = WebhookEvent(event_id=str(uuid.uuid4()), type=event_type, occurred_at=utcnow(), data=data,
                         once_key=once_key)
    db.session.add(event)
    deliveries = [WebhookDelivery(endpoint=endpoint, event=event, ticket=_new_ticket()) for endpoint in endpoints]
    db.session.add_all(deliveries)
    db.session.flush()
    from lms.webhooks.delivery import queue_delivery

    for delivery in deliveries:
        queue_delivery(delivery)
    return event


def on_certificate_issued(certificate, **_extra) -> None:
    raise_webhook(CERTIFICATE_ISSUED, certificate_data(certificate))


def on_certificate_revoked(certificate, **_extra) -> None:
    raise_webhook(CERTIFICATE_REVOKED, certificate_data(certificate))


def on_course_completed(enrolment, **_extra) -> None:
    """An assigned course (by a person or an onboarding plan) completed; a course one chose oneself is not."""
    if enrolment.source != EnrolmentSource.SELF:
        raise_webhook(ASSIGNMENT_COMPLETED, enrolment_data(enrolment))


def raise_expired(now: datetime | None = None) -> int:
    """Announce, once each, the certificates whose renewal grace ended (their state became "expired")
    within the look-back and that no later cycle replaced. Returns how many were announced."""
    now = now or utcnow()
    endpoints = [e for e in db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.is_active))
                 if e.wants(CERTIFICATE_EXPIRED)]
    if not endpoints:
        return 0
    certs = db.session.scalars(
        select(Certificate).where(Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None),
                                  Certificate.grace_until <= now, Certificate.grace_until > now - EXPIRY_LOOKBACK)
        .options(selectinload(Certificate.user), selectinload(Certificate.programme))).all()
    keys = {f"{CERTIFICATE_EXPIRED}:{c.public_id}": c for c in certs}
    done = set(db.session.scalars(select(WebhookEvent.once_key).where(WebhookEvent.once_key.in_(list(keys)))))
    for key, cert in keys.items():
        if key not in done:
            raise_webhook(CERTIFICATE_EXPIRED, certificate_data(cert), once_key=key, endpoints=endpoints)
    return len(set(keys) - done)


def ping_data() -> dict:
    return {"test": {"message": "A test event sent from the endpoint's page."}}
