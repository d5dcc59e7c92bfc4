"""Where a course is marked complete: every lesson of the published version read and every completing test
(the course's quizzes and post-tests) passed. Reading the last lesson or passing the last test completes it."""

from collections.abc import Iterable

from blinker import Namespace
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.courses.models import Course, CourseVersion, Enrolment
from lms.courses.progress import completed_lesson_ids
from lms.db import db, get_row, utcnow
from lms.exams.models import Attempt, Exam, ExamKind

signals = Namespace()
# Sent with the enrolment once a course is complete (reaction surveys and observations follow it).
course_completed = signals.signal("course-completed")

# The tests of a course that must be passed before it is complete; pre-tests and exams do not count.
COMPLETING_EXAM_KINDS = (ExamKind.QUIZ, ExamKind.POST_TEST)


def completion_rule(exam_kinds: Iterable[str]) -> str:
    """What completes a course with tests of these kinds: 'lessons_and_tests' or 'lessons'."""
    return "lessons_and_tests" if any(kind in COMPLETING_EXAM_KINDS for kind in exam_kinds) else "lessons"


def completing_tests_passed(user: User, course: Course) -> bool:
    """Whether the user passed each quiz and post-test of the course (true when it has none)."""
    required = list(db.session.scalars(select(Exam.id).where(
        Exam.course_id == course.id, Exam.kind.in_(COMPLETING_EXAM_KINDS))))
    if not required:
        return True
    passed = set(db.session.scalars(select(Attempt.exam_id).where(
        Attempt.user_id == user.id, Attempt.exam_id.in_(required), Attempt.passed.is_(True))))
    return passed == set(required)


def session_requirement_met(user: User, course: Course, version: CourseVersion) -> bool:
    """A course whose file says ``requires_session`` needs a completed classroom session of it (lms/classroom)."""
    if not version.requires_session:
        return True
    from lms.classroom.attendance import session_attended

    return session_attended(user, course)


def complete_course_if_done(user: User, course: Course, version: CourseVersion, enrolment: Enrolment) -> None:
    """Mark the enrolment complete once every lesson is read, every completing test is passed and, when the
    course requires it, its classroom session completed."""
    lesson_ids = [lv.lesson_id for lv in version.lesson_versions]
    if (enrolment.completed_at is None and lesson_ids and completed_lesson_ids(user, lesson_ids) == set(lesson_ids)
            and completing_tests_passed(user, course) and session_requirement_met(user, course, version)):
        enrolment.completed_at = utcnow()
        record_event("course.completed", "enrolment", enrolment.id, summary=f"{user.employee_no} {course.code}",
                     actor=user)
        course_completed.send(enrolment)


def on_attempt_graded(attempt, **_extra) -> None:
    """Results feed course completion: passing the last required test completes the course."""
    exam = attempt.exam
    if exam.course_id is None or not attempt.passed:
        return
    course = get_row(Course, exam.course_id, options=(
        selectinload(Course.published_version).selectinload(CourseVersion.lesson_versions),))
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == attempt.user_id,
                                                          Enrolment.course_id == exam.course_id))
    if course.published_version is not None and enrolment is not None:
        complete_course_if_done(attempt.user, course, course.published_version, enrolment)
