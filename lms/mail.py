"""Outgoing e-mail through the task queue: console (default), SMTP, or an in-memory outbox for tests."""

import smtplib
import sys
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

from lms.tasks import app_task, enqueue_after_commit

# The "memory" backend appends here; tests read and clear it.
outbox: list[EmailMessage] = []


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="lms.local")
    msg.set_content(body)
    return msg


def deliver(msg: EmailMessage) -> None:
    """Hand one message to the configured backend."""
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        outbox.append(msg)
    elif backend == "console":
        # Standard output, deliberately not the logging module: log lines never carry tokens.
        sys.stdout.write(f"---------- mail ----------\n{msg.as_string()}\n--------------------------\n")
        sys.stdout.flush()
    elif backend == "smtp":
        cfg = current_app.config
        smtp_class = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
        with smtp_class(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=30) as smtp:
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
            smtp.send_message(msg)
    else:
        raise ValueError(f"unknown LMS_MAIL_BACKEND {backend!r}")


@app_task(retries=3, retry_delay=60)
def deliver_mail_task(to: str, subject: str, body: str) -> None:
    deliver(build_message(to, subject, body))


def send_mail(to: str, subject: str, body: str) -> None:
    """Queue a plain-text message; it leaves once the current transaction commits."""
    enqueue_after_commit(deliver_mail_task, to, subject, body)
