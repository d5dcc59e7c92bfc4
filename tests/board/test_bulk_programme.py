"""Assigning a certification programme from the board: every course its requirements name goes to each person
ticked in one action, courses already taken or completed are left as they were, and each person hears of it in
one message. Refusals name the field and write nothing; the same people may do it as assign a course."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.courses.models import Course, CourseAssignment, Enrolment
from lms.db import db
from lms.timeutil import local_today
from tests.board.conftest import client_for


def _due_dates(user) -> dict[str, object]:
    return dict(db.session.execute(select(Course.code, Enrolment.due_date).join(Enrolment)
                                   .where(Enrolment.user_id == user.id)).all())


def _flashes(client) -> str:
    return re.sub(r"\s+", " ", client.get("/board/").get_data(as_text=True).split('class="flashes"', 1)[-1][:2000])


def test_the_programme_s_courses_go_to_each_person_once_and_existing_ones_are_left(app, world, outbox):
    outbox.clear()
    before = {name: _due_dates(world[name]) for name in ("late", "fine", "done")}
    client = client_for(app, world["manager"])
    due = local_today() + timedelta(days=30)
    people = [world["late"].id, world["fine"].id, world["done"].id]
    response = client.post("/board/assign-programme", data={
        "people": people, "programme": "tst-cert", "due_date": due.isoformat(), "back": "/board/?status=overdue"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/board/?status=overdue")
    # tst-cert names TST-101 (a course requirement) and TST-201 (the course of its assessment call).
    assert _due_dates(world["late"]) == before["late"]  # enrolled in both: nothing moved
    assert _due_dates(world["fine"]) == {**before["fine"], "TST-101": due}
    assert _due_dates(world["done"]) == {**before["done"], "TST-201": due}  # TST-101 completed: left
    assert db.session.scalar(select(func.count()).select_from(CourseAssignment)) == 2
    message = _flashes(client)
    assert "測試一級認證" in message and "2 門課程" in message and "3 人" in message
    assert "新增 2 筆選課" in message and "4 項已選修或已完成" in message
    # One new course each: the single-course message, as before.
    assert sorted(m["Subject"] for m in outbox) == ["New course assigned: TST-201 測試投訴處理",
                                                    "新指派的課程：TST-101 測試基礎課"]


def _refused(app, world, data, message, who="manager"):
    client = client_for(app, world[who])
    before = db.session.scalar(select(func.count()).select_from(Enrolment))
    response = client.post("/board/assign-programme", data=data)
    assert response.status_code == 302
    assert message in _flashes(client)
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == before
    assert db.session.scalar(select(func.count()).select_from(CourseAssignment)) == 0


def test_an_unknown_or_missing_programme_is_refused_naming_the_field(app, world):
    _refused(app, world, {"people": [world["fine"].id], "programme": "no-such"}, "要指派的認證方案：查無此認證方案。")
    _refused(app, world, {"people": [world["fine"].id], "programme": ""}, "要指派的認證方案：請選擇要指派的認證方案。")


def test_a_past_or_malformed_due_date_is_refused(app, world):
    past = (local_today() - timedelta(days=1)).isoformat()
    _refused(app, world, {"people": [world["fine"].id], "programme": "tst-cert", "due_date": past}, "完成期限：完成期限已經過去")
    _refused(app, world, {"people": [world["fine"].id], "programme": "tst-cert", "due_date": "soon"}, "完成期限")


def test_someone_outside_the_manager_s_teams_or_nobody_is_refused(app, world):
    _refused(app, world, {"people": [world["fine"].id, world["outsider"].id], "programme": "tst-cert"},
             "同仁：部分所選同仁不是您團隊中啟用中的成員")
    _refused(app, world, {"programme": "tst-cert"}, "同仁：請至少選取一位同仁")


@pytest.mark.parametrize("who, allowed", [("manager", True), ("admin", True), ("trainer", False), ("learner", False)])
def test_who_may_assign_a_programme(app, world, who, allowed):
    client = client_for(app, world[who])
    # The administrator sees every team; the manager only their own (the outsider is refused above).
    person = world["outsider"] if who == "admin" else world["fine"]
    response = client.post("/board/assign-programme", data={"people": [person.id], "programme": "tst-senior"})
    assert response.status_code == (302 if allowed else 403)
    assert ("TST-301" in _due_dates(person)) is allowed


def test_the_board_offers_the_programmes_by_title(app, world):
    html = client_for(app, world["manager"]).get("/board/").get_data(as_text=True)
    form = html.split('name="programme"', 1)[1].split("</select>", 1)[0]
    assert ">測試一級認證<" in form and ">測試資深認證<" in form and 'value="tst-cert"' in form
    assert "指派此認證方案的課程" in html
