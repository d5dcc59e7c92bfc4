"""Every URL rule × every role: the answer matches the route's declared access rule.

A route without a declared rule fails here; so does a URL parameter nobody taught this test to fill.
Denied requests must never succeed: anonymous users are sent to the login page (or get 401 for a
POST), logged-in users without the role get 403.
"""

import pytest
from werkzeug.routing import Rule

from lms.access import rule_for_endpoint
from lms.accounts.models import Role
from tests.conftest import Auth

ROLES = ["anonymous", "learner", "trainer", "manager", "admin"]
DENIED_ANONYMOUS = {302, 401}
SKIP_ENDPOINTS = {"static"}


@pytest.fixture
def world(make):
    """One person per role; the learner is in a team, and another team exists with its own learner."""
    make.content()
    manager = make.user(Role.MANAGER, name="主管甲")
    team = make.team("甲組", managers=[manager])
    other_team = make.team("乙組")
    people = {
        "learner": make.user(Role.LEARNER, team=team, name="學員甲"),
        "trainer": make.user(Role.TRAINER, name="講師"),
        "manager": manager,
        "admin": make.user(Role.ADMIN, name="管理員"),
    }
    make.enrol(people["learner"], "TST-101")
    other_learner = make.user(Role.LEARNER, team=other_team, name="學員乙")
    from sqlalchemy import select

    from lms.db import db
    from lms.exams import attempts, grading
    from lms.exams.models import Exam

    attempt = attempts.start_attempt(other_learner, db.session.scalar(select(Exam).where(Exam.slug == "tst-fixed")))
    answer_id = grading.questions_of(attempt)[0].id
    from lms.calls import playing as calls

    call = calls.start_call(other_learner, "tst-call", "assessment")
    for option in (0, 0, 0):
        calls.take_turn(call.id, other_learner, option=option)
    typed = calls.take_turn(call.id, other_learner, text="我幫您核對")
    db.session.commit()
    from datetime import timedelta

    from lms.certification import bulk, programmes, updates, workflow
    from lms.db import utcnow
    from tests.certification.helpers import make_ready

    trainer = make.user(Role.TRAINER, name="講師乙")
    make_ready(other_learner, trainer)
    programme = programmes.get_programme("tst-cert")
    application = workflow.apply_for_certificate(other_learner, programme)
    cert = workflow.issue_certificate(application, trainer)
    job = bulk.start(programme, trainer, [])
    update = updates.create_update(programme, trainer, "更新", "", ["4.1.1-a"],
                                   [{"id": "read", "kind": "acknowledge", "item": "4.1.1-a"}],
                                   utcnow().date() + timedelta(days=9))
    db.session.commit()
    from lms.courses.models import Course
    from lms.evaluation.models import Observation
    from lms.evaluation.surveys import offer_survey

    invitation = offer_survey(other_learner, "course", db.session.scalar(select(Course).where(Course.code == "TST-101")))
    db.session.commit()
    observation = db.session.scalar(select(Observation).where(Observation.learner_id == other_learner.id))
    from lms.classroom.models import SessionKind
    from lms.classroom.scheduling import SessionData, schedule_session

    start = utcnow() + timedelta(days=2)
    drill = schedule_session(trainer, SessionData(SessionKind.DRILL, "演練", start, start + timedelta(hours=1), 5,
                                                  place="教室", trainer_id=trainer.id, drill_steps=["5.2.1-a"]))
    from lms.cases.models import Case
    shipped_case = db.session.scalar(select(Case).where(Case.slug == "quick-pickup"))
    from lms.mentoring import log as shadowing
    from lms.mentoring import relations as mentoring
    from lms.mentoring.models import MentoringPlan
    from lms.timeutil import local_today
    mentorship = mentoring.open_mentorship(other_learner, db.session.scalar(select(MentoringPlan)))
    entry = shadowing.add_entry(mentorship, other_learner, "listened", local_today(), "phone", "", [])
    from lms.calls.models import Scenario
    from lms.competitions.running import create_competition

    contest = create_competition(trainer, "競賽", "", local_today(), local_today(), [team.id, other_team.id],
                                 [db.session.scalar(select(Scenario.id).where(Scenario.slug == "tst-call"))], None, True)
    db.session.commit()
    values = {
        "attempt_id": attempt.id,
        "answer_id": answer_id,
        "exam_slug": "tst-fixed",
        "bank_slug": "test-bank",
        "uid": "t-single",
        "user_id": other_learner.id,
        "team_id": other_team.id,
        "token": "x" * 43,
        "code": "TST-101",
        "slug": "pickup",
        "chapter": 4,
        "item_code": "4.1.1-a",
        "number": "4.1.1",
        "scenario_slug": "tst-call",
        "call_id": call.id,
        "turn_id": typed.id,
        "public_id": cert.public_id,
        "application_id": application.id,
        "action": "start",
        "job_id": job.id,
        "update_id": update.id,
        "kpi_code": "fcr",
        "rest": "",
        "invitation_id": invitation.id,
        "observation_id": observation.id,
        "report_kind": "team",
        "report_key": other_team.id,
        "action_id": 1,
        "session_id": drill.id,
        "endpoint_id": 1,
        "delivery_id": 1,
        "thumbprint": "x" * 43,
        "purpose": "revocation",
        "list_number": 0,
        "case_id": shipped_case.id,
        "token_id": 1,
        "mentorship_id": mentorship.id,
        "entry_id": entry.id,
        "competition_id": contest.id,
        "part": "initial",
        "requirement_id": "written",
        "kind": "course",
        "filename": "0" * 64 + ".png",
        "media_id": 1,
    }
    return people, values


