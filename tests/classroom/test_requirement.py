"""The certification requirement kind "session": a programme file names a session template; attending a
session of it (present or late) meets the requirement; the programme page names the template."""

from lms.accounts.models import Role
from lms.certification.eligibility import eligibility
from lms.certification.loader import programme_from_data
from lms.certification.programmes import save_programme
from lms.classroom import seats as seat_service
from lms.classroom.attendance import take_attendance
from lms.classroom.loader import check_programme_sessions
from lms.classroom.models import Attendance, SessionKind, SessionTemplate
from lms.content.files import load_yaml
from lms.db import db
from tests.classroom.helpers import make_session, start_now

PROGRAMME = """\
slug: tst-induction
title: 到職認證
summary: 參加到職日。
level: 1
validity_months: 12
prerequisites: []
requirements:
  - {id: induction, kind: session, session: tst-induction-day}
recertification:
  window_days: 30
  grace_days: 10
  reminder_days: [30]
  requirements:
    - {id: induction, kind: session, session: tst-induction-day}
"""


def test_a_session_attended_meets_the_requirement(make, client, auth):
    db.session.add(SessionTemplate(slug="tst-induction-day", kind=SessionKind.INDUCTION, title="測試到職日",
                                   description="", duration_minutes=60, capacity=5, standards=["4.1.1-a"],
                                   drill_steps=[], content_hash="x"))
    spec, errors = programme_from_data(load_yaml(PROGRAMME, "p.yaml"), "p.yaml")
    assert errors == [] and check_programme_sessions([spec], {"tst-induction-day"}) == []
    assert [(e.field, e.path) for e in check_programme_sessions([spec], {"other"})] == [("session", "p.yaml")]
    programme, _changed = save_programme(spec.definition)
    trainer, present, absent = make.user(Role.TRAINER), make.user(Role.LEARNER), make.user(Role.LEARNER)
    session = make_session(trainer, kind=SessionKind.INDUCTION, template_slug="tst-induction-day")
    for person in (present, absent):
        seat_service.enrol_self(session.id, person)
    db.session.commit()
    assert not eligibility(present, programme).met
    start_now(session)
    take_attendance(session.id, trainer, {present.id: Attendance.LATE, absent.id: Attendance.ABSENT})
    db.session.commit()
    assert eligibility(present, programme).met and not eligibility(absent, programme).met
    auth.login(absent)
    page = client.get("/certification/programmes/tst-induction").get_data(as_text=True)
    assert "測試到職日" in page and "/classroom/" in page
