"""Every classroom route, by role: who may, who may not, and what each does; no raw codes on the pages."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.classroom.models import Attendance, ClassroomSession, DrillRecord, Seat, SeatStatus, SessionStatus
from lms.db import db, utcnow
from lms.timeutil import to_local
from tests.classroom.helpers import make_session, start_now
from tests.conftest import Auth


@pytest.fixture
def people(make):
    manager = make.user(Role.MANAGER, name="主管")
    team = make.team("甲組", managers=[manager])
    return {"learner": make.user(Role.LEARNER, team=team, name="學員"), "manager": manager,
            "trainer": make.user(Role.TRAINER, name="講師"), "admin": make.user(Role.ADMIN, name="管理員"),
            "other": make.user(Role.LEARNER, team=make.team("乙組"), name="別組學員"), "team": team}


def _client(app, user):
    client = app.test_client()
    Auth(client).login(user)
    return client


ROUTES = [  # (method, path, roles allowed)
    ("GET", "/classroom/", {"learner", "manager", "trainer", "admin"}),
    ("GET", "/classroom/{id}", {"learner", "manager", "trainer", "admin"}),
    ("GET", "/classroom/{id}/calendar.ics", {"learner", "manager", "trainer", "admin"}),
    ("POST", "/classroom/{id}/enrol", {"learner"}),
    ("GET", "/classroom/{id}/team", {"manager", "admin"}),
    ("GET", "/classroom/manage/new", {"trainer", "admin"}),
    ("GET", "/classroom/manage/{id}/edit", {"trainer", "admin"}),
    ("GET", "/classroom/manage/{id}/assign", {"trainer", "admin"}),
    ("GET", "/classroom/manage/{id}/attendance", {"trainer", "admin"}),
    ("POST", "/classroom/manage/{id}/cancel", {"trainer", "admin"}),
]


@pytest.mark.parametrize(("method", "path", "allowed"), ROUTES)
@pytest.mark.parametrize("role", ["learner", "manager", "trainer", "admin"])
def test_who_may_use_each_route(app, people, method, path, allowed, role):
    session = make_session(people["trainer"])
    response = _client(app, people[role]).open(path.format(id=session.id), method=method)
    assert (response.status_code != 403) is (role in allowed)
    assert response.status_code < 500


def test_anonymous_visitors_are_sent_to_log_in(app, people):
    session = make_session(people["trainer"])
    for _method, path, _allowed in ROUTES:
        response = app.test_client().open(path.format(id=session.id), method=_method)
        assert response.status_code in (302, 401)


def test_a_learner_takes_and_gives_up_a_place_on_the_page(app, people):
    session = make_session(people["trainer"], capacity=1)
    client = _client(app, people["learner"])
    page = client.get(f"/classroom/{session.id}").get_data(as_text=True)
    assert "報名" in page and "workshop" not in page and "enrolled" not in page  # labels, not codes
    assert client.post(f"/classroom/{session.id}/enrol", follow_redirects=True).status_code == 200
    page = client.get(f"/classroom/{session.id}").get_data(as_text=True)
    assert "已報名" in page or "Enrolled" in page
    other = _client(app, people["other"])
    other.post(f"/classroom/{session.id}/enrol")
    assert "候補第 1 位" in other.get(f"/classroom/{session.id}").get_data(as_text=True)
    client.post(f"/classroom/{session.id}/cancel-place")
    db.session.expire_all()
    statuses = {s.user_id: s.status for s in db.session.scalars(select(Seat))}
    assert statuses == {people["learner"].id: SeatStatus.CANCELLED, people["other"].id: SeatStatus.ENROLLED}
    # Giving up a place one does not have is refused with a message, not an error page.
    response = client.post(f"/classroom/{session.id}/cancel-place", follow_redirects=True)
    assert response.status_code == 200 and "您沒有報名這場課程" in response.get_data(as_text=True)


def test_a_manager_enrols_team_members_only(app, people):
    session = make_session(people["trainer"])
    client = _client(app, people["manager"])
    page = client.get(f"/classroom/{session.id}/team").get_data(as_text=True)
    assert "學員" in page and "別組學員" not in page
    response = client.post(f"/classroom/{session.id}/team", data={"people": [people["other"].id]})
    assert response.status_code == 200  # not a choice of this form: refused under the field
    assert db.session.scalar(select(Seat)) is None
    client.post(f"/classroom/{session.id}/team", data={"people": [people["learner"].id]})
    assert db.session.scalar(select(Seat.user_id)) == people["learner"].id


def test_a_trainer_schedules_from_a_template_changes_and_cancels(app, make, people, outbox):
    make.content()
    from lms.classroom.models import SessionKind, SessionTemplate

    db.session.add(SessionTemplate(slug="tst-workshop", kind=SessionKind.WORKSHOP, title="測試工作坊",
                                   description="練習", duration_minutes=120, capacity=8, course_code="TST-101",
                                   standards=["5.2.1-a"], drill_steps=[], content_hash="x"))
    db.session.commit()
    client = _client(app, people["trainer"])
    form = client.get("/classroom/manage/new?template=tst-workshop").get_data(as_text=True)
    assert "測試工作坊" in form and 'value="8"' in form
    start = to_local(utcnow() + timedelta(days=5)).replace(tzinfo=None)
    data = {"kind": "workshop", "title": "測試工作坊", "description": "練習", "template_slug": "tst-workshop",
            "starts_at": start.strftime("%Y-%m-%dT09:00"), "ends_at": start.strftime("%Y-%m-%dT11:00"),
            "place": "三樓教室", "video_link": "", "capacity": "8", "trainer_id": people["trainer"].id,
            "course_code": "TST-101", "exam_slug": ""}
    response = client.post("/classroom/manage/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    session = db.session.scalar(select(ClassroomSession))
    assert session.template_slug == "tst-workshop" and session.standards == ["5.2.1-a"]
    assert to_local(session.starts_at).hour == 9  # read on the centre's clock
    bad = client.post("/classroom/manage/new", data={**data, "ends_at": start.strftime("%Y-%m-%dT08:00")})
    assert bad.status_code == 200 and "結束時間必須晚於開始時間" in bad.get_data(as_text=True)
    response = client.post(f"/classroom/manage/{session.id}/edit", data={**data, "capacity": "9"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ClassroomSession, session.id).sequence == 1
    client.post(f"/classroom/manage/{session.id}/cancel")
    db.session.expire_all()
    assert db.session.get(ClassroomSession, session.id).status == SessionStatus.CANCELLED


def test_attendance_on_the_phone_page_and_the_drill_record(app, people):
    from lms.classroom import seats as seat_service
    from lms.classroom.models import SessionKind

    session = make_session(people["trainer"], kind=SessionKind.DRILL, drill_steps=["5.2.1-a", "5.2.1-b"])
    seat_service.enrol_self(session.id, people["learner"])
    db.session.commit()
    client = _client(app, people["trainer"])
    response = client.post(f"/classroom/manage/{session.id}/attendance",
                           data={f"seat_{people['learner'].id}": "present"}, follow_redirects=True)
    assert "課程開始前一小時起才能點名" in response.get_data(as_text=True)  # too early: refused, nothing kept
    start_now(session)
    page = client.get(f"/classroom/manage/{session.id}/attendance").get_data(as_text=True)
    assert "學員" in page and "出席" in page and "遲到" in page
    client.post(f"/classroom/manage/{session.id}/attendance", data={f"seat_{people['learner'].id}": "late"})
    db.session.expire_all()
    assert db.session.scalar(select(Seat.attendance)) == Attendance.LATE
    response = client.post(f"/classroom/manage/{session.id}/drill", data={
        "scenario_text": "計費系統中斷三十分鐘", "done_0": "y", "note_0": "五分鐘內成立應變小組", "note_1": "",
        "debrief_text": "下次先確認影響範圍"})
    assert response.status_code == 302
    record = db.session.scalar(select(DrillRecord))
    assert record.observed["5.2.1-a"] == {"done": True, "note": "五分鐘內成立應變小組"}
    assert record.observed["5.2.1-b"]["done"] is False
    page = _client(app, people["learner"]).get(f"/classroom/{session.id}").get_data(as_text=True)
    assert "計費系統中斷三十分鐘" in page and "下次先確認影響範圍" in page and "未做到" in page


def test_a_drill_page_for_a_session_that_is_not_a_drill_is_not_found(app, people):
    session = make_session(people["trainer"])
    assert _client(app, people["trainer"]).get(f"/classroom/manage/{session.id}/drill").status_code == 404


@pytest.mark.parametrize("locale", ["zh_Hant", "zh_Hans", "en"])
def test_pages_in_three_languages(app, people, locale):
    from lms.accounts.users import set_locale

    session = make_session(people["trainer"])
    trainer = people["trainer"]
    set_locale(trainer, locale)
    db.session.commit()
    client = _client(app, trainer)
    words = {"zh_Hant": "面授課程", "zh_Hans": "面授课程", "en": "Classroom sessions"}[locale]
    for path in ("/classroom/", f"/classroom/{session.id}"):
        assert words in client.get(path).get_data(as_text=True)
