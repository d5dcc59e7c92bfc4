"""The trainer's review of typed replies in assessment calls: the queue, and confirming or correcting the
marks the key phrases gave (the call is rescored at once)."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.calls import engine
from lms.calls.labels import review_reasons
from lms.calls.models import CallAttempt, CallMode, CallStatus, CallTurn
from lms.calls.results import call_assessed, score_call
from lms.calls.scenarios import compiled
from lms.db import db, get_row, utcnow
from lms.errors import DomainError

MAX_QUEUE = 200


def review_queue() -> list[CallTurn]:
    """The typed replies waiting for a trainer, oldest first."""
    return list(db.session.scalars(
        select(CallTurn).join(CallAttempt, CallAttempt.id == CallTurn.attempt_id)
        .where(CallTurn.needs_review.is_(True))
        .options(selectinload(CallTurn.attempt).selectinload(CallAttempt.user),
                 selectinload(CallTurn.attempt).selectinload(CallAttempt.version))
        .order_by(CallTurn.created_at).limit(MAX_QUEUE)))


@dataclass
class ReviewItem:
    """A typed reply in the queue, with what the review page shows around it."""

    turn: CallTurn
    attempt: CallAttempt
    before: str | None  # the transcript's line before the reply
    marks: list[tuple[engine.Criterion, str]]  # the marks the key phrases gave
    reasons: list[str]  # why it is here beyond the review of every assessed typed reply: facts missing or wrong


def review_items() -> list[ReviewItem]:
    """The review queue as the review page shows it."""
    items = []
    for turn in review_queue():
        definition = compiled(turn.attempt.version)
        events = turn.attempt.state["events"]
        before = events[turn.event_index - 1]["text"] if turn.event_index > 0 else None
        reasons = review_reasons(events[turn.event_index].get("review"))
        items.append(ReviewItem(turn, turn.attempt, before, [(definition.criterion(c), m) for c, m in turn.marks],
                                reasons))
    return items


def review_turn(turn_id: int, marks: dict[str, str], comment: str, reviewer: User) -> CallTurn:
    """A trainer confirms or corrects the matchers' marks of a typed reply; the call is rescored."""
    turn = get_row(CallTurn, turn_id, where=(CallTurn.kind == "text",))
    attempt = get_row(CallAttempt, turn.attempt_id, lock=True)
    if attempt.status == CallStatus.IN_PROGRESS:
        raise DomainError(_("The call is still in progress."))
    definition = compiled(attempt.version)
    criteria = {c.id for c in definition.rubric}
    cleaned = [[c, m] for c, m in marks.items() if c in criteria and m in engine.MARKS]
    before = turn.reviewed_marks if turn.reviewed_marks is not None else turn.marks
    turn.reviewed_marks, turn.review_comment = cleaned, comment.strip()[:2000]
    turn.reviewed_by_id, turn.reviewed_at, turn.needs_review = reviewer.id, utcnow(), False
    db.session.flush()
    was_passed = attempt.passed
    score_call(attempt, definition, engine.CallState.from_dict(attempt.state), attempt.finished_at or utcnow(),
               actor=reviewer)
    record_event("call.reviewed", "call_turn", turn.id, summary=f"call {attempt.id}",
                 before={"marks": before}, after={"marks": cleaned, "comment": turn.review_comment,
                                                  "percent": attempt.percent}, actor=reviewer)
    if attempt.status == CallStatus.FINISHED and attempt.mode == CallMode.ASSESSMENT and was_passed != attempt.passed:
        call_assessed.send(attempt)
    return turn
