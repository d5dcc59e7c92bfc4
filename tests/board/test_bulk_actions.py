"""Bulk actions on the people ticked: assign a course with a due date, remind them in their language.
Bad input is refused with the field named, and nothing is written."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from lms.courses.models import Course, CourseAssignment, Enrolment
from lms.db import db
from lms.timeutil import local_today
from tests.board.conftest import client_for


def _enrolments(course_code: str) -> dict[int, object]:
    return {e.user_id: e.due_date for e in db.session.scalars(
        select(Enrolment).join(Course).where(Course.code == course_code))}


def _flashes(client) -> str:
    return re.sub(r"\s+", " ", client.get("/board/").get_data(as_text=True).split('class="flashes"', 1)[-1][:2000])


def test_assign_a_course_with_a_due_date_to_the_people_ticked(app, world):
    client = client_for(app, world["manager"])
    due = local_today() + timedelta(days=14)
    people = [world["late"].id, world["fine"].id]
    response = client.post("/board/assign", data={"people": people, "course": "TST-301", "due_date": due.isoformat(),
                                                  "back": "/board/?status=overdue"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/board/?status=overdue")
    assert _enrolments("TST-301") == {world["late"].id: due, world["fine"].id: due}
    assert db.session.scalar(select(func.count()).select_from(CourseAssignment)) == 2
    assert "已建立或更新 2 筆選課" in _flashes(client)


def _refused(app, world, data, message, who="manager"):
    client = client_for(app, world[who])
    before = db.session.scalar(select(func.count()).select_from(Enrolment))
    response = client.post("/board/assign", data=data)
    assert response.status_code == 302
    assert message in _flashes(client)
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == before
    assert db.session.scalar(select(func.count()).select_from(CourseAssignment)) == 0


def test_nobody_ticked_is_refused_naming_the_field(app, world):
    _refused(app, world, {"course": "TST-301"}, "同仁：請至少選取一位同仁")


def test_a_past_due_date_is_refused(app, world):
    past = (local_today() - timedelta(days=1)).isoformat()
    _refused(app, world, {"people": [world["late"].id], "course": "TST-301", "due_date": past}, "期限")


def test_an_unknown_course_or_none_is_refused(app, world):
    _refused(app, world, {"people": [world["late"].id], "course": "NOPE-999"}, "要指派的課程：")
    _refused(app, world, {"people": [world["late"].id], "course": ""}, "要指派的課程：請選擇要指派的課程。")


def test_someone_of_another_team_is_refused_and_nobody_is_enrolled(app, world):
    _refused(app, world, {"people": [world["late"].id, world["outsider"].id], "course": "TST-301"},
             "部分所選同仁不是您團隊中啟用中的成員")


def test_a_malformed_post_is_refused(app, world):
    _refused(app, world, {"people": ["abc"], "course": "TST-301"}, "同仁")
    _refused(app, world, {"people": [world["late"].id], "course": "TST-301", "due_date": "tomorrow"}, "期限")


def test_remind_sends_one_mail_per_person_in_their_language(app, world, outbox):
    outbox.clear()
    client = client_for(app, world["manager"])
    response = client.post("/board/remind", data={"people": [world["late"].id, world["done"].id]})
    assert response.status_code == 302
    by_address = {m["To"]: m for m in outbox}
    assert set(by_address) == {world["late"].email, world["done"].email}
    chinese, english = by_address[world["late"].email], by_address[world["done"].email]
    assert chinese["Subject"] == "訓練進度提醒" and "TST-101" in chinese.get_content()
    assert "逾期" in chinese.get_content() and world["manager"].name in chinese.get_content()
    assert english["Subject"] == "A reminder about your training"
    assert "Nothing is waiting for you just now" in english.get_content()
    assert "已寄出 2 封提醒" in _flashes(client)


def test_remind_nobody_sends_nothing(app, world, outbox):
    outbox.clear()
    client = client_for(app, world["manager"])
    client.post("/board/remind", data={})
    assert outbox == [] and "請至少選取一位同仁" in _flashes(client)
