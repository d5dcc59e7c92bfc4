"""Saving answers while an attempt runs: the autosave of one answer (JavaScript) and the save of a page
of answers (the form that works without it).

Writes to an attempt lock its row first (PostgreSQL ``FOR UPDATE``; SQLite write transactions are
serialised by BEGIN IMMEDIATE), so a double click, two tabs or a late autosave cannot corrupt or reopen
it. The usual autosave is one statement (``save_answer_at_once``); anything unusual — a resend after a
dropped connection, a stale tab, a late answer, a closed attempt — takes ``save_answer`` in a
transaction, which says what happened."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, or_, select, update

from lms.accounts.models import User
from lms.db import RowNotFound, db, end_single_statement_mode, keep_despite_refusal, utcnow
from lms.errors import DomainError
from lms.exams.attempts import load_attempt
from lms.exams.deadline import LATENCY_ALLOWANCE, enforce_deadline, overdue_state
from lms.exams.grading import questions_of
from lms.exams.models import Attempt, AttemptQuestion, AttemptStatus, LateAnswer, QuestionVersion
from lms.exams.question_types import QUESTION_TYPES


class AttemptClosed(DomainError):
    pass


class OutOfSequence(DomainError):
    pass


def answer_slot(attempt_id: int, user: User, position: int) -> tuple[Attempt, AttemptQuestion, str]:
    """Lock the user's attempt and fetch one of its questions with its type, in one statement (this
    runs on every autosave that is not the usual one)."""
    row = db.session.execute(
        select(Attempt, AttemptQuestion, QuestionVersion.qtype)
        .join(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .where(Attempt.id == attempt_id, Attempt.user_id == user.id, AttemptQuestion.position == position)
        .with_for_update(of=Attempt).execution_options(populate_existing=True)).first()
    if row is None:
        raise RowNotFound(f"no position {position} in attempt {attempt_id}")
    return row[0], row[1], row[2]


# (attempt, position) -> (question version, question type): fixed once an attempt's questions are
# drawn, so each worker process remembers them for the autosave instead of asking on every save.
_slot_types: dict[tuple[int, int], tuple[int, str]] = {}
SLOT_TYPES_KEPT = 100_000


def slot_type(attempt_id: int, position: int) -> tuple[int, str] | None:
    """The question version and type at a position of an attempt, or None if there is none.

    A miss reads every position of the attempt at once (an exam's saves come in runs). No ownership
    check: the caller only parses the form with it; the save itself checks the owner."""
    found = _slot_types.get((attempt_id, position))
    if found is None:
        rows = db.session.connection().execute(
            select(AttemptQuestion.position, AttemptQuestion.question_version_id, QuestionVersion.qtype)
            .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
            .where(AttemptQuestion.attempt_id == attempt_id)).all()
        if len(_slot_types) + len(rows) > SLOT_TYPES_KEPT:
            _slot_types.clear()
        _slot_types.update({(attempt_id, at): (version_id, qtype) for at, version_id, qtype in rows})
        found = _slot_types.get((attempt_id, position))
    return found


def forget_slot_type(attempt_id: int, position: int) -> None:
    _slot_types.pop((attempt_id, position), None)


def _one_statement_save():
    slots, attempts = AttemptQuestion.__table__, Attempt.__table__
    open_attempt = (select(attempts.c.id)
                    .where(attempts.c.id == bindparam("attempt"), attempts.c.user_id == bindparam("owner"),
                           attempts.c.status == AttemptStatus.IN_PROGRESS,
                           or_(attempts.c.deadline_at.is_(None), attempts.c.deadline_at >= bindparam("earliest")))
                    .with_for_update(read=True).scalar_subquery())
    return (update(slots)
            .where(slots.c.attempt_id == open_attempt, slots.c.position == bindparam("at"),
                   slots.c.question_version_id == bindparam("version"), slots.c.sequence < bindparam("newer"))
            .values(response=bindparam("answer", type_=slots.c.response.type), sequence=bindparam("newer"),
                    saved_at=bindparam("now", type_=slots.c.saved_at.type)))


# Built once: this statement runs on every autosave (Core, on the session's connection, no ORM work).
ONE_STATEMENT_SAVE = _one_statement_save()


def save_answer_at_once(attempt_id: int, user: User, position: int, version_id: int, response: dict | None,
                        sequence: int, now: datetime | None = None) -> bool:
    """The usual autosave in one statement: store the answer if the attempt is the user's, open and
    within its time, the question is the expected version and the save is newer than the stored one.

    False means "not that simple": save_answer() then decides what to do and what to say. The attempt
    row is read FOR SHARE, so a submit that is closing the attempt either waits for this save (and
    grades it) or has closed it first (and this statement changes nothing)."""
    now = now or utcnow()
    changed = db.session.connection().execute(ONE_STATEMENT_SAVE, {
        "attempt": attempt_id, "owner": user.id, "earliest": now - LATENCY_ALLOWANCE, "at": position,
        "version": version_id, "newer": sequence, "answer": response, "now": now}).rowcount
    return changed == 1


def save_answer(attempt_id: int, user: User, position: int, response: dict | None, sequence: int,
                now: datetime | None = None, slot=None) -> AttemptQuestion:
    """Store one answer if it is newer than the stored one and the attempt is open.

    ``sequence`` is the page's own counter for this question; a resend of the same save is accepted
    once, an older one is refused as out of sequence, and anything after the deadline is refused and
    kept as a late answer. ``slot`` is answer_slot()'s result when the caller already has it."""
    now = now or utcnow()
    attempt, aq, _qtype = slot or answer_slot(attempt_id, user, position)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise AttemptClosed(_("This attempt is closed; answers can no longer change."))
    if overdue_state(attempt, now) is not None:
        db.session.add(LateAnswer(attempt_id=attempt.id, position=position,
                                  seconds_late=(now - attempt.deadline_at).total_seconds()))
        enforce_deadline(attempt, now, "deadline")
        keep_despite_refusal()  # the late answer is evidence, and the attempt stays closed
        raise AttemptClosed(_("Time is up: this answer arrived after the deadline and was not saved."))
    if sequence <= aq.sequence:
        if sequence == aq.sequence and response == aq.response:
            return aq  # the same save sent again after a dropped connection
        raise OutOfSequence(_("A newer answer to this question is already saved."))
    aq.response, aq.sequence, aq.saved_at = response, sequence, now
    return aq


@dataclass(frozen=True)
class SaveResult:
    """What an autosave did, for the page's script: saved, closed (time is up), stale (a newer answer is
    kept) or missing (no such question in the user's attempt)."""

    outcome: str
    position: int | None = None
    sequence: int | None = None
    message: str = ""

    @property
    def status_code(self) -> int:
        return {"saved": 200, "closed": 409, "stale": 409, "missing": 404, "invalid": 400}[self.outcome]


def autosave(attempt_id: int, user: User, form) -> SaveResult:
    """Save one answer sent by the page's script (an AutosaveForm): in one statement when it is the usual
    case, else in a transaction that says what happened."""
    if not form.validate():
        return SaveResult("invalid", message="position and sequence are required")
    position, sequence = form.position, form.sequence
    slot = slot_type(attempt_id, position)
    if slot is None:
        return SaveResult("missing")
    version_id, qtype = slot
    response = form.answer(position, qtype)
    if save_answer_at_once(attempt_id, user, position, version_id, response, sequence):
        return SaveResult("saved", position, sequence)
    end_single_statement_mode()  # what follows runs in one transaction
    try:
        locked = answer_slot(attempt_id, user, position)
    except RowNotFound:
        return SaveResult("missing")
    if locked[1].question_version_id != version_id:  # the remembered type was for another question
        forget_slot_type(attempt_id, position)
        response = form.answer(position, locked[2])
    try:
        save_answer(attempt_id, user, position, response, sequence, slot=locked)
    except AttemptClosed as exc:
        return SaveResult("closed", position, sequence, str(exc.message))
    except OutOfSequence as exc:
        return SaveResult("stale", position, sequence, str(exc.message))
    return SaveResult("saved", position, sequence)


def save_page(attempt_id: int, user: User, form) -> list[int]:
    """Save the answers of a page posted without the script (an AnswerPageForm); returns the positions whose
    answer was kept from another window because it was newer. Raises AttemptClosed when time is up."""
    attempt = load_attempt(attempt_id, user)
    positions = form.positions()
    kept_newer = []
    for aq in (q for q in questions_of(attempt) if q.position in positions):
        sequence, response = form.page_sequence(aq.position), form.answer(aq.position, aq.version.qtype)
        if sequence is None or response == aq.response:
            continue
        try:
            save_answer(attempt_id, user, aq.position, response, sequence)
        except OutOfSequence:
            kept_newer.append(aq.position)
    return kept_newer


def parse_answer(qtype: str, formdata, position: int) -> dict | None:
    """The response to the question at ``position`` in posted form data, read by the question's type."""
    return QUESTION_TYPES[qtype].parse_form(formdata, f"q{position}")
