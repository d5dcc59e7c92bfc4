"""Regrading after a key fix: answers given to earlier versions of a question, graded again with its
current key — first as a dry run that says whose result would change, then applied and audited."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.db import db
from lms.exams.grading import attempt_graded, questions_of, total_up
from lms.exams.models import Attempt, AttemptQuestion, AttemptStatus, Question, QuestionVersion
from lms.exams.question_types import QUESTION_TYPES, grade_response


@dataclass
class RegradeChange:
    attempt: Attempt
    old_percent: float | None
    new_percent: float | None
    old_passed: bool | None
    new_passed: bool | None
    answers: list[tuple[AttemptQuestion, float | None, float | None]] = field(default_factory=list)


def _compatible(old: QuestionVersion, new: QuestionVersion) -> bool:
    """Old answers can be graded with the new key only when the question's shape is the same."""
    return old.qtype == new.qtype and QUESTION_TYPES[new.qtype].same_shape(old.data, new.data)


def _answers_to_earlier_versions(question: Question) -> list[AttemptQuestion]:
    current = question.current_version
    return list(db.session.scalars(
        select(AttemptQuestion).join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(QuestionVersion.question_id == question.id, QuestionVersion.id != current.id,
               Attempt.status.in_([AttemptStatus.GRADED, AttemptStatus.NEEDS_GRADING]),
               AttemptQuestion.graded_by_id.is_(None))
        .options(selectinload(AttemptQuestion.version), selectinload(AttemptQuestion.attempt)
                 .selectinload(Attempt.user))))


def _changes(question: Question) -> dict[int, RegradeChange]:
    current = question.current_version
    by_attempt: dict[int, RegradeChange] = {}
    if not QUESTION_TYPES[current.qtype].auto_graded:
        return by_attempt
    for aq in _answers_to_earlier_versions(question):
        if not _compatible(aq.version, current):
            continue
        fraction = grade_response(current.qtype, current.data, aq.response).fraction or 0.0
        new_score = round(fraction * aq.points, 4)
        if abs(new_score - (aq.score or 0)) < 1e-9:
            continue
        attempt = aq.attempt
        change = by_attempt.setdefault(attempt.id, RegradeChange(attempt, attempt.percent, None, attempt.passed, None))
        change.answers.append((aq, aq.score, new_score))
    return by_attempt


def _apply(change: RegradeChange, question: Question, actor: User | None) -> None:
    attempt = change.attempt
    for aq, _old, new in change.answers:
        aq.score = new
    total_up(attempt, questions_of(attempt))
    record_event("attempt.regraded", "attempt", attempt.id,
                 summary=f"{question.uid} v{question.current_version.number}",
                 before={"percent": change.old_percent, "passed": change.old_passed},
                 after={"percent": attempt.percent, "passed": attempt.passed}, actor=actor)
    if change.new_passed != change.old_passed:
        attempt_graded.send(attempt)


def regrade_question(question: Question, apply: bool, actor: User | None = None) -> list[RegradeChange]:
    """Grade every graded answer to earlier versions of ``question`` with its current key. A dry run
    (apply=False) only reports whose result would change; applying writes and audits each change."""
    by_attempt = _changes(question)
    for change in by_attempt.values():
        attempt = change.attempt
        new_score = (attempt.score or 0) + sum(new - (old or 0) for _aq, old, new in change.answers)
        if attempt.status == AttemptStatus.GRADED:
            change.new_percent = round(100 * new_score / attempt.max_score, 2) if attempt.max_score else 0.0
            change.new_passed = change.new_percent >= attempt.exam_version.settings.get("pass_mark", 0)
        if apply:
            _apply(change, question, actor)
    return sorted(by_attempt.values(), key=lambda c: c.attempt.id)
