"""Sending a delivery: the signed POST, its attempt recorded, a retry scheduled with backoff on a network
error or an answer other than 2xx, given up after the last; "send again" and the test event.

The POST runs outside any database transaction (``read_then_release``): a slow receiver holds no lock. A
delivery is sent at least once; a receiver that may hear of an event twice (a retry after a lost answer)
recognises it by the ``LMS-Event-Id`` header.
"""

import json
import time
from dataclasses import dataclass
from datetime import timedelta

import requests
from flask import current_app
from sqlalchemy.orm import selectinload

from lms.db import db, get_row, read_then_release, utcnow
from lms.tasks import app_task, enqueue_after_commit
from lms.webhooks import signing
from lms.webhooks.events import PING, _new_ticket, ping_data, raise_webhook
from lms.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

USER_AGENT = "lms-webhooks/1"
TIMEOUT_SECONDS = (5, 10)  # connect, read


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str  # "" or a key of labels.ERROR_LABELS
    detail: str
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def body_of(event) -> bytes:
    """The JSON body of an event: the same bytes on every attempt."""
    payload = {"id": event.event_id, "type": event.type,
               "occurred_at": event.occurred_at.isoformat().replace("+00:00", "Z"), "data": event.data}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def post(url: str, secret: str, body: bytes, event_id: str, event_type: str, attempt: int) -> Outcome:
    """POST the signed body once; what answered, or the kind of failure."""
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
               signing.EVENT_ID_HEADER: event_id, signing.EVENT_TYPE_HEADER: event_type,
               "LMS-Delivery-Attempt": str(attempt),
               signing.SIGNATURE_HEADER: signing.signature_header(secret, int(time.time()), body)}
    started = time.monotonic()
    error, detail, status = "", "", None
    try:
        with requests.post(url, data=body, headers=headers, timeout=TIMEOUT_SECONDS, allow_redirects=False,
                           stream=True) as response:
            status = response.status_code
    except requests.Timeout as exc:
        error, detail = "timeout", str(exc)
    except requests.ConnectionError as exc:
        error, detail = "connection", str(exc)
    except requests.RequestException as exc:
        error, detail = "request", str(exc)
    duration = int((time.monotonic() - started) * 1000)
    if status is not None and not 200 <= status < 300:
        error = "status"
    return Outcome(status, error, detail[:300], duration)


def queue_delivery(delivery: WebhookDelivery, delay: int | None = None) -> None:
    """Send it once this transaction commits (after ``delay`` seconds when given)."""
    if delay is None:
        enqueue_after_commit(deliver_webhook, delivery.id, delivery.ticket)
    else:
        enqueue_after_commit(deliver_webhook.schedule, args=(delivery.id, delivery.ticket), delay=delay)


@app_task()
def deliver_webhook(delivery_id: int, ticket: str) -> None:
    """Attempt the delivery once, record the attempt, and schedule the next one if it failed."""
    with read_then_release():
        delivery = db.session.get(WebhookDelivery, delivery_id, options=[
            selectinload(WebhookDelivery.endpoint), selectinload(WebhookDelivery.event)])
        if delivery is None or delivery.ticket != ticket or not delivery.endpoint.is_active:
            return
        if delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
            return
        request = (delivery.endpoint.url, delivery.endpoint.secret, body_of(delivery.event),
                   delivery.event.event_id, delivery.event.type, delivery.attempts + 1)
    outcome = post(*request)
    record_attempt(delivery_id, ticket, outcome)


def record_attempt(delivery_id: int, ticket: str, outcome: Outcome) -> None:
    """Log the attempt on the delivery; a failure schedules the next attempt or gives up."""
    delivery = get_row(WebhookDelivery, delivery_id, lock=True)
    now = utcnow()
    delivery.attempts += 1
    delay = None if outcome.succeeded else signing.retry_delay(delivery.attempts)
    next_at = now + timedelta(seconds=delay) if delay is not None else None
    delivery.log.append(_attempt_row(outcome, now, next_at))
    if delivery.ticket != ticket:  # "send again" was pressed meanwhile: its own send decides what follows
        db.session.flush()
        return
    if outcome.succeeded:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.DELIVERED, None
    elif delay is None:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    else:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.RETRYING, next_at
    db.session.flush()
    if delay is not None:
        queue_delivery(delivery, delay=delay)
    current_app.logger.info("webhook delivery %s attempt %s: %s", delivery.id, delivery.attempts,
                            outcome.status_code or outcome.error)


def _attempt_row(outcome: Outcome, now, next_at):
    from lms.webhooks.models import WebhookAttempt

    return WebhookAttempt(attempted_at=now, status_code=outcome.status_code, error=outcome.error,
                          detail=outcome.detail, duration_ms=outcome.duration_ms, next_retry_at=next_at)


def send_again(delivery: WebhookDelivery) -> None:
    """Send the same event (same id and body) again now, whatever happened before; a retry already
    scheduled is cancelled, and a given-up delivery gets a fresh set of retries."""
    if delivery.status == DeliveryStatus.FAILED or delivery.attempts >= signing.MAX_ATTEMPTS:
        delivery.attempts = 0  # the retries count afresh
    delivery.ticket, delivery.status, delivery.next_attempt_at = _new_ticket(), DeliveryStatus.PENDING, None
    db.session.flush()
    queue_delivery(delivery)


def send_test_event(endpoint: WebhookEndpoint) -> None:
    """Queue a test event to this endpoint only (whatever events it asked for)."""
    raise_webhook(PING, ping_data(), endpoints=[endpoint])
