"""Question banks, versioned questions, exams and attempts.

A question version is immutable: an edit creates a new version, and every attempt keeps the versions
it drew, so it is graded against exactly what the learner saw. Exams are versioned the same way.
"""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.db import db, str_enum, utcnow


class ExamKind(enum.StrEnum):
    QUIZ = "quiz"
    PRE_TEST = "pre_test"
    POST_TEST = "post_test"
    EXAM = "exam"


class AttemptStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    NEEDS_GRADING = "needs_grading"  # submitted; essays wait for a trainer
    GRADED = "graded"
    DISCARDED = "discarded"  # overdue under the "not counted" policy


class QuestionBank(db.Model):
    __tablename__ = "question_banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(10), default="yaml")  # yaml | gift | editor
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<QuestionBank {self.slug}>"


class Question(db.Model):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(80), unique=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("question_banks.id", ondelete="CASCADE"), index=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_versions.id", use_alter=True, name="fk_questions_current_version_id_question_versions"))
    is_retired: Mapped[bool] = mapped_column(default=False)

    bank: Mapped[QuestionBank] = relationship()
    current_version: Mapped["QuestionVersion | None"] = relationship(foreign_keys=[current_version_id],
                                                                     post_update=True)

    def __repr__(self) -> str:
        return f"<Question {self.uid}>"


class QuestionVersion(db.Model):
    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    qtype: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    text_md: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str] = mapped_column(Text)
    text_format: Mapped[str] = mapped_column(String(10), default="markdown")
    data: Mapped[dict]
    feedback_md: Mapped[str] = mapped_column(Text, default="")
    feedback_html: Mapped[str] = mapped_column(Text, default="")
    standards: Mapped[list] = mapped_column(default=list)
    tags: Mapped[list] = mapped_column(default=list)
    difficulty: Mapped[int] = mapped_column(default=2)
    points: Mapped[float] = mapped_column(default=1.0)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    question: Mapped[Question] = relationship(foreign_keys=[question_id])

    def __repr__(self) -> str:
        return f"<QuestionVersion {self.question_id} v{self.number}>"


class QuestionTag(db.Model):
    """Tags of each question's current version, for drawing exam questions from pools by tag."""

    __tablename__ = "question_tags"
    __table_args__ = (Index("ix_question_tags_tag", "tag", "question_id"),)

    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)

    def __repr__(self) -> str:
        return f"<QuestionTag {self.question_id} {self.tag}>"


class Exam(db.Model):
    __tablename__ = "exams"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[ExamKind] = mapped_column(str_enum(ExamKind))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"), index=True)
    pair_slug: Mapped[str | None] = mapped_column(String(100))
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("exam_versions.id", use_alter=True, name="fk_exams_current_version_id_exam_versions"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    results_released_at: Mapped[datetime | None]  # for review "after close" without an end date

    current_version: Mapped["ExamVersion | None"] = relationship(foreign_keys=[current_version_id], post_update=True)

    def __repr__(self) -> str:
        return f"<Exam {self.slug}>"


class ExamVersion(db.Model):
    __tablename__ = "exam_versions"
    __table_args__ = (UniqueConstraint("exam_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    settings: Mapped[dict]
    sections: Mapped[list]
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(10), default="file")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    exam: Mapped[Exam] = relationship(foreign_keys=[exam_id])

    def __repr__(self) -> str:
        return f"<ExamVersion {self.exam_id} v{self.number}>"


class Accommodation(db.Model):
    """Per-learner adjustments to one exam: extra time, extra attempts, other dates."""

    __tablename__ = "accommodations"
    __table_args__ = (UniqueConstraint("exam_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    extra_minutes: Mapped[int] = mapped_column(default=0)
    extra_attempts: Mapped[int] = mapped_column(default=0)
    available_from: Mapped[datetime | None]
    available_until: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<Accommodation exam={self.exam_id} user={self.user_id}>"


class Attempt(db.Model):
    __tablename__ = "attempts"
    __table_args__ = (
        # One attempt per number per learner and exam: parallel "start" requests cannot both insert.
        UniqueConstraint("exam_id", "user_id", "number"),
        Index("ix_attempts_user_exam", "user_id", "exam_id"),
        Index("ix_attempts_status_deadline", "status", "deadline_at"),
        CheckConstraint("score IS NULL OR score >= 0", name="score_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"))
    exam_version_id: Mapped[int] = mapped_column(ForeignKey("exam_versions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    number: Mapped[int]
    status: Mapped[AttemptStatus] = mapped_column(str_enum(AttemptStatus))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline_at: Mapped[datetime | None]  # None: untimed
    submitted_at: Mapped[datetime | None]
    graded_at: Mapped[datetime | None]
    closed_by: Mapped[str] = mapped_column(String(20), default="")  # learner | deadline | sweeper | trainer
    score: Mapped[float | None]
    max_score: Mapped[float] = mapped_column(default=0.0)
    percent: Mapped[float | None]
    passed: Mapped[bool | None]

    exam: Mapped[Exam] = relationship()
    exam_version: Mapped[ExamVersion] = relationship()
    user: Mapped[User] = relationship()
    questions: Mapped[list["AttemptQuestion"]] = relationship(
        back_populates="attempt", order_by="AttemptQuestion.position", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Attempt {self.id} exam={self.exam_id} user={self.user_id} #{self.number} {self.status}>"


class AttemptQuestion(db.Model):
    """One drawn question in an attempt, with its presentation (shuffled order) and the answer."""

    __tablename__ = "attempt_questions"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        Index("ix_attempt_questions_version", "question_version_id", "attempt_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    presentation: Mapped[dict] = mapped_column(default=dict)
    points: Mapped[float]
    response: Mapped[dict | None]
    sequence: Mapped[int] = mapped_column(default=0)  # the client's counter of the last stored save
    saved_at: Mapped[datetime | None]
    score: Mapped[float | None]  # None until graded
    choice_key: Mapped[str | None] = mapped_column(String(100))  # chosen option ids, for distractor counts
    grader_comment: Mapped[str] = mapped_column(Text, default="")
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    graded_at: Mapped[datetime | None]

    attempt: Mapped[Attempt] = relationship(back_populates="questions")
    version: Mapped[QuestionVersion] = relationship()

    def __repr__(self) -> str:
        return f"<AttemptQuestion {self.attempt_id}#{self.position}>"


class LateAnswer(db.Model):
    """An answer that arrived after the deadline and was refused — kept as evidence, never graded."""

    __tablename__ = "late_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    seconds_late: Mapped[float]

    def __repr__(self) -> str:
        return f"<LateAnswer attempt={self.attempt_id} +{self.seconds_late:.0f}s>"


__all__ = ["Accommodation", "Attempt", "AttemptQuestion", "AttemptStatus", "Exam", "ExamKind", "ExamVersion",
           "LateAnswer", "Question", "QuestionBank", "QuestionTag", "QuestionVersion"]
