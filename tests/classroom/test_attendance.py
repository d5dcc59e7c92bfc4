"""Attendance and what it completes: attended (present or late) plus the quiz, if any, completes the seat;
a course that requires its session completes with it; a passed quiz after attending completes the seat."""

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.classroom import seats as seat_service
from lms.classroom.attendance import on_attempt_graded, take_attendance
from lms.classroom.models import Attendance, Seat
from lms.courses.models import Course, Enrolment
from lms.courses.reading import complete_lesson
from lms.db import db
from lms.errors import DomainError
from tests.certification.helpers import pass_exam
from tests.classroom.helpers import make_session, start_now


def _seat(session, user):
    db.session.expire_all()
    return db.session.scalar(select(Seat).where(Seat.session_id == session.id, Seat.user_id == user.id))


def _enrolled(session, *people):
    for person in people:
        seat_service.enrol_self(session.id, person)
    db.session.commit()


@pytest.mark.parametrize(("mark", "completes"), [(Attendance.PRESENT, True), (Attendance.LATE, True),
                                                 (Attendance.ABSENT, False), (Attendance.EXCUSED, False)])
def test_attendance_alone_completes_a_session_without_a_quiz(make, mark, completes):
    trainer, learner = make.user(Role.TRAINER), make.user(Role.LEARNER)
    session = make_session(trainer)
    _enrolled(session, learner)
    start_now(session)
    assert take_attendance(session.id, trainer, {learner.id: mark}) == 1
    db.session.commit()
    seat = _seat(session, learner)
    assert seat.attendance == mark and (seat.completed_at is not None) is completes


def test_attendance_is_taken_from_an_hour_before_and_only_for_people_enrolled(make):
    trainer, learner, stranger = make.user(Role.TRAINER), make.user(Role.LEARNER), make.user(Role.LEARNER)
    session = make_session(trainer)
    _enrolled(session, learner)
    with pytest.raises(DomainError):
        take_attendance(session.id, trainer, {learner.id: Attendance.PRESENT})  # three days ahead
    start_now(session)
    with pytest.raises(DomainError):
        take_attendance(session.id, trainer, {stranger.id: Attendance.PRESENT})


def test_a_quiz_after_attending_completes_the_seat_and_the_course_that_requires_the_session(make):
    make.content()
    trainer, learner = make.user(Role.TRAINER), make.user(Role.LEARNER)
    course = db.session.scalar(select(Course).where(Course.code == "TST-101"))
    course.published_version.requires_session = True
    make.enrol(learner, "TST-101")
    session = make_session(trainer, course_code="TST-101", exam_slug="tst-101-post")
    _enrolled(session, learner)
    for slug in ("pickup", "greeting"):
        complete_lesson(learner, "TST-101", slug)
    db.session.commit()
    start_now(session)
    take_attendance(session.id, trainer, {learner.id: Attendance.PRESENT})
    db.session.commit()
    assert _seat(session, learner).completed_at is None  # the quiz is still to pass
    pass_exam(learner, "tst-101-post", 90.0)
    db.session.flush()
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == learner.id))
    assert enrolment.completed_at is None  # passing alone does not complete before the seat does
    from lms.exams.models import Attempt

    attempt = db.session.scalar(select(Attempt).where(Attempt.user_id == learner.id))
    on_attempt_graded(attempt)
    db.session.commit()
    assert _seat(session, learner).completed_at is not None
    assert db.session.scalar(select(Enrolment).where(Enrolment.user_id == learner.id)).completed_at is not None


def test_a_course_that_requires_its_session_does_not_complete_without_it(make):
    make.content()
    learner = make.user(Role.LEARNER)
    course = db.session.scalar(select(Course).where(Course.code == "TST-201"))
    course.published_version.requires_session = True
    make.enrol(learner, "TST-201")
    for slug in ("apology", "closing"):
        complete_lesson(learner, "TST-201", slug)
    db.session.commit()
    assert db.session.scalar(select(Enrolment).where(Enrolment.user_id == learner.id)).completed_at is None
    course.published_version.requires_session = False
    db.session.commit()


def test_the_course_page_says_the_course_requires_its_session(make, client, auth):
    make.content()
    learner = make.user(Role.LEARNER)
    db.session.scalar(select(Course).where(Course.code == "TST-101")).published_version.requires_session = True
    db.session.commit()
    auth.login(learner)
    assert "完成本課程須參加一場面授課程" in client.get("/courses/TST-101").get_data(as_text=True)
    assert "完成本課程須參加一場面授課程" not in client.get("/courses/TST-201").get_data(as_text=True)
