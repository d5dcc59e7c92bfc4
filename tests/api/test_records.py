"""Assignments, progress, results, observations, certificates and survey results through the API."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.courses.models import Course, Enrolment
from lms.db import db, utcnow
from tests.api.conftest import assert_error


@pytest.fixture
def world(make):
    """A learner with an enrolment, an exam attempt, a finished call and a certificate."""
    make.content()
    team = make.team("甲組")
    learner = make.user(Role.LEARNER, team=team, employee_no="L1")
    other = make.user(Role.LEARNER, employee_no="L2")
    make.enrol(learner, "TST-101")
    from lms.calls import playing as calls
    from lms.certification import programmes, workflow
    from lms.exams import attempts
    from lms.exams.models import Exam
    from tests.certification.helpers import make_ready

    attempts.start_attempt(learner, db.session.scalar(select(Exam).where(Exam.slug == "tst-fixed")))
    call = calls.start_call(learner, "tst-call", "assessment")
    for option in (0, 0, 0):
        calls.take_turn(call.id, learner, option=option)
    db.session.commit()
    trainer = make.user(Role.TRAINER)
    make_ready(other, trainer)
    cert = workflow.issue_certificate(workflow.apply_for_certificate(other, programmes.get_programme("tst-cert")),
                                      trainer)
    db.session.commit()
    return learner, other, team, cert


def test_assignments_listed_and_created(api, world):
    learner, other, team, _cert = world
    listed = api.get("/assignments?employee_no=l1").get_json()["items"]
    assert [(a["employee_no"], a["course"]) for a in listed] == [("L1", "TST-101")]
    due = (utcnow().date() + timedelta(days=20)).isoformat()
    done = api.post("/assignments", json={"course": "tst-201", "due_date": due, "employee_nos": ["L2"], "teams": ["甲組"]})
    assert done.status_code == 200 and done.get_json() == {"changed": 2}
    course = db.session.scalar(select(Course.id).where(Course.code == "TST-201"))
    assert {e.user_id for e in db.session.scalars(select(Enrolment).where(Enrolment.course_id == course))} == {learner.id, other.id}
    error = assert_error(api.post("/assignments", json={"course": "NOPE-1", "employee_nos": ["L2"]}), 422)
    assert error["details"][0]["field"] == "course"
    error = assert_error(api.post("/assignments", json={"course": "TST-201", "employee_nos": ["NOBODY"]}), 422)
    assert error["details"][0]["field"] == "employee_nos"
    error = assert_error(api.post("/assignments", json={"course": "TST-201", "teams": ["無此組"]}), 422)
    assert error["details"][0]["field"] == "teams"


def test_progress_results_and_observations(api, world):
    progress = api.get("/progress?employee_no=L1").get_json()["items"]
    assert progress[0]["course"] == "TST-101" and progress[0]["lessons_total"] > 0
    assert 0 <= progress[0]["percent"] <= 100
    exams = api.get("/results/exams?employee_no=L1").get_json()["items"]
    assert [(e["exam"], e["status"]) for e in exams] == [("tst-fixed", "in_progress")]
    calls = api.get("/results/calls?employee_no=L1").get_json()["items"]
    assert calls[0]["scenario"] == "tst-call" and calls[0]["mode"] == "assessment"
    assert {c["employee_no"] for c in api.get("/results/calls?employee_no=L2").get_json()["items"]} <= {"L2"}
    observations = api.get("/results/observations").get_json()
    assert isinstance(observations["items"], list)


def test_certificates_listed_and_verified(api, world):
    *_people, cert = world
    listed = api.get("/certificates").get_json()["items"]
    assert [(c["public_id"], c["employee_no"], c["state"]) for c in listed] == [(cert.public_id, "L2", "valid")]
    verified = api.get(f"/certificates/{cert.public_id}").get_json()
    assert verified["state"] == "valid" and verified["programme"] == cert.programme_title
    assert_error(api.get("/certificates/unknown"), 404)


def test_survey_results(api, world):
    body = api.get("/surveys/results?course=TST-101").get_json()
    assert isinstance(body["items"], list)
    assert_error(api.get("/surveys/results?course=NOPE"), 422)


@pytest.mark.parametrize(("path", "scope"), [
    ("/assignments", "assignments:read"), ("/progress", "progress:read"), ("/results/exams", "results:read"),
    ("/results/calls", "results:read"), ("/results/observations", "results:read"),
    ("/certificates", "certificates:read"), ("/surveys/results", "surveys:read"),
])
def test_each_read_needs_its_scope(api_as, admin, path, scope):
    assert_error(api_as(admin, ["users:read"]).get(path), 403, "insufficient_scope")
    assert api_as(admin, [scope]).get(path).status_code == 200


def test_a_managers_token_reads_only_their_teams(api_as, make, world):
    learner, other, team, cert = world
    manager = make.user(Role.MANAGER, employee_no="MGR9")
    from lms.accounts.teams import save_team

    save_team(team, team.name, "", [manager.id])
    db.session.commit()
    api = api_as(manager, ["users:read", "teams:read", "results:read", "certificates:read", "progress:read"],
                 kind="personal")
    assert [u["employee_no"] for u in api.get("/users").get_json()["items"]] == ["L1"]
    assert_error(api.get("/users/L2"), 404)
    assert [t["name"] for t in api.get("/teams").get_json()["items"]] == ["甲組"]
    assert {c["employee_no"] for c in api.get("/results/calls").get_json()["items"]} == {"L1"}
    assert api.get("/certificates").get_json()["items"] == []
    assert_error(api.get(f"/certificates/{cert.public_id}"), 404)
    assert [p["employee_no"] for p in api.get("/progress").get_json()["items"]] == ["L1"]
    assert_error(api.put("/users/L9", json={"name": "x", "email": "x@example.com"}), 403, "insufficient_scope")
