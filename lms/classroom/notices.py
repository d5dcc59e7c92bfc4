"""Mail about sessions, each with the session's calendar file: a place given (at once, or from the waiting
list), the session changed (a new SEQUENCE: calendars update the event they hold), the session cancelled
(METHOD:CANCEL). Events raised in a request are sent by a task once it commits (lms/notifications/hooks.py)."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.classroom.calendar import ICS_TYPE, calendar_filename, session_calendar
from lms.classroom.models import ClassroomSession, Seat, SeatStatus, SessionStatus
from lms.db import db, get_row
from lms.notifications.hooks import raise_event
from lms.notifications.kinds import Event, NotificationKind, mailable, register_kind
from lms.timeutil import offset_text, to_local
from lms.urls import external_url


def when_text(session: ClassroomSession) -> str:
    """'2026-12-20 09:00–12:00 (UTC+8)': the session's time in the centre's zone."""
    start, end = to_local(session.starts_at), to_local(session.ends_at)
    day = "" if start.date() == end.date() else f"{end:%Y-%m-%d} "
    return f"{start:%Y-%m-%d %H:%M}–{day}{end:%H:%M} ({offset_text(start)})"


def session_values(session: ClassroomSession) -> dict:
    return {"session": session.title, "when": when_text(session), "session_id": session.id,
            "where": " · ".join(p for p in (session.place, session.video_link) if p) or "—",
            "link": external_url("classroom.session", session_id=session.id)}


def calendar_attachment(event: Event) -> list[tuple[str, str, bytes]]:
    """The session's .ics for the recipient, as it stands when the mail is written."""
    session = get_row(ClassroomSession, event.values["session_id"], options=(selectinload(ClassroomSession.trainer),))
    content = session_calendar(session, event.values["link"], attendee=event.recipient)
    method = "CANCEL" if session.status == SessionStatus.CANCELLED else "REQUEST"
    return [(calendar_filename(session), f"{ICS_TYPE}; method={method}", content)]


def _seat_events(kind: str, ids: list[int]) -> list[Event]:
    seats = db.session.scalars(select(Seat).where(Seat.id.in_(ids), Seat.status == SeatStatus.ENROLLED)
                               .options(selectinload(Seat.user), selectinload(Seat.session)))
    return [Event(kind, seat.user, f"seat:{seat.id}:{seat.queue_number}", session_values(seat.session))
            for seat in seats if mailable(seat.user)]


def _session_events(kind: str, statuses, key: str, ids: list[int]) -> list[Event]:
    events = []
    for session in db.session.scalars(select(ClassroomSession).where(ClassroomSession.id.in_(ids))):
        seats = db.session.scalars(select(Seat).where(Seat.session_id == session.id, Seat.status.in_(statuses))
                                   .options(selectinload(Seat.user)))
        values = session_values(session)
        events += [Event(kind, seat.user, key.format(id=session.id, sequence=session.sequence), values)
                   for seat in seats if mailable(seat.user)]
    return events


def _no_due_events(_now: datetime) -> list[Event]:
    return []  # raised by requests only; the daily run has nothing of its own to find


register_kind(NotificationKind(
    "session_enrolled", "courses", _l("You are enrolled: %(session)s, %(when)s"),
    _l("You have a place in the session %(session)s on %(when)s at %(where)s. The calendar invitation is attached."),
    find=_no_due_events, for_ids=lambda ids, _now: _seat_events("session_enrolled", ids),
    attachments=calendar_attachment, order=40))
register_kind(NotificationKind(
    "session_promoted", "courses", _l("A place opened: you are enrolled in %(session)s"),
    _l("A place opened in the session %(session)s on %(when)s at %(where)s, and you were first on the waiting "
       "list: you are now enrolled. The calendar invitation is attached."),
    find=_no_due_events, for_ids=lambda ids, _now: _seat_events("session_promoted", ids),
    attachments=calendar_attachment, order=41))
register_kind(NotificationKind(
    "session_changed", "courses", _l("Session changed: %(session)s, now %(when)s"),
    _l("The session %(session)s has changed. It now takes place on %(when)s at %(where)s. The updated calendar "
       "invitation is attached."),
    find=_no_due_events, for_ids=lambda ids, _now: _session_events(
        "session_changed", [SeatStatus.ENROLLED], "session:{id}:{sequence}", ids),
    attachments=calendar_attachment, order=42))
register_kind(NotificationKind(
    "session_cancelled", "courses", _l("Session cancelled: %(session)s"),
    _l("The session %(session)s on %(when)s has been cancelled. The attached file removes it from your calendar."),
    find=_no_due_events, for_ids=lambda ids, _now: _session_events(
        "session_cancelled", [SeatStatus.ENROLLED, SeatStatus.WAITING], "session:{id}:cancelled", ids),
    attachments=calendar_attachment, order=43))


def on_seats_given(_session, seats, promoted: bool, **_extra) -> None:
    raise_event("session_promoted" if promoted else "session_enrolled", [s.id for s in seats])


def on_session_changed(session, **_extra) -> None:
    raise_event("session_changed", [session.id])


def on_session_cancelled(session, **_extra) -> None:
    raise_event("session_cancelled", [session.id])
