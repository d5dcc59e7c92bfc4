"""Outgoing e-mail through the task queue: console (default), SMTP, or an in-memory outbox for tests.
A message may carry files (a report's PDF): (file name, MIME type, bytes) each."""

import smtplib
import sys
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

from lms.tasks import app_task, enqueue_after_commit

# The "memory" backend appends here; tests read and clear it.
outbox: list[EmailMessage] = []
Attachment = tuple[str, str, bytes]  # file name, MIME type ("application/pdf"), content


def build_message(to: str, subject: str, body: str, attachments: list[Attachment] | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="lms.local")
    msg.set_content(body)
    for filename, mimetype, content in attachments or ():
        kind, *parameters = [part.strip() for part in mimetype.split(";")]
        maintype, _slash, subtype = kind.partition("/")
        if not subtype or not isinstance(content, bytes):
            raise ValueError(f"attachment {filename!r}: a MIME type such as application/pdf and bytes are needed")
        # "text/calendar; method=REQUEST": parameters go on the part's type; a text file is UTF-8.
        params = dict(p.partition("=")[::2] for p in parameters if "=" in p)
        if maintype == "text":
            params.setdefault("charset", "utf-8")
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename, params=params)
    return msg


def _console_text(msg: EmailMessage) -> str:
    """The message for a terminal: headers and text, each attachment by its name and size (not base64)."""
    if not msg.is_multipart():
        return msg.as_string()
    text = msg.get_body(preferencelist=("plain",))
    headers = "".join(f"{name}: {value}\n" for name, value in msg.items() if name.lower() != "content-type")
    files = "".join(f"[attachment: {part.get_filename()}, {len(part.get_content())} bytes]\n"
                    for part in msg.iter_attachments())
    return f"{headers}\n{text.get_content() if text is not None else ''}\n{files}"


def deliver(msg: EmailMessage) -> None:
    """Hand one message to the configured backend."""
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        outbox.append(msg)
    elif backend == "console":
        # Standard output, deliberately not the logging module: log lines never carry tokens.
        sys.stdout.write(f"---------- mail ----------\n{_console_text(msg)}\n--------------------------\n")
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
def deliver_mail_task(to: str, subject: str, body: str, attachments: list[Attachment] | None = None) -> None:
    deliver(build_message(to, subject, body, attachments))


def send_mail(to: str, subject: str, body: str, attachments: list[Attachment] | None = None) -> None:
    """Queue a plain-text message (with its files, if any); it leaves once the current transaction commits."""
    if attachments:
        enqueue_after_commit(deliver_mail_task, to, subject, body, list(attachments))
    else:
        enqueue_after_commit(deliver_mail_task, to, subject, body)
