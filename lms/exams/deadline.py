"""Where the exam deadline is enforced. The server alone decides time: every attempt stores its deadline
when it starts, and every save or submit is checked against the server clock (answers may arrive up to
LATENCY_ALLOWANCE late, the time a request takes in flight). An attempt whose time is over is closed by
its exam's overdue policy: on the learner's next visit (a task), by the sweeper (cron), or by the save
or submit that finds it overdue."""

from datetime import datetime, timedelta

from sqlalchemy import select, update

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.db import db, fresh_snapshot, get_row, utcnow
from lms.exams.grading import finish_attempt
from lms.exams.models import Attempt, AttemptStatus
from lms.tasks import app_task

# Seconds an answer may arrive after the deadline and still count: the time a request takes in
# flight. The deadline itself is the server's; no client clock is ever read.
LATENCY_ALLOWANCE = timedelta(seconds=5)


def overdue_state(attempt: Attempt, now: datetime) -> str | None:
    """None while answers are accepted; else 'close' (submit now), 'grace' (submit only) or 'discard'."""
    if attempt.status != AttemptStatus.IN_PROGRESS or attempt.deadline_at is None:
        return None
    if now <= attempt.deadline_at + LATENCY_ALLOWANCE:
        return None
    settings = attempt.exam_version.settings
    policy = settings.get("overdue", "autosubmit")
    if policy == "autosubmit":
        return "close"
    if policy == "grace" and now <= attempt.deadline_at + timedelta(minutes=settings.get("grace_minutes", 0)):
        return "grace"
    return "discard"


def _discard(attempt: Attempt, now: datetime, closed_by: str) -> bool:
    changed = db.session.execute(update(Attempt).where(Attempt.id == attempt.id,
                                                       Attempt.status == AttemptStatus.IN_PROGRESS)
                                 .values(status=AttemptStatus.DISCARDED, submitted_at=now, closed_by=closed_by,
                                         score=None, percent=None, passed=None)).rowcount
    db.session.refresh(attempt)
    if changed:
        record_event("attempt.discarded", "attempt", attempt.id, summary="overdue, not counted", actor=attempt.user)
    return bool(changed)


def enforce_deadline(attempt: Attempt, now: datetime, closed_by: str) -> bool:
    """Close an attempt whose time is over, by the exam's overdue policy. True if it was closed now."""
    state = overdue_state(attempt, now)
    if state == "close":
        return finish_attempt(attempt, now, closed_by)
    if state == "discard":
        return _discard(attempt, now, closed_by)
    return False


@app_task()
def close_attempt_if_overdue(attempt_id: int) -> bool:
    """Close one attempt whose time is over (a task: a transaction of its own)."""
    attempt = get_row(Attempt, attempt_id, lock=True)
    return enforce_deadline(attempt, utcnow(), "deadline")


def closed_if_overdue(attempt: Attempt, user: User) -> Attempt:
    """The 'next access' rule: an attempt whose time ran out closes when its owner comes back.

    The page that notices it only reads (a GET never writes): the closing runs now as a task, in a
    transaction of its own, and the attempt is read again afterwards."""
    if overdue_state(attempt, utcnow()) not in ("close", "discard"):
        return attempt
    close_attempt_if_overdue.call_local(attempt.id)
    fresh_snapshot()  # the page's read transaction began before the closing committed
    return get_row(Attempt, attempt.id, where=(Attempt.user_id == user.id,))


def close_overdue_attempts(now: datetime | None = None) -> int:
    """Close every open attempt whose time is over (the sweeper: run every minute from cron)."""
    now = now or utcnow()
    ids = list(db.session.scalars(select(Attempt.id).where(
        Attempt.status == AttemptStatus.IN_PROGRESS, Attempt.deadline_at.is_not(None),
        Attempt.deadline_at < now - LATENCY_ALLOWANCE)))
    closed = 0
    for attempt_id in ids:
        attempt = db.session.scalar(select(Attempt).where(Attempt.id == attempt_id).with_for_update()
                                    .execution_options(populate_existing=True))
        if attempt is not None and enforce_deadline(attempt, now, "sweeper"):
            closed += 1
    return closed
