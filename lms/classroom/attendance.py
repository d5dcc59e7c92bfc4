"""Attendance and what it completes. The trainer marks each enrolled person present, late, absent or excused;
a seat is completed by attendance (present or late) and, when the session has a quiz, a pass in it. A course
that requires its session (course.md ``requires_session``) then completes through lms/courses/completion.py."""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.classroom.models import ATTENDED, Attendance, ClassroomSession, Seat, SeatStatus, SessionStatus
from lms.classroom.seats import lock_session
from lms.classroom.signals import seat_completed
from lms.courses.models import Course, CourseVersion, Enrolment
from lms.db import db, get_row, utcnow
from lms.errors import DomainError
from lms.exams.models import Attempt

# Attendance can be taken from this long before the start (people arrive early).
EARLY_MINUTES = 60


def quiz_passed(user_id: int, exam_id: int | None) -> bool:
    if exam_id is None:
        return True
    return db.session.scalar(select(Attempt.id).where(Attempt.user_id == user_id, Attempt.exam_id == exam_id,
                                                      Attempt.passed.is_(True)).limit(1)) is not None


def session_attended(user: User, course: Course) -> bool:
    """Whether the user completed a session of this course (the course's session requirement)."""
    return db.session.scalar(select(Seat.id).join(ClassroomSession, ClassroomSession.id == Seat.session_id)
                             .where(Seat.user_id == user.id, ClassroomSession.course_id == course.id,
                                    Seat.completed_at.is_not(None)).limit(1)) is not None


def _complete_course(seat: Seat, session: ClassroomSession) -> None:
    from lms.courses.completion import complete_course_if_done

    if session.course_id is None:
        return
    course = get_row(Course, session.course_id, options=(
        selectinload(Course.published_version).selectinload(CourseVersion.lesson_versions),))
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == seat.user_id,
                                                          Enrolment.course_id == course.id))
    if course.published_version is not None and enrolment is not None:
        complete_course_if_done(seat.user, course, course.published_version, enrolment)


def complete_seat_if_done(seat: Seat, session: ClassroomSession) -> bool:
    """Mark the seat complete once attended (and the quiz, if any, passed); the course may follow."""
    if seat.completed_at is not None or seat.attendance not in ATTENDED or not quiz_passed(seat.user_id, session.exam_id):
        return False
    seat.completed_at = utcnow()
    db.session.flush()
    seat_completed.send(seat)
    _complete_course(seat, session)
    return True


def _check_can_take(session: ClassroomSession) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise DomainError(_("This session has been cancelled."))
    if (session.starts_at - utcnow()).total_seconds() > EARLY_MINUTES * 60:
        raise DomainError(_("Attendance can be taken from an hour before the session starts."))


def take_attendance(session_id: int, actor: User, marks: dict[int, Attendance | None]) -> int:
    """Record each enrolled person's attendance (None: not marked yet); return how many marks changed. A
    completed seat keeps its completion (a mark changed afterwards is recorded, not undone)."""
    session = lock_session(session_id)
    _check_can_take(session)
    seats = {s.user_id: s for s in db.session.scalars(
        select(Seat).where(Seat.session_id == session.id, Seat.status == SeatStatus.ENROLLED)
        .options(selectinload(Seat.user)))}
    unknown = set(marks) - set(seats)
    if unknown:
        raise DomainError(_("Only people enrolled in the session can be marked."))
    changed, now = 0, utcnow()
    for user_id, mark in marks.items():
        seat = seats[user_id]
        if seat.attendance != mark:
            seat.attendance, seat.attendance_at = mark, now if mark else None
            changed += 1
    db.session.flush()
    for seat in seats.values():
        complete_seat_if_done(seat, session)
    record_event("classroom.attendance_taken", "classroom_session", session.id,
                 summary=str(sum(1 for s in seats.values() if s.attendance in ATTENDED)), actor=actor)
    return changed


def on_attempt_graded(attempt, **_extra) -> None:
    """Passing a session's quiz after attending it completes the seat."""
    if not attempt.passed:
        return
    rows = db.session.execute(
        select(Seat, ClassroomSession).join(ClassroomSession, ClassroomSession.id == Seat.session_id)
        .where(Seat.user_id == attempt.user_id, ClassroomSession.exam_id == attempt.exam_id,
               Seat.completed_at.is_(None), Seat.attendance.in_(ATTENDED))).all()
    for seat, session in rows:
        complete_seat_if_done(seat, session)
