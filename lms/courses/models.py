"""Courses in four tiers, their immutable published versions, lessons, enrolments and progress.

A course's identity (code, tier) lives on ``Course``; what learners read lives on a ``CourseVersion``.
Publishing makes a new version; the old one is kept (superseded) and never edited. Lessons keep a
stable identity (``Lesson``) across versions, so a learner's progress survives a new version.
"""

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.db import TimestampMixin, db, str_enum, utcnow


class Tier(enum.StrEnum):
    FOUNDATION = "foundation"
    PROFESSIONAL = "professional"
    MANAGEMENT = "management"
    DEVELOPMENT = "development"


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class EnrolmentSource(enum.StrEnum):
    SELF = "self"
    ASSIGNED = "assigned"
    ONBOARDING = "onboarding"


class Course(TimestampMixin, db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)  # folder name in courses/
    tier: Mapped[Tier] = mapped_column(str_enum(Tier), index=True)
    published_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_versions.id", use_alter=True, name="fk_courses_published_version_id_course_versions"))

    published_version: Mapped["CourseVersion | None"] = relationship(foreign_keys=[published_version_id],
                                                                     post_update=True)
    lessons: Mapped[list["Lesson"]] = relationship(back_populates="course")

    def __repr__(self) -> str:
        return f"<Course {self.code}>"


class CourseVersion(db.Model):
    __tablename__ = "course_versions"
    __table_args__ = (UniqueConstraint("course_id", "number"), Index("ix_course_versions_status", "course_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    number: Mapped[int]
    status: Mapped[VersionStatus] = mapped_column(str_enum(VersionStatus))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(400))
    description_md: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    duration_minutes: Mapped[int]
    self_enrol: Mapped[bool] = mapped_column(default=True)
    audience: Mapped[list] = mapped_column(default=list)  # role values
    prerequisites: Mapped[list] = mapped_column(default=list)  # course codes
    standards: Mapped[list] = mapped_column(default=list)  # item codes cited by the course itself
    # The course completes only once its classroom session is attended (lms/classroom, course.md requires_session).
    requires_session: Mapped[bool] = mapped_column(default=False, server_default=false())
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(10), default="file")  # file | editor
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    course: Mapped[Course] = relationship(foreign_keys=[course_id])
    lesson_versions: Mapped[list["LessonVersion"]] = relationship(
        back_populates="course_version", order_by="LessonVersion.position", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<CourseVersion {self.course_id} v{self.number} {self.status}>"


class Lesson(db.Model):
    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(100))

    course: Mapped[Course] = relationship(back_populates="lessons")

    def __repr__(self) -> str:
        return f"<Lesson {self.course_id}/{self.slug}>"


class LessonVersion(db.Model):
    __tablename__ = "lesson_versions"
    __table_args__ = (UniqueConstraint("course_version_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int]
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    standards: Mapped[list] = mapped_column(default=list)

    course_version: Mapped[CourseVersion] = relationship(back_populates="lesson_versions")
    lesson: Mapped[Lesson] = relationship()

    def __repr__(self) -> str:
        return f"<LessonVersion {self.lesson_id} in {self.course_version_id}>"


class Enrolment(db.Model):
    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id"),
        Index("ix_enrolments_course_due", "course_id", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    source: Mapped[EnrolmentSource] = mapped_column(str_enum(EnrolmentSource))
    due_date: Mapped[date | None]
    # True when the onboarding plan's date (hire date + days) was too soon and the minimum days from the
    # enrolment set the due date instead (ONBOARDING_MIN_DAYS); pages explain it.
    due_floored: Mapped[bool] = mapped_column(default=False, server_default=false())
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    last_lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lessons.id", ondelete="SET NULL"))
    # The one action that assigned it (a course to a team, a programme's courses, an onboarding run): each
    # learner hears of everything one action assigned them in one message. None: enrolled before batches.
    assignment_batch: Mapped[str | None] = mapped_column(String(32), index=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course] = relationship()

    def __repr__(self) -> str:
        return f"<Enrolment user={self.user_id} course={self.course_id}>"

    def is_overdue(self, today: date) -> bool:
        return self.completed_at is None and self.due_date is not None and self.due_date < today


class LessonProgress(db.Model):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    position: Mapped[float] = mapped_column(default=0.0)  # how far down the page, 0–1
    completed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<LessonProgress user={self.user_id} lesson={self.lesson_id}>"


class CourseAssignment(db.Model):
    """A manager's or trainer's decision to assign a course to a person or a whole team."""

    __tablename__ = "course_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    due_date: Mapped[date | None]
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enrolled_count: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<CourseAssignment course={self.course_id} team={self.team_id} user={self.user_id}>"


class OnboardingPath(db.Model):
    __tablename__ = "onboarding_paths"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    new_hire_days: Mapped[int] = mapped_column(default=90)  # users hired within this many days get the path
    # Classroom sessions the path asks for: [{"template": slug, "due_days": n}] (lms/classroom enrols new hires).
    # Deferred: PostgreSQL's json type has no equality, so a SELECT DISTINCT of paths must leave it out.
    session_steps: Mapped[list] = mapped_column(default=list, server_default="[]", deferred=True)
    content_hash: Mapped[str] = mapped_column(String(64))

    steps: Mapped[list["OnboardingStep"]] = relationship(
        order_by="OnboardingStep.position", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<OnboardingPath {self.slug}>"


class OnboardingStep(db.Model):
    __tablename__ = "onboarding_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    path_id: Mapped[int] = mapped_column(ForeignKey("onboarding_paths.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    position: Mapped[int]
    due_days: Mapped[int]

    course: Mapped[Course] = relationship()

    def __repr__(self) -> str:
        return f"<OnboardingStep {self.path_id}#{self.position}>"


__all__ = [
    "Course", "CourseAssignment", "CourseVersion", "Enrolment", "EnrolmentSource", "Lesson", "LessonProgress",
    "LessonVersion", "OnboardingPath", "OnboardingStep", "Tier", "VersionStatus",
]
