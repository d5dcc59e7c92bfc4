"""Sending notifications: each event claimed once (an INSERT that yields to an existing row, so two runs at
once cannot both send it), written in the recipient's language, sent at once, kept for the daily digest, or
only recorded, by the recipient's preference for the event's group."""

from datetime import datetime, timedelta
from itertools import groupby

from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.content.simplified import text_in_readers_script
from lms.db import db, utcnow
from lms.mail import send_mail
from lms.notifications.kinds import Event, NotificationKind, load_kinds, mailable
from lms.notifications.models import Delivery, Notification
from lms.notifications.preferences import deliveries_of
from lms.urls import external_url

DIGEST_EVERY = timedelta(hours=20)  # a digest at most once a day, whatever the cron's rhythm


def claim_statement(event: Event, delivery: Delivery, now: datetime, dialect_name: str):
    """INSERT the event's record, doing nothing if (recipient, kind, subject) is already recorded — also when
    another run recorded it a moment ago and has not committed yet: the insert waits for it, then yields."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return dialect.insert(Notification.__table__).values(
        recipient_id=event.recipient.id, kind=event.kind, subject_key=event.subject_key, details=event.values,
        channel=delivery, created_at=now, sent_at=now if delivery == Delivery.IMMEDIATE else None,
    ).on_conflict_do_nothing(index_elements=["recipient_id", "kind", "subject_key"]).returning(
        Notification.__table__.c.id)


def claim(event: Event, delivery: Delivery, now: datetime) -> bool:
    """Record the event for its recipient unless it already is; True if this call recorded it."""
    stmt = claim_statement(event, delivery, now, db.session.get_bind().dialect.name)
    return db.session.execute(stmt).first() is not None  # a row back: this call recorded it


def _closing() -> str:
    return gettext("Choose how you hear of these on %(link)s", link=external_url("notifications.preferences_page"))


def write_message(kind: NotificationKind, user: User, values: dict) -> tuple[str, str]:
    """The subject and body of one event, in the recipient's language."""
    with force_locale(str(user.locale)):
        if kind.words is not None:
            values = {**values, **kind.words(values)}
        subject = str(kind.subject) % values
        body = "\n\n".join([gettext("Dear %(name)s,", name=user.name), str(kind.body) % values,
                            gettext("Open: %(link)s", link=values["link"]), _closing(),
                            gettext("Customer Service Centre training team")])
        return _in_script(subject, body)


def _in_script(subject: str, body: str) -> tuple[str, str]:
    """A simplified Chinese reader's mail with the content it names (course titles…) in simplified Chinese."""
    script = text_in_readers_script()
    return (script(subject), script(body)) if script else (subject, body)


def dispatch(events: list[Event], now: datetime | None = None) -> int:
    """Claim each event once; mail the immediate ones. Returns the number of mails sent."""
    now = now or utcnow()
    kinds = load_kinds()
    deliveries = deliveries_of({e.recipient.id for e in events})
    sent = 0
    for event in events:
        kind = kinds[event.kind]
        delivery = deliveries.get((event.recipient.id, kind.group), Delivery.IMMEDIATE)
        if not mailable(event.recipient):
            delivery = Delivery.OFF
        if claim(event, delivery, now) and delivery == Delivery.IMMEDIATE:
            files = kind.attachments(event) if kind.attachments is not None else None
            send_mail(event.recipient.email, *write_message(kind, event.recipient, event.values), attachments=files)
            sent += 1
    return sent


def send_digests(now: datetime | None = None) -> int:
    """One mail per person listing the events kept for their digest, at most once a day. Returns mails sent."""
    now = now or utcnow()
    kinds = load_kinds()
    pending = list(db.session.scalars(
        select(Notification).where(Notification.channel == Delivery.DIGEST, Notification.sent_at.is_(None))
        .options(selectinload(Notification.recipient)).order_by(Notification.recipient_id, Notification.created_at)))
    if not pending:
        return 0
    last = dict(db.session.execute(
        select(Notification.recipient_id, func.max(Notification.sent_at))
        .where(Notification.channel == Delivery.DIGEST, Notification.sent_at.is_not(None),
               Notification.recipient_id.in_({n.recipient_id for n in pending}))
        .group_by(Notification.recipient_id)).all())
    sent = 0
    for recipient_id, rows in groupby(pending, key=lambda n: n.recipient_id):
        rows = list(rows)
        if (last.get(recipient_id) and now - last[recipient_id] < DIGEST_EVERY) or not mailable(rows[0].recipient):
            continue
        # Taken by this run only if no other run took them first (the UPDATE waits for the other's commit).
        taken = db.session.execute(update(Notification).where(Notification.id.in_([n.id for n in rows]),
                                                              Notification.sent_at.is_(None))
                                   .values(sent_at=now).execution_options(synchronize_session=False)).rowcount
        if taken:
            send_mail(rows[0].recipient.email, *write_digest(kinds, rows[0].recipient, rows))
            sent += 1
    return sent


def write_digest(kinds: dict, user: User, rows: list[Notification]) -> tuple[str, str]:
    with force_locale(str(user.locale)):
        subject = ngettext("%(num)d update from the training platform", "%(num)d updates from the training platform",
                           len(rows))
        lines = [f"• {str(kinds[n.kind].subject) % n.details}\n  {n.details['link']}" for n in rows if n.kind in kinds]
        body = "\n\n".join([gettext("Dear %(name)s,", name=user.name), "\n".join(lines), _closing(),
                            gettext("Customer Service Centre training team")])
        return _in_script(subject, body)


def run_notifications(now: datetime | None = None) -> tuple[int, int]:
    """The daily (or hourly) run: every kind's due events, then the digests. Returns (mails, digests)."""
    now = now or utcnow()
    sent = 0
    for kind in sorted(load_kinds().values(), key=lambda k: k.order):
        if kind.run is not None:
            kind.run(now)
        elif kind.find is not None:
            sent += dispatch(kind.find(now), now)
    return sent, send_digests(now)
