"""Calendar files (.ics, RFC 5545 through the icalendar library): an invitation or update (METHOD:REQUEST)
and a cancellation (METHOD:CANCEL) of a session. The UID stays the session's for its life and SEQUENCE is
its change count, so calendars replace the event they hold instead of adding a second one."""

from datetime import datetime

from flask import current_app
from icalendar import Calendar, Event, vCalAddress, vText

from lms.classroom.models import ClassroomSession, SessionStatus
from lms.db import utcnow

PRODID = "-//Customer Service Centre//Training platform//ZH-TW"
ICS_TYPE = "text/calendar"


def _address(email: str, name: str, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def plain_text(text: str) -> str:
    """Text for a calendar field: line endings as LF, no byte-order mark (parsers drop one as the file's)."""
    return text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")


def one_line(text: str) -> str:
    """A calendar's one-line field (summary, location): runs of white space (line breaks too) as one space."""
    return " ".join(plain_text(text).split())


def _location(session: ClassroomSession) -> str:
    return one_line(" · ".join(part for part in (session.place, session.video_link) if part))


def session_calendar(session: ClassroomSession, url: str, attendee=None, cancel: bool | None = None,
                     now: datetime | None = None) -> bytes:
    """The session as a calendar file: a request, or a cancellation when the session (or ``cancel``) says so.
    ``attendee``: the person the file is for (their mail's invitation)."""
    cancel = session.status == SessionStatus.CANCELLED if cancel is None else cancel
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", session.uid)
    event.add("sequence", session.sequence)
    event.add("dtstamp", now or utcnow())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", one_line(session.title))
    event.add("description", "\n\n".join(part for part in (plain_text(session.description), url) if part))
    if location := _location(session):
        event.add("location", location)
    event.add("url", url)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    trainer = session.trainer
    organizer_mail = (trainer.email if trainer and trainer.email else current_app.config["MAIL_DEFAULT_SENDER"])
    event.add("organizer", _address(organizer_mail.split("<")[-1].strip(">"),
                                    trainer.name if trainer else "Training team"))
    if attendee is not None and attendee.email:
        event.add("attendee", _address(attendee.email, attendee.name, ROLE="REQ-PARTICIPANT", RSVP="FALSE"))
    calendar.add_component(event)
    return calendar.to_ical()


def calendar_filename(session: ClassroomSession) -> str:
    return f"session-{session.id}.ics"
