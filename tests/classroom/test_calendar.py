"""Calendar files: every one generated (invitation, update, cancellation, download) is parsed back by the
icalendar library and accepted by a second parser (vobject); the UID stays, SEQUENCE grows, METHOD says
REQUEST or CANCEL; the mails carry them."""

from datetime import timedelta

import icalendar
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.accounts.models import Role
from lms.classroom import seats as seat_service
from lms.classroom.calendar import one_line, plain_text, session_calendar
from lms.classroom.scheduling import cancel_session, change_session
from lms.db import db
from tests.classroom.helpers import make_session, session_data


def _parsed(content: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    second = vobject.readOne(content.decode())  # the second parser must accept it too
    assert second.vevent.uid.value == str(events[0]["UID"])
    assert second.vevent.dtstart.value == events[0].decoded("DTSTART")
    return calendar, events[0]


def _ics_parts(outbox):
    return [(m["To"], part.get_content()) for m in outbox for part in m.iter_attachments()
            if part.get_content_type() == "text/calendar"]


def test_invitation_update_and_cancellation_mails_carry_valid_calendar_files(make, outbox):
    trainer, learner = make.user(Role.TRAINER), make.user(Role.LEARNER)
    session = make_session(trainer, capacity=1)
    waiting = make.user(Role.LEARNER)
    seat_service.enrol_self(session.id, learner)
    seat_service.enrol_self(session.id, waiting)
    db.session.commit()
    [(to, content)] = _ics_parts(outbox)
    calendar, event = _parsed(content.encode() if isinstance(content, str) else content)
    assert to == learner.email and str(calendar["METHOD"]) == "REQUEST" and event["SEQUENCE"] == 0
    assert str(event["UID"]) == session.uid and event.decoded("DTSTART") == session.starts_at
    assert learner.email in str(event["ATTENDEE"])
    outbox.clear()
    later = session.starts_at + timedelta(days=1)
    change_session(session.id, trainer, session_data(trainer_id=trainer.id, capacity=1, starts_at=later,
                                                     ends_at=later + timedelta(hours=2), place="五樓會議室"))
    db.session.commit()
    [(to, content)] = _ics_parts(outbox)
    calendar, event = _parsed(content if isinstance(content, bytes) else content.encode())
    assert to == learner.email and event["SEQUENCE"] == 1 and str(event["UID"]) == session.uid
    assert event.decoded("DTSTART") == later and "五樓會議室" in str(event["LOCATION"])
    outbox.clear()
    cancel_session(session.id, trainer)
    db.session.commit()
    parts = _ics_parts(outbox)
    assert sorted(to for to, _c in parts) == sorted([learner.email, waiting.email])
    for _to, content in parts:
        calendar, event = _parsed(content if isinstance(content, bytes) else content.encode())
        assert str(calendar["METHOD"]) == "CANCEL" and event["SEQUENCE"] == 2 and str(event["STATUS"]) == "CANCELLED"


def test_each_mail_is_sent_once(make, outbox):
    from lms.notifications.hooks import notify_task

    trainer, learner = make.user(Role.TRAINER), make.user(Role.LEARNER)
    session = make_session(trainer)
    seat = seat_service.enrol_self(session.id, learner)
    db.session.commit()
    notify_task("session_enrolled", [seat.id])  # a second run finds it recorded
    db.session.commit()
    assert len(outbox) == 1


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(min_size=1, max_size=80).filter(lambda t: t.strip() and "\x00" not in t),
       description=st.text(max_size=300).filter(lambda t: "\x00" not in t),
       place=st.text(min_size=1, max_size=60).filter(lambda t: t.strip() and "\x00" not in t))
def test_any_text_survives_both_parsers(app, title, description, place):
    from lms.classroom.models import ClassroomSession, SessionKind, SessionStatus
    from lms.db import utcnow

    start = utcnow().replace(microsecond=0)
    session = ClassroomSession(uid="x@lms.local", sequence=3, kind=SessionKind.WORKSHOP, title=title,
                               description=description, starts_at=start, ends_at=start + timedelta(hours=1),
                               place=place, video_link="", capacity=5, status=SessionStatus.SCHEDULED)
    calendar, event = _parsed(session_calendar(session, "https://lms.example/classroom/1"))
    assert str(event["SUMMARY"]) == one_line(title) and str(event["LOCATION"]) == one_line(place)
    assert str(event["DESCRIPTION"]).startswith(plain_text(description))
    assert event["SEQUENCE"] == 3


def test_the_session_page_offers_the_file(make, client, auth):
    trainer, learner = make.user(Role.TRAINER), make.user(Role.LEARNER)
    session = make_session(trainer)
    auth.login(learner)
    response = client.get(f"/classroom/{session.id}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    _calendar, event = _parsed(response.data)
    assert str(event["UID"]) == session.uid