def _url(app, rule: Rule, values) -> str:
    missing = set(rule.arguments) - set(values)
    assert not missing, f"{rule.rule}: teach tests/test_access_matrix.py a value for {sorted(missing)}"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})


def _allowed(rule_kind: str, roles: frozenset, who: str) -> bool:
    if rule_kind == "public":
        return True
    if who == "anonymous":
        return False
    if rule_kind == "authenticated":
        return True
    if rule_kind == "roles":
        return Role(who) in roles
    raise AssertionError(rule_kind)


def test_every_route_declares_an_access_rule(app):
    missing = [r.endpoint for r in app.url_map.iter_rules()
               if r.endpoint not in SKIP_ENDPOINTS and rule_for_endpoint(r.endpoint) is None]
    assert missing == []


def _failure(method: str, url: str, who: str, response, access) -> str | None:
    """What is wrong with one answer, or None."""
    status = response.status_code
    allowed = _allowed(access.kind, access.roles, who)
    if status >= 500:
        return f"{method} {url} as {who}: {status}"
    if allowed and status in (401, 403):
        return f"{method} {url} as {who}: {status}, expected access ({access.describe()})"
    if not allowed and who == "anonymous":
        if status not in DENIED_ANONYMOUS or (status == 302 and "/login" not in response.headers["Location"]):
            return f"{method} {url} as anonymous: {status}, expected login"
        return None
    if not allowed and status != 403:
        return f"{method} {url} as {who}: {status}, expected 403 ({access.describe()})"
    return None


@pytest.mark.parametrize("who", ROLES)
def test_route_answers_match_declared_rules(app, world, who):
    people, values = world
    client = app.test_client()
    if who != "anonymous":
        Auth(client).login(people[who])
    failures = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP_ENDPOINTS or rule.endpoint == "accounts.logout":
            continue
        access = rule_for_endpoint(rule.endpoint)
        if access.kind == "token":
            continue  # the API has its own matrix (bearer tokens)
        url = _url(app, rule, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            failures.append(_failure(method, url, who, client.open(url, method=method, data={}), access))
    assert [f for f in failures if f] == []


def test_logout_requires_login(client):
    assert client.post("/logout").status_code == 401
