"""The to-do page and the preferences page for every role; the header's count and what it costs."""

from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import func, select

from lms import mail
from lms.accounts.models import Role
from lms.calls.scenarios import get_scenario
from lms.certification import programmes, workflow
from lms.db import db
from lms.evaluation.models import Observation
from lms.exams import answers, attempts, grading
from lms.generations import clear_caches
from lms.notifications.models import Delivery, Notification, NotificationPreference
from lms.notifications.todo import todo_count, todo_groups
from lms.timeutil import local_today
from tests.certification.helpers import make_ready
from tests.conftest import Auth
from tests.notifications.helpers import build_world, exam
from tests.test_query_counts import counting


@pytest.fixture
def world(make):
    people = build_world(make)
    learner, trainer = people["learner"], people["trainer"]
    make.enrol(learner, "TST-101", due=local_today() - timedelta(days=2))
    make.enrol(learner, "TST-201", due=local_today() + timedelta(days=3))
    # An essay waiting for a trainer (another learner's attempt).
    attempt = attempts.start_attempt(people["learner_en"], exam())
    answers.save_answer(attempt.id, people["learner_en"], 3, {"text": "非常抱歉，已經記錄。"}, 1)
    attempts.submit_attempt(attempt.id, people["learner_en"])
    # An application waiting for a decision, and an observation due.
    make_ready(people["learner_en"], trainer)
    workflow.apply_for_certificate(people["learner_en"], programmes.get_programme("tst-cert"))
    scenario, version = get_scenario("tst-call")
    db.session.add(Observation(learner_id=learner.id, observer_id=trainer.id, scenario_id=scenario.id,
                               scenario_version_id=version.id, source_kind="adhoc",
                               due_on=local_today() + timedelta(days=2)))
    db.session.commit()
    people["all_roles"] = make.user(Role.LEARNER, Role.TRAINER, Role.MANAGER, team=people["team"])
    people["admin"] = make.user(Role.ADMIN)
    return people


def _client(app, user):
    client = app.test_client()
    Auth(client).login(user)
    return client


EXPECTED = {
    "learner": ["Overdue courses", "測試基礎課", "Courses due within 7 days", "測試投訴處理"],
    "trainer": ["Answers to grade", "Lee Learner", "Certification applications to decide", "Observed calls due",
                "學員甲"],
    "manager": ["Team members with overdue courses", "學員甲", "Certification applications to decide"],
}


@pytest.mark.parametrize("role", ["learner", "trainer", "manager", "admin", "all_roles"])
def test_everyone_has_a_to_do_page_that_writes_nothing(app, world, role):
    world["learner"].locale = world["trainer"].locale = "en"
    db.session.commit()
    mail.outbox.clear()
    before = db.session.scalar(select(func.count()).select_from(Notification))
    response = _client(app, world[role]).get("/todo")
    assert response.status_code == 200  # a GET that wrote would fail here (lms/db.py)
    html = response.get_data(as_text=True)
    for text in EXPECTED.get(role, []):
        assert text in html, text
    if role == "admin":
        assert "Nothing waits for you" in html or "無" in html or "沒有待辦" in html
    assert db.session.scalar(select(func.count()).select_from(Notification)) == before and mail.outbox == []


def test_the_to_do_page_is_in_chinese_and_links_where_the_work_is_done(app, world):
    html = _client(app, world["trainer"]).get("/todo").get_data(as_text=True)
    assert "待評分的作答" in html and "待決定的認證申請" in html and "/exams/manage/attempts/" in html
    assert "/certification/applications/" in html and ">answers_to_grade" not in html


def test_anonymous_people_are_sent_to_log_in(client):
    assert client.get("/todo").status_code == 302 and client.get("/todo/preferences").status_code == 302


def test_the_header_shows_the_count_and_it_matches_the_page(app, world):
    client = _client(app, world["learner"])
    html = client.get("/standards/").get_data(as_text=True)
    groups = todo_groups(world["learner"])
    total = sum(g.count for g in groups)
    assert total >= 2 and f'<span class="todo-link__count">{total}<' in html
    assert todo_count(world["learner"]) == total


