"""How long records that name people are kept, and the scheduled purge that applies it
(``flask lms purge-personal-data``, daily). Each kind of record owns its label, default, limits and purge."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from lms.accounts.models import LoginFailure, User
from lms.audit.models import AuditEvent
from lms.audit.services import record_event
from lms.db import db, utcnow
from lms.notifications.models import Notification
from lms.privacy.models import Erasure, RetentionSetting

LOGIN_ACTIONS = ("login.succeeded", "login.failed", "login.throttled")
# Reads of other people's results and exports, recorded by audit.services.record_read (not this domain's own).
READ_ACTIONS = (
    "attempt.viewed",
    "board.person_read",
    "board.exported",
    "certification.transcript_read",
    "audit.exported",
)


def _purge_failures(cutoff: datetime) -> int:
    return db.session.execute(delete(LoginFailure).where(LoginFailure.at < cutoff)).rowcount


def _purge_events(actions) -> Callable[[datetime], int]:
    def purge(cutoff: datetime) -> int:
        return db.session.execute(
            delete(AuditEvent).where(AuditEvent.action.in_(actions), AuditEvent.at < cutoff)
        ).rowcount

    return purge


def _purge_notifications(cutoff: datetime) -> int:
    # The row stays (it keeps the event from being mailed again); what the mail said goes.
    return db.session.execute(
        update(Notification)
        .where(Notification.created_at < cutoff, Notification.sent_at.is_not(None))
        .values(details={})
    ).rowcount


def _purge_departed(cutoff: datetime) -> int:
    from lms.privacy.erasure import erase_person

    people = db.session.scalars(
        select(User.id).where(
            User.is_active.is_(False), User.updated_at < cutoff, User.id.not_in(select(Erasure.user_id))
        )
    ).all()
    for user_id in people:
        erase_person(user_id, None, None)
    return len(people)


@dataclass(frozen=True)
class RetentionKind:
    label: object
    hint: object
    default: int | None  # days; None: kept for good
    minimum: int
    purge: Callable[[datetime], int]


RETENTION_KINDS: dict[str, RetentionKind] = {
    "login_failures": RetentionKind(
        _l("Failed logins"),
        _l("What was typed and from which address, kept to slow down password guessing."),
        90,
        1,
        _purge_failures,
    ),
    "login_events": RetentionKind(
        _l("Logins in the audit log"),
        _l("Each login, failed login and refused login."),
        365,
        30,
        _purge_events(LOGIN_ACTIONS),
    ),
    "read_events": RetentionKind(
        _l("Reads in the audit log"),
        _l("Who opened another person's results or exported a list."),
        365,
        30,
        _purge_events(READ_ACTIONS),
    ),
    "notification_records": RetentionKind(
        _l("What notification mails said"),
        _l("The record that a mail was sent stays, so nothing is mailed twice; what it said goes."),
        365,
        30,
        _purge_notifications,
    ),
    "departed_people": RetentionKind(
        _l("Departed people's personal data"),
        _l(
            "Days after an account was deactivated (and last changed) before its personal data is erased "
            "as an administrator's erasure would."
        ),
        None,
        30,
        _purge_departed,
    ),
}


def retention_days() -> dict[str, int | None]:
    """Each kind's period in days (None: kept for good), as set or by default."""
    saved = {s.key: s.days for s in db.session.scalars(select(RetentionSetting))}
    return {key: saved.get(key, kind.default) for key, kind in RETENTION_KINDS.items()}


def save_retention(days: dict[str, int | None], acting: User) -> bool:
    """Save the periods an administrator chose; record the change. Returns whether anything changed."""
    before = retention_days()
    after = {key: days.get(key) for key in RETENTION_KINDS}
    if after == before:
        return False
    saved = {s.key: s for s in db.session.scalars(select(RetentionSetting))}
    for key, value in after.items():
        row = saved.get(key) or RetentionSetting(key=key)
        row.days, row.set_by_id, row.set_at = value, acting.id, utcnow()
        db.session.add(row)
    record_event("privacy.retention_changed", "retention", "-", before=before, after=after, actor=acting)
    db.session.flush()
    return True


def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Apply every retention period (kinds kept for good are left alone) and record the run's counts."""
    now = now or utcnow()
    counts = {}
    for key, days in retention_days().items():
        if days is not None:
            counts[key] = RETENTION_KINDS[key].purge(now - timedelta(days=days))
    record_event("privacy.purged", "retention", "-", after=counts, summary=str(sum(counts.values())))
    db.session.flush()
    return counts
