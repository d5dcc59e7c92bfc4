"""What was notified to whom (each event once) and how each person wants to hear of each group of events."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.db import db, str_enum, utcnow


class Delivery(enum.StrEnum):
    """How a person hears of a group of events (their preference, and the channel an event went by)."""

    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"
    WEEKLY = "weekly"  # a preference only, for the weekly team report (lms/notifications/team_report.py)


class Notification(db.Model):
    """One event for one person, recorded once: the unique key is what keeps two runs from mailing it twice."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("recipient_id", "kind", "subject_key"),
        Index("ix_notifications_pending_digest", "channel", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))  # a key of NOTIFICATION_KINDS
    subject_key: Mapped[str] = mapped_column(String(100))  # e.g. "enrolment:12:2026-12-20"
    details: Mapped[dict] = mapped_column(default=dict)  # the values its message is written from
    channel: Mapped[Delivery] = mapped_column(str_enum(Delivery, 10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    recipient: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} {self.subject_key} to={self.recipient_id}>"


class NotificationPreference(db.Model):
    """A person's choice for one group of events; no row means immediately."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    group: Mapped[str] = mapped_column(String(20), primary_key=True)  # a key of GROUP_LABELS
    delivery: Mapped[Delivery] = mapped_column(str_enum(Delivery, 10))

    def __repr__(self) -> str:
        return f"<NotificationPreference {self.user_id} {self.group}={self.delivery}>"


__all__ = ["Delivery", "Notification", "NotificationPreference"]
