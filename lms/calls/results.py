"""A call's result: the marks that count (a trainer's review of a typed reply replaces the phrase
matchers' marks), the score stored on the call (lms.calls.scoring works it out) and the signal of an
assessed call; and the results a learner has had."""

from datetime import datetime

from blinker import Namespace
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.calls import engine
from lms.calls.models import CallAttempt, CallMode, CallStatus, CallTurn, Scenario
from lms.calls.scoring import ScoreResult, score
from lms.db import db

signals = Namespace()
call_assessed = signals.signal("call-assessed")
# Sent with every call that ends, practice or assessment (a block of practice calls ending offers a survey).
call_finished = signals.signal("call-finished")


def effective_marks(attempt: CallAttempt, state: engine.CallState) -> list:
    """The call's marks, with a trainer's corrections of typed replies in place of the matchers' marks."""
    corrected = {t.event_index: t.reviewed_marks for t in db.session.scalars(
        select(CallTurn).where(CallTurn.attempt_id == attempt.id, CallTurn.reviewed_marks.is_not(None)))}
    marks = [m for m in state.marks if m[2] not in corrected]
    for event_index, reviewed in corrected.items():
        marks += [[c, m, event_index] for c, m in reviewed]
    return marks


def score_of(attempt: CallAttempt, definition: engine.Scenario, state: engine.CallState) -> ScoreResult:
    """The call's score with the marks that count."""
    return score(definition, effective_marks(attempt, state))


def score_call(attempt: CallAttempt, definition: engine.Scenario, state: engine.CallState, now: datetime,
               actor: User | None = None) -> None:
    """Store the finished call's score; an assessment waits for a trainer while a typed reply is unreviewed.

    ``actor`` is who caused the scoring for the audit log: the learner finishing the call (the default) or
    the trainer whose review rescored it."""
    result = score_of(attempt, definition, state)
    attempt.finished_at = attempt.finished_at or now
    attempt.outcome = state.outcome
    attempt.percent, attempt.passed = result.percent, result.passed
    attempt.criteria = {r.criterion.id: r.status for r in result.criteria}
    attempt.critical_failed = result.critical_failed
    pending = db.session.scalar(select(func.count()).select_from(CallTurn).where(
        CallTurn.attempt_id == attempt.id, CallTurn.needs_review.is_(True)))
    attempt.status = CallStatus.NEEDS_REVIEW if pending and attempt.mode == CallMode.ASSESSMENT else CallStatus.FINISHED
    call_finished.send(attempt)
    if attempt.mode == CallMode.ASSESSMENT:
        record_event("call.assessed", "call_attempt", attempt.id, summary=f"{attempt.scenario.slug}: {result.percent}",
                     after={"percent": result.percent, "passed": result.passed, "status": str(attempt.status)},
                     actor=actor or attempt.user)
        if attempt.status == CallStatus.FINISHED:
            call_assessed.send(attempt)


def learner_history(user: User, scenario: Scenario) -> list[CallAttempt]:
    """The learner's finished calls of one scenario, oldest first: criterion results over time."""
    return list(db.session.scalars(select(CallAttempt).where(
        CallAttempt.user_id == user.id, CallAttempt.scenario_id == scenario.id,
        CallAttempt.status != CallStatus.IN_PROGRESS).order_by(CallAttempt.started_at)))


def passed_assessments(user: User, scenario_ids: list[int]) -> set[int]:
    """Which of the scenarios the user has passed an assessment call of."""
    if not scenario_ids:
        return set()
    return set(db.session.scalars(select(CallAttempt.scenario_id).where(
        CallAttempt.user_id == user.id, CallAttempt.scenario_id.in_(scenario_ids),
        CallAttempt.mode == CallMode.ASSESSMENT, CallAttempt.status == CallStatus.FINISHED,
        CallAttempt.passed.is_(True))))
