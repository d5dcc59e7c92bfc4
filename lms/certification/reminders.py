"""Expiry reminders: each programme's ladder of days before expiry (e.g. 90, 60, 30, 7); on each rung the
holder and their team's managers are told once (``flask lms certificate-reminders`` or ``flask lms notify``, daily),
through the notifications (``certificate_expiring`` and its manager copy)."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Team, User
from lms.certification.models import Certificate, CertificateReminder
from lms.db import db, utcnow


def due_reminders(now: datetime | None = None) -> list[tuple[Certificate, int]]:
    """Certificates that crossed a rung of their programme's reminder ladder and were not reminded of it."""
    now = now or utcnow()
    certs = list(db.session.scalars(
        select(Certificate).where(Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None),
                                  Certificate.expires_at > now, Certificate.expires_at <= now + timedelta(days=366))
        .options(selectinload(Certificate.user).selectinload(User.team).selectinload(Team.managers),
                 selectinload(Certificate.programme))))
    sent: dict[int, set] = {}
    for certificate_id, days in db.session.execute(select(CertificateReminder.certificate_id, CertificateReminder.days)
                                                   .where(CertificateReminder.certificate_id.in_([c.id for c in certs]))):
        sent.setdefault(certificate_id, set()).add(days)
    due = []
    for cert in certs:
        left = (cert.expires_at - now).total_seconds() / 86400
        ladder = cert.programme.definition["recertification"].get("reminder_days", [])
        crossed = [d for d in ladder if left <= d and d not in sent.get(cert.id, set())]
        if crossed:
            due.append((cert, min(crossed)))
    return due


def mark_reminded(cert: Certificate, days: int, now: datetime, recipients: int) -> None:
    """Record the rung reached (and the rungs above it skipped at once), so that none is sent again."""
    ladder = cert.programme.definition["recertification"].get("reminder_days", [])
    for rung in [d for d in ladder if d >= days]:
        if db.session.scalar(select(CertificateReminder.id).where(CertificateReminder.certificate_id == cert.id,
                                                                  CertificateReminder.days == rung)) is None:
            db.session.add(CertificateReminder(certificate_id=cert.id, days=rung, sent_at=now,
                                               recipients=recipients if rung == days else 0))


def send_reminders(now: datetime | None = None) -> int:
    """Tell each holder (and their team's managers, addressed to them) once per rung, each in their own
    language and by their own notification preference (lms/notifications); rungs skipped at once are
    recorded too. Returns the number of certificates reminded."""
    from lms.notifications.dispatch import dispatch
    from lms.notifications.kinds_learner import certificate_events

    now = now or utcnow()
    pairs = due_reminders(now)
    events = certificate_events(pairs, now)
    dispatch(events, now)
    for cert, days in pairs:
        mark_reminded(cert, days, now, sum(1 for e in events if e.values["certificate_id"] == cert.id))
    db.session.flush()
    return len(pairs)
