"""A world for the readiness board: a manager of two teams, another manager's team, results of every kind."""

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from lms.accounts.models import Role, User, UserRole
from lms.calls.models import CallAttempt, CallMode, CallStatus, Scenario
from lms.certification.models import Certificate, Programme
from lms.db import db, utcnow
from lms.evaluation.models import Observation, ObservationStatus
from lms.exams.models import Attempt, AttemptStatus, Exam
from lms.timeutil import local_today
from tests.conftest import Auth


def certify(user, days_left: int, title: str = "測試認證") -> Certificate:
    programme = db.session.scalar(select(Programme).order_by(Programme.id))
    now = utcnow()
    expires = now + timedelta(days=days_left)
    cert = Certificate(public_id=f"pub-{user.id}-{days_left}", user_id=user.id, programme_id=programme.id,
                       holder_name=user.name, programme_title=title, issuer_name="中心",
                       issued_at=expires - timedelta(days=730), expires_at=expires,
                       renew_from=expires - timedelta(days=90), grace_until=expires + timedelta(days=60))
    db.session.add(cert)
    db.session.commit()
    return cert


def exam_result(user, percent: float) -> Attempt:
    exam = db.session.scalar(select(Exam).where(Exam.slug == "tst-101-post"))
    now = utcnow()
    attempt = Attempt(exam_id=exam.id, exam_version_id=exam.current_version_id, user_id=user.id, number=1,
                      status=AttemptStatus.GRADED, submitted_at=now, graded_at=now, score=percent / 10,
                      max_score=10, percent=percent, passed=percent >= 70)
    db.session.add(attempt)
    db.session.commit()
    return attempt


def call_result(user, percent: float) -> CallAttempt:
    scenario = db.session.scalar(select(Scenario).order_by(Scenario.id))
    from lms.calls.models import ScenarioVersion

    version = db.session.scalar(select(ScenarioVersion).where(ScenarioVersion.scenario_id == scenario.id)
                                .order_by(ScenarioVersion.id.desc()))
    call = CallAttempt(scenario_id=scenario.id, version_id=version.id, user_id=user.id, mode=CallMode.ASSESSMENT,
                       status=CallStatus.FINISHED, state={}, finished_at=utcnow(), percent=percent,
                       passed=percent >= 70, criteria={}, critical_failed=[])
    db.session.add(call)
    db.session.commit()
    return call


def observed(user, percent: float) -> Observation:
    call = db.session.scalar(select(CallAttempt).order_by(CallAttempt.id))
    observation = Observation(learner_id=user.id, scenario_id=call.scenario_id, scenario_version_id=call.version_id,
                              source_kind="adhoc", due_on=local_today(), status=ObservationStatus.DONE,
                              observed_on=local_today(), percent=percent, ratings={})
    db.session.add(observation)
    db.session.commit()
    return observation


def add_people(team, count: int, prefix: str = "P") -> list[int]:
    """Many active learners at once (no password hashing)."""
    now = utcnow()
    rows = [{"employee_no": f"{prefix}{team.id:02d}{n:05d}", "name": f"同仁{prefix}{n:05d}",
             "email": f"{prefix.lower()}{team.id}-{n}@example.com", "team_id": team.id, "is_active": True,
             "locale": "zh_Hant", "created_at": now, "updated_at": now} for n in range(count)]
    db.session.execute(insert(User), rows)
    ids = list(db.session.scalars(select(User.id).where(User.employee_no.like(f"{prefix}{team.id:02d}%"))))
    db.session.execute(insert(UserRole), [{"user_id": i, "role": Role.LEARNER} for i in ids])
    db.session.commit()
    return ids


@pytest.fixture
def world(app, make):
    make.content()
    manager, other_manager = make.user(Role.MANAGER), make.user(Role.MANAGER)
    north, south = make.team("北區", managers=[manager]), make.team("南區", managers=[manager])
    east = make.team("東區", managers=[other_manager])
    today = local_today()
    late = make.user(team=north, name="王逾期")
    make.enrol(late, "TST-101", due=today - timedelta(days=3))
    make.enrol(late, "TST-201", due=today + timedelta(days=10))
    done = make.user(team=south, name="李完成", locale="en")
    enrolment = make.enrol(done, "TST-101", due=today + timedelta(days=5))
    enrolment.completed_at = utcnow()
    db.session.commit()
    fine = make.user(team=south, name="陳準時")
    make.enrol(fine, "TST-201", due=today + timedelta(days=20))
    outsider = make.user(team=east, name="趙他組")
    make.enrol(outsider, "TST-101", due=today - timedelta(days=1))
    certify(fine, 20)
    certify(done, 80)
    exam_result(late, 55)
    exam_result(fine, 92)
    call_result(fine, 75)
    observed(fine, 88)
    return {"manager": manager, "other_manager": other_manager, "north": north, "south": south, "east": east,
            "late": late, "done": done, "fine": fine, "outsider": outsider, "admin": make.user(Role.ADMIN),
            "trainer": make.user(Role.TRAINER), "learner": late}


def client_for(app, user):
    client = app.test_client()
    Auth(client).login(user)
    return client
