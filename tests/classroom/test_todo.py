"""The learner's to-do list: sessions they have a place in, and a session's quiz still to pass after attending."""

from lms.accounts.models import Role
from lms.classroom import seats as seat_service
from lms.classroom.attendance import take_attendance
from lms.classroom.models import Attendance
from lms.db import db
from lms.notifications.todo import todo_count, todo_groups
from tests.classroom.helpers import make_session, start_now


def _keys(user):
    return {g.key: [i.title for i in g.items] for g in todo_groups(user)}


def test_upcoming_sessions_and_quizzes_pending(app, make):
    make.content()
    trainer, learner = make.user(Role.TRAINER), make.user(Role.LEARNER)
    make.enrol(learner, "TST-101")
    upcoming = make_session(trainer, title="下週工作坊")
    with_quiz = make_session(trainer, title="有測驗的課", course_code="TST-101", exam_slug="tst-101-post")
    full = make_session(trainer, title="額滿的課", capacity=1)
    seat_service.enrol_self(full.id, make.user(Role.LEARNER))
    for session in (upcoming, with_quiz, full):
        seat_service.enrol_self(session.id, learner)
    db.session.commit()
    with app.test_request_context("/"):
        groups = _keys(learner)
        assert set(groups["session_upcoming"]) == {"有測驗的課", "下週工作坊"}  # waiting for a place is not a place
        assert "session_quiz" not in groups
        start_now(with_quiz)
        take_attendance(with_quiz.id, trainer, {learner.id: Attendance.PRESENT})
        db.session.commit()
        groups = _keys(learner)
        assert groups["session_quiz"] == ["有測驗的課"]
        assert todo_count(learner) >= 3
