"""Build a learner's evidence for the test programme (tst-cert) directly, as finished work."""

from datetime import datetime

from sqlalchemy import select

from lms.calls.models import CallAttempt, CallMode, CallStatus, Scenario
from lms.certification.programmes import get_programme
from lms.certification.signoffs import record_signoff
from lms.courses.models import Course, Enrolment, EnrolmentSource
from lms.db import db, utcnow
from lms.exams.models import Attempt, AttemptStatus, Exam


def complete_course(user, code="TST-101", at: datetime | None = None):
    course = db.session.scalar(select(Course).where(Course.code == code))
    db.session.add(Enrolment(user_id=user.id, course_id=course.id, source=EnrolmentSource.SELF,
                             completed_at=at or utcnow()))


def pass_exam(user, slug="tst-fixed", percent=80.0, at: datetime | None = None):
    exam = db.session.scalar(select(Exam).where(Exam.slug == slug))
    number = db.session.scalar(select(Attempt.number).where(Attempt.user_id == user.id, Attempt.exam_id == exam.id)
                               .order_by(Attempt.number.desc()).limit(1)) or 0
    db.session.add(Attempt(exam_id=exam.id, exam_version_id=exam.current_version_id, user_id=user.id,
                           number=number + 1, status=AttemptStatus.GRADED, started_at=at or utcnow(),
                           submitted_at=at or utcnow(), graded_at=at or utcnow(), score=percent, max_score=100,
                           percent=percent, passed=percent >= 60))
    # tst-fixed shows results after it closes: release them, or the result is no evidence yet.
    exam.results_released_at = exam.results_released_at or utcnow()


def pass_call(user, slug="tst-call", at: datetime | None = None, passed=True):
    from lms.calls.scenarios import get_scenario

    scenario, version = get_scenario(slug)
    db.session.add(CallAttempt(scenario_id=scenario.id, version_id=version.id, user_id=user.id,
                               mode=CallMode.ASSESSMENT, status=CallStatus.FINISHED, state={}, started_at=at or utcnow(),
                               finished_at=at or utcnow(), outcome="callback", percent=90.0 if passed else 40.0,
                               passed=passed, criteria={}))


def sign_off(trainer, user, ratings=(2, 2)):
    record_signoff(trainer, user, get_programme("tst-cert"), "observed", list(ratings), "好",
                   utcnow().date())


def make_ready(user, trainer):
    complete_course(user)
    pass_exam(user)
    sign_off(trainer, user)
    pass_call(user)
    db.session.commit()


__all__ = ["Scenario", "complete_course", "make_ready", "pass_call", "pass_exam", "sign_off"]


def programme_of_courses(slug: str, title: str, requirements: list[dict]):
    """A programme like tst-cert whose first certificate asks for these requirements (saved, not committed)."""
    from lms.certification.programmes import save_programme

    definition = {**get_programme("tst-cert").definition, "slug": slug, "title": title,
                  "requirements": requirements}
    return save_programme(definition)[0]


def course_requirements(*codes: str) -> list[dict]:
    return [{"id": code.lower(), "kind": "course", "course": code} for code in codes]
