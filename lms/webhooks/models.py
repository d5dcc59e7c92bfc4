"""Webhook endpoints, the events raised for them, and each delivery of an event to an endpoint with its
attempts (the delivery log)."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.db import TimestampMixin, db, str_enum, utcnow


class WebhookEndpoint(TimestampMixin, db.Model):
    """A receiver's URL, the events it wants and the secret its deliveries are signed with."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(200), default="")
    events: Mapped[list] = mapped_column(default=list)  # event types (lms/webhooks/events.py EVENT_TYPES)
    # The HMAC key, kept as it was shown (once) to the administrator: signing needs the key itself.
    secret: Mapped[str] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<WebhookEndpoint {self.id} {self.url}>"

    def wants(self, event_type: str) -> bool:
        return self.is_active and event_type in (self.events or [])


class WebhookEvent(db.Model):
    """Something that happened, as receivers are told of it: its public id, type, time and data (public ids
    only: a certificate's public id, an employee number, a course code, never a row id)."""

    __tablename__ = "webhook_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)  # a UUID, the receivers' idempotency key
    type: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    data: Mapped[dict] = mapped_column(default=dict)
    # Events found by a periodic check (a certificate's expiry) are raised once: e.g. "certificate.expired:<id>".
    once_key: Mapped[str | None] = mapped_column(String(120), unique=True)

    def __repr__(self) -> str:
        return f"<WebhookEvent {self.event_id} {self.type}>"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its first attempt (or its next after "send again")
    RETRYING = "retrying"  # an attempt failed; another is scheduled
    DELIVERED = "delivered"
    FAILED = "failed"  # every attempt failed: given up


class WebhookDelivery(db.Model):
    """One event for one endpoint: delivered once a 2xx answers, retried with backoff until then."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("webhook_events.id", ondelete="CASCADE"), index=True)
    status: Mapped[DeliveryStatus] = mapped_column(str_enum(DeliveryStatus), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    # The one queued send that may still attempt it: "send again" replaces it, so a retry already scheduled
    # then finds itself stale and does nothing.
    ticket: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    endpoint: Mapped[WebhookEndpoint] = relationship()
    event: Mapped[WebhookEvent] = relationship()
    log: Mapped[list["WebhookAttempt"]] = relationship(order_by="WebhookAttempt.id", back_populates="delivery",
                                                       passive_deletes=True)

    def __repr__(self) -> str:
        return f"<WebhookDelivery {self.id} {self.status}>"


class WebhookAttempt(db.Model):
    """One HTTP request of a delivery: when, what answered (a status, or the error), how long it took."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None]
    error: Mapped[str] = mapped_column(String(20), default="")  # a kind of failure (labels.py ERROR_LABELS)
    detail: Mapped[str] = mapped_column(String(300), default="")  # what the client library said of it
    duration_ms: Mapped[int] = mapped_column(default=0)
    next_retry_at: Mapped[datetime | None]

    delivery: Mapped[WebhookDelivery] = relationship(back_populates="log")

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
