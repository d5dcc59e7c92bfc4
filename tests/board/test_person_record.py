"""A person's record on the board: read-only, own teams only (404 for anyone else), the read audited."""

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.calls.models import CallAttempt
from lms.db import db
from tests.board.conftest import client_for


def test_a_manager_reads_the_full_record_of_a_person_of_their_team(app, world):
    fine = world["fine"]
    html = client_for(app, world["manager"]).get(f"/board/people/{fine.id}").get_data(as_text=True)
    assert "陳準時" in html and "TST-201" in html  # courses with due dates
    assert "測試課後測" in html and "92%" in html and "僅顯示分數" in html  # exam: the score, no answers link
    assert "測試投訴電話" in html and "75%" in html and f"/board/people/{fine.id}/calls/" in html
    assert "88%" in html  # the observation
    assert "測試認證" in html and "有效・已開放重新認證" in html
    assert "/exams/manage/attempts/" not in html
    # the read is audited, by a task (the page itself writes nothing)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "board.person_read"))
    assert event.actor_id == world["manager"].id and event.object_id == str(fine.id)


def test_an_administrator_may_open_the_answers(app, world):
    html = client_for(app, world["admin"]).get(f"/board/people/{world['fine'].id}").get_data(as_text=True)
    assert "/exams/manage/attempts/" in html and "查看作答" in html


@pytest.mark.parametrize("who,status", [("manager", 404), ("other_manager", 200), ("admin", 200)])
def test_another_managers_person_is_not_found(app, world, who, status):
    assert client_for(app, world[who]).get(f"/board/people/{world['outsider'].id}").status_code == status


def test_nobody_reads_their_own_record_here(app, world):
    assert client_for(app, world["manager"]).get(f"/board/people/{world['manager'].id}").status_code == 404
    assert client_for(app, world["manager"]).get("/board/people/999999").status_code == 404


def test_a_manager_reads_the_debrief_of_their_persons_call(app, world):
    from tests.calls.test_calls import _play_well, _start

    learner = client_for(app, world["fine"])
    call = db.session.get(CallAttempt, _start(learner))
    _play_well(learner, call.id)
    client = client_for(app, world["manager"])
    response = client.get(f"/board/people/{world['fine'].id}/calls/{call.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "講評" in html and f'href="/board/people/{world["fine"].id}"' in html
    assert "/calls/manage/" not in html  # no link to the trainers' pages
    # the call of another person under this person's address, and another manager's person: not found
    assert client.get(f"/board/people/{world['late'].id}/calls/{call.id}").status_code == 404
    assert client_for(app, world["other_manager"]).get(
        f"/board/people/{world['fine'].id}/calls/{call.id}").status_code == 404