@pytest.mark.parametrize("role", ["learner", "trainer", "manager", "all_roles"])
def test_the_header_adds_at_most_three_statements(app, world, role, monkeypatch):
    client = _client(app, world[role])
    client.get("/standards/")  # warm whatever the first request loads
    with counting() as kept:
        assert client.get("/standards/").status_code == 200
    clear_caches("personal")  # the count is kept per person (lms/generations.py): measure it being built
    with counting() as with_header:
        assert client.get("/standards/").status_code == 200
    monkeypatch.setitem(app.jinja_env.globals, "header_todo_count", lambda: 0)
    with counting() as without_header:
        client.get("/standards/")
    assert 0 < len(with_header) - len(without_header) <= 3
    assert len(kept) == len(without_header)  # once kept, the header costs nothing


def test_the_count_is_computed_once_per_request(app, world):
    user = world["all_roles"]
    assert len(user.roles) == 3  # loaded, as the header's navigation has them
    with app.test_request_context("/"):
        with counting() as first:
            todo_count(user)
        with counting() as second:
            todo_count(user)
    counts = [s for s in first if s.startswith("SELECT") and "data_generation" not in s]
    assert len(counts) == 3 and second == []
    g.pop("_todo_counts", None)  # the test's application context outlives its requests; a server's does not
    with app.test_request_context("/"), counting() as third:  # the next request, nothing changed: from the cache
        assert todo_count(user) == todo_count(user)
    assert [s for s in third if "data_generation" not in s] == []


def test_the_count_follows_a_change_of_results(app, world, make):
    """Kept per person while no result changes (lms/generations.py); a new assignment counts at once."""
    learner = world["learner"]

    def count_in_a_new_request() -> int:
        g.pop("_todo_counts", None)  # the test's application context outlives its requests; a server's does not
        with app.test_request_context("/"):
            return todo_count(learner)

    before = count_in_a_new_request()
    assert count_in_a_new_request() == before  # from the cache
    make.enrol(learner, "TST-301", due=local_today() + timedelta(days=1))
    assert count_in_a_new_request() == before + 1


@pytest.mark.parametrize("role,groups", [("learner", 3), ("trainer", 4), ("manager", 7), ("admin", 3)])
def test_preferences_page_offers_each_role_its_groups_and_saves(app, world, role, groups):
    client = _client(app, world[role])
    html = client.get("/todo/preferences").get_data(as_text=True)
    assert html.count("<legend>") == groups
    assert ("overdue courses and expiring certificates" in html) == (role == "manager")
    response = client.post("/todo/preferences", data={"group_courses": "digest", "group_results": "off",
                                                      "group_certificates": "immediate", "group_work": "off",
                                                      "group_team": "digest", "group_team_kpi": "off",
                                                      "group_team_report": "weekly"})
    assert response.status_code == 302
    saved = dict(db.session.execute(select(NotificationPreference.group, NotificationPreference.delivery)
                                    .where(NotificationPreference.user_id == world[role].id)).all())
    assert saved["courses"] == Delivery.DIGEST and saved["results"] == Delivery.OFF and "certificates" not in saved
    assert ("team" in saved) == (role == "manager")
    if role == "manager":  # the weekly report is off unless asked for; asked for, it is kept
        assert saved["team_kpi"] == Delivery.OFF and saved["team_report"] == Delivery.WEEKLY


def test_a_bad_preference_is_refused_naming_the_field_and_nothing_is_saved(app, world):
    client = _client(app, world["learner"])
    response = client.post("/todo/preferences", data={"group_courses": "sometimes", "group_results": "off",
                                                      "group_certificates": "off"})
    assert response.status_code == 200 and "error-summary" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(NotificationPreference)) == 0


def test_grading_the_essay_empties_the_trainers_queue(app, world):
    before = {g.key: g.count for g in todo_groups(world["trainer"])}
    aq = db.session.scalar(select(grading.AttemptQuestion).where(grading.AttemptQuestion.score.is_(None)))
    grading.grade_question(aq, 3, "好", world["trainer"])
    db.session.commit()
    after = {g.key: g.count for g in todo_groups(world["trainer"])}
    assert before["answers_to_grade"] == 1 and "answers_to_grade" not in after
