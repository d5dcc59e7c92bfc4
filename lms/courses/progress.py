"""How far a learner is: lessons read, the percentage shown, where to resume, and the learner's own course list.

Progress belongs to a lesson's stable identity (``Lesson``), so it survives a new version of the course.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.courses.labels import ENROLMENT_SOURCE_LABELS, RESUME_LABELS
from lms.courses.models import Course, CourseVersion, Enrolment, LessonProgress, LessonVersion
from lms.db import db
from lms.timeutil import local_today


def percent_done(enrolment: Enrolment | None, completed_lessons: int, lesson_count: int) -> int:
    """The progress bar's figure: 100 once the course is complete, else the share of lessons read."""
    if enrolment and enrolment.completed_at:
        return 100
    return round(100 * completed_lessons / lesson_count) if lesson_count else 0


def resume_action(enrolment: Enrolment | None, completed_lessons: int) -> str:
    """'continue' once the learner has read or opened a lesson of the course, else 'start'."""
    started = completed_lessons or (enrolment is not None and enrolment.last_lesson_id)
    return "continue" if started else "start"


def completed_lesson_ids(user: User, lesson_ids: list[int]) -> set[int]:
    """Which of these lessons the user has read."""
    if not lesson_ids:
        return set()
    return set(db.session.scalars(select(LessonProgress.lesson_id).where(
        LessonProgress.user_id == user.id, LessonProgress.lesson_id.in_(lesson_ids),
        LessonProgress.completed_at.is_not(None))))


def lesson_counts(version_ids: list[int]) -> dict[int, int]:
    """The number of lessons in each course version."""
    if not version_ids:
        return {}
    return dict(db.session.execute(select(LessonVersion.course_version_id, func.count())
                                   .where(LessonVersion.course_version_id.in_(version_ids))
                                   .group_by(LessonVersion.course_version_id)).all())


def completed_lesson_counts(user_id: int, version_ids: list[int]) -> dict[int, int]:
    """Lessons the user completed in each of the given versions (progress survives new versions)."""
    if not version_ids:
        return {}
    return dict(db.session.execute(
        select(LessonVersion.course_version_id, func.count())
        .join(LessonProgress, LessonProgress.lesson_id == LessonVersion.lesson_id)
        .where(LessonVersion.course_version_id.in_(version_ids), LessonProgress.user_id == user_id,
               LessonProgress.completed_at.is_not(None))
        .group_by(LessonVersion.course_version_id)).all())


def lesson_position(user: User, lesson_id: int) -> float:
    """How far down the lesson the user last read (0–1)."""
    return db.session.scalar(select(LessonProgress.position).where(
        LessonProgress.user_id == user.id, LessonProgress.lesson_id == lesson_id)) or 0.0


@dataclass
class MyCourse:
    """One enrolment in a learner's list (theirs, or a team member's on the manager's page)."""

    enrolment: Enrolment
    version: CourseVersion
    lesson_count: int
    completed_lessons: int
    overdue: bool

    @property
    def percent(self) -> int:
        return percent_done(self.enrolment, self.completed_lessons, self.lesson_count)

    @property
    def action_label(self) -> str:
        return RESUME_LABELS[resume_action(self.enrolment, self.completed_lessons)]

    @property
    def source_label(self) -> str | None:
        return ENROLMENT_SOURCE_LABELS.get(self.enrolment.source)


def by_due_date(course: MyCourse) -> tuple:
    """Open courses first, soonest due first."""
    return course.enrolment.completed_at is not None, course.enrolment.due_date or date.max


def enrolments_with_versions(user_ids: list[int]) -> list[tuple[Enrolment, CourseVersion]]:
    """These users' enrolments, each with its course's published version."""
    if not user_ids:
        return []
    return list(db.session.execute(
        select(Enrolment, CourseVersion).join(Course, Course.id == Enrolment.course_id)
        .join(CourseVersion, CourseVersion.id == Course.published_version_id)
        .where(Enrolment.user_id.in_(user_ids)).options(selectinload(Enrolment.course))).all())


def my_courses(user: User) -> list[MyCourse]:
    """The user's enrolments, soonest due first, with progress — a fixed number of queries."""
    rows = enrolments_with_versions([user.id])
    version_ids = [v.id for _e, v in rows]
    counts, done = lesson_counts(version_ids), completed_lesson_counts(user.id, version_ids)
    today = local_today()
    result = [MyCourse(e, v, counts.get(v.id, 0), done.get(v.id, 0), e.is_overdue(today)) for e, v in rows]
    result.sort(key=lambda m: (*by_due_date(m), m.enrolment.course.code))
    return result
