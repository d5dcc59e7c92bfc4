"""Expiry reminders: each programme's ladder of days before expiry (e.g. 90, 60, 30, 7); on each rung the
holder and their team's managers get one e-mail (``flask lms send-reminders``, daily)."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.certification.models import Certificate, CertificateReminder
from lms.db import db, utcnow


def due_reminders(now: datetime | None = None) -> list[tuple[Certificate, int]]:
    """Certificates that crossed a rung of their programme's reminder ladder and were not reminded of it."""
    now = now or utcnow()
    certs = list(db.session.scalars(
        select(Certificate).where(Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None),
                                  Certificate.expires_at > now, Certificate.expires_at <= now + timedelta(days=366))
        .options(selectinload(Certificate.user), selectinload(Certificate.programme))))
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


def _recipients(cert: Certificate) -> list[str]:
    """The holder and the active managers of the holder's team."""
    recipients = [cert.user.email] if cert.user.email else []
    if cert.user.team is not None:
        recipients += [m.email for m in cert.user.team.managers if m.email and m.is_active]
    return recipients


def _mail_reminder(cert: Certificate, now: datetime, recipients: list[str]) -> None:
    from lms.mail import send_mail
    from lms.urls import external_url

    left = max(0, (cert.expires_at - now).days)
    link = external_url("certification.programme", slug=cert.programme.slug)
    subject = f"認證即將到期：{cert.programme_title}（剩 {left} 天）"
    body = (f"{cert.holder_name} 您好：\n\n您的「{cert.programme_title}」認證將於 "
            f"{cert.expires_at.date().isoformat()} 到期（剩 {left} 天）。請在到期前完成重新認證的要求並提出申請：\n"
            f"{link}\n\n客戶服務中心 培訓組")
    for to in dict.fromkeys(recipients):  # each address once
        send_mail(to, subject, body)


def send_reminders(now: datetime | None = None) -> int:
    """Mail each holder (and their team's managers) once per rung; rungs skipped at once are recorded too."""
    now = now or utcnow()
    count = 0
    for cert, days in due_reminders(now):
        ladder = cert.programme.definition["recertification"].get("reminder_days", [])
        recipients = _recipients(cert)
        _mail_reminder(cert, now, recipients)
        for rung in [d for d in ladder if d >= days]:
            if db.session.scalar(select(CertificateReminder.id).where(CertificateReminder.certificate_id == cert.id,
                                                                      CertificateReminder.days == rung)) is None:
                db.session.add(CertificateReminder(certificate_id=cert.id, days=rung, sent_at=now,
                                                   recipients=len(recipients) if rung == days else 0))
        count += 1
    db.session.flush()
    return count
