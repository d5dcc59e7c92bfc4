"""Grading an attempt: automatically when it is submitted (exactly once), and trainers' marks for essays
and overrides, every change audited. Graded attempts are announced on ``attempt_graded``."""

import math

from blinker import Namespace
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.db import db, get_row, utcnow
from lms.errors import DomainError
from lms.exams.models import Attempt, AttemptQuestion, AttemptStatus
from lms.exams.question_types import QUESTION_TYPES, grade_response

signals = Namespace()
attempt_graded = signals.signal("attempt-graded")


def questions_of(attempt: Attempt) -> list[AttemptQuestion]:
    """An attempt's questions in order, with their question versions."""
    return list(db.session.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id)
                                   .options(selectinload(AttemptQuestion.version)).order_by(AttemptQuestion.position)))


def total_up(attempt: Attempt, questions: list[AttemptQuestion]) -> None:
    """The attempt's score, percent and pass from its questions' marks; waits while any is unmarked."""
    pending = any(aq.score is None for aq in questions)
    attempt.score = round(sum(aq.score or 0 for aq in questions), 4)
    attempt.max_score = round(sum(aq.points for aq in questions), 4)
    if pending:
        attempt.status, attempt.percent, attempt.passed = AttemptStatus.NEEDS_GRADING, None, None
        return
    attempt.percent = round(100 * attempt.score / attempt.max_score, 2) if attempt.max_score else 0.0
    attempt.passed = attempt.percent >= attempt.exam_version.settings.get("pass_mark", 0)
    attempt.status = AttemptStatus.GRADED
    attempt.graded_at = utcnow()


def finish_attempt(attempt: Attempt, now, closed_by: str) -> bool:
    """Submit and grade an open attempt exactly once; False if it was already closed."""
    changed = db.session.execute(update(Attempt).where(Attempt.id == attempt.id,
                                                       Attempt.status == AttemptStatus.IN_PROGRESS)
                                 .values(status=AttemptStatus.NEEDS_GRADING, submitted_at=now,
                                         closed_by=closed_by)).rowcount
    db.session.refresh(attempt)
    if not changed:
        return False
    questions = questions_of(attempt)
    for aq in questions:
        question_type = QUESTION_TYPES.get(aq.version.qtype)
        feedback = grade_response(aq.version.qtype, aq.version.data, aq.response)
        aq.score = None if feedback.fraction is None else round(feedback.fraction * aq.points, 4)
        aq.choice_key = question_type.choice_key(aq.response) if question_type else None
    total_up(attempt, questions)
    record_event("attempt.submitted", "attempt", attempt.id, summary=f"{closed_by}: {attempt.percent}",
                 after={"score": attempt.score, "percent": attempt.percent, "passed": attempt.passed},
                 actor=attempt.user)
    if attempt.status == AttemptStatus.GRADED:
        attempt_graded.send(attempt)
    return True


def _check_mark(value: float, points: float) -> float:
    if value is None or not isinstance(value, int | float) or not math.isfinite(value):
        raise DomainError(_("Enter a number."), field="score")
    if value < 0 or value > points:
        raise DomainError(_("The mark must be between 0 and %(max)s.", max=f"{points:g}"), field="score")
    return round(float(value), 4)


def grade_question(aq: AttemptQuestion, score: float, comment: str, grader: User, reason: str = "") -> None:
    """A trainer's mark: the essay grade, or an override with a reason; every change is audited."""
    score = _check_mark(score, aq.points)
    attempt = get_row(Attempt, aq.attempt_id, lock=True)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        raise DomainError(_("The attempt is still in progress."))
    is_override = aq.score is not None
    if is_override and not reason.strip():
        raise DomainError(_("Give a reason for changing a mark."), field="reason")
    before = {"score": aq.score, "comment": aq.grader_comment}
    aq.score, aq.grader_comment = score, comment.strip()[:5000]
    aq.graded_by_id, aq.graded_at = grader.id, utcnow()
    was_passed = attempt.passed
    total_up(attempt, questions_of(attempt))
    record_event("attempt.mark_overridden" if is_override else "attempt.graded_by_trainer", "attempt_question", aq.id,
                 summary=f"attempt {attempt.id} #{aq.position}" + (f": {reason.strip()[:200]}" if reason else ""),
                 before=before, after={"score": score, "comment": aq.grader_comment, "percent": attempt.percent},
                 actor=grader)
    if attempt.status == AttemptStatus.GRADED and (attempt.passed != was_passed or not is_override):
        attempt_graded.send(attempt)


def grading_queue() -> list[AttemptQuestion]:
    """Essay answers waiting for a trainer, oldest first."""
    return list(db.session.scalars(
        select(AttemptQuestion).join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(Attempt.status == AttemptStatus.NEEDS_GRADING, AttemptQuestion.score.is_(None))
        .options(selectinload(AttemptQuestion.version), selectinload(AttemptQuestion.attempt)
                 .selectinload(Attempt.user), selectinload(AttemptQuestion.attempt).selectinload(Attempt.exam))
        .order_by(Attempt.submitted_at).limit(200)))


def get_answer(answer_id: int) -> AttemptQuestion:
    """One answer of any attempt (trainers), with its question and learner; RowNotFound if none."""
    return get_row(AttemptQuestion, answer_id, options=(
        selectinload(AttemptQuestion.version), selectinload(AttemptQuestion.attempt).selectinload(Attempt.user)))
