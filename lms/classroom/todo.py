"""The learner's to-do sources of the classroom: sessions they have a place in, still to come, and sessions
attended whose quiz is still to pass (the session completes with it)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.accounts.models import Role, User
from lms.classroom.models import ATTENDED, ClassroomSession, Seat, SeatStatus, SessionStatus
from lms.db import db
from lms.exams.models import Exam
from lms.notifications.todo import ITEM_LIMIT, Moment, TodoItem, TodoSource, register_source
from lms.timeutil import local_date
from lms.urls import path_for

LEARNERS = frozenset({Role.LEARNER})


def _upcoming(user: User, moment: Moment):
    return (Seat.user_id == user.id, Seat.status == SeatStatus.ENROLLED, ClassroomSession.id == Seat.session_id,
            ClassroomSession.status == SessionStatus.SCHEDULED, ClassroomSession.ends_at > moment.now)


def upcoming_items(user: User, moment: Moment) -> list[TodoItem]:
    sessions = db.session.scalars(select(ClassroomSession).join(Seat, Seat.session_id == ClassroomSession.id)
                                  .where(*_upcoming(user, moment)).order_by(ClassroomSession.starts_at)
                                  .limit(ITEM_LIMIT))
    return [TodoItem("session_upcoming", s.title, path_for("classroom.session", session_id=s.id),
                     detail=s.place or s.video_link, due=local_date(s.starts_at)) for s in sessions]


def _quiz_pending(user: User):
    return (Seat.user_id == user.id, Seat.attendance.in_(ATTENDED), Seat.completed_at.is_(None),
            ClassroomSession.id == Seat.session_id, ClassroomSession.exam_id.is_not(None))


def quiz_items(user: User, _moment: Moment) -> list[TodoItem]:
    rows = db.session.execute(select(ClassroomSession.title, Exam.slug, Seat.attendance_at)
                              .join(Seat, Seat.session_id == ClassroomSession.id)
                              .join(Exam, Exam.id == ClassroomSession.exam_id)
                              .where(*_quiz_pending(user)).order_by(Seat.attendance_at).limit(ITEM_LIMIT)).all()
    return [TodoItem("session_quiz", title, path_for("exams.exam", exam_slug=slug), since=since)
            for title, slug, since in rows]


register_source(TodoSource(
    "session_upcoming", _l("Classroom sessions coming up"), LEARNERS, order=16, items=upcoming_items,
    count_query=lambda user, m: select(func.count()).select_from(Seat).join(
        ClassroomSession, ClassroomSession.id == Seat.session_id).where(*_upcoming(user, m))))
register_source(TodoSource(
    "session_quiz", _l("Quizzes to pass after a classroom session"), LEARNERS, order=17, items=quiz_items,
    count_query=lambda user, _m: select(func.count()).select_from(Seat).join(
        ClassroomSession, ClassroomSession.id == Seat.session_id).where(*_quiz_pending(user))))
