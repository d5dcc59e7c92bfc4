"""An attempt's life up to its submit: drawing its questions, starting it (once, whatever the number of
parallel clicks), reading it back a page at a time, and the learner's submit. Answers are saved by
lms/exams/answers.py; deadlines are enforced by lms/exams/deadline.py; grading is lms/exams/grading.py."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.db import db, get_row, utcnow
from lms.errors import DomainError
from lms.exams.availability import ExamAccess, exam_access
from lms.exams.deadline import enforce_deadline, overdue_state
from lms.exams.display import DisplayedQuestion, display_question
from lms.exams.grading import finish_attempt
from lms.exams.models import (
    Attempt,
    AttemptQuestion,
    AttemptStatus,
    Exam,
    ExamVersion,
    Question,
    QuestionVersion,
)
from lms.exams.queries import current_versions, draw_pool
from lms.exams.question_types import QUESTION_TYPES


def draw_questions(version: ExamVersion, seen: set[int], rng: random.Random) -> list[QuestionVersion]:
    """The questions of a new attempt: fixed ones, then random draws that prefer questions the learner
    has not seen in earlier attempts."""
    fixed_uids = [uid for section in version.sections for uid in section.get("questions", ())]
    ids = dict(db.session.execute(select(Question.uid, Question.id).where(Question.uid.in_(fixed_uids))).all())
    fixed = {ids[uid] for uid in fixed_uids if uid in ids}  # never drawn, wherever they are listed
    chosen: list[int] = []
    for section in version.sections:
        if "questions" in section:
            for uid in section["questions"]:
                if uid in ids and ids[uid] not in chosen:
                    chosen.append(ids[uid])
            continue
        draw = section["draw"]
        pool = [q for q in draw_pool(draw) if q not in chosen and q not in fixed]
        fresh = [q for q in pool if q not in seen]
        stale = [q for q in pool if q in seen]
        rng.shuffle(fresh)
        rng.shuffle(stale)
        chosen += (fresh + stale)[: draw["count"]]
    versions = current_versions(chosen)
    ordered = [versions[q] for q in chosen if q in versions]
    if version.settings.get("shuffle_questions", True):
        rng.shuffle(ordered)
    return ordered


def _deadline(access: ExamAccess, now: datetime) -> datetime | None:
    limit = access.version.settings.get("time_limit_minutes") or 0
    deadline = now + timedelta(minutes=limit + access.extra_minutes) if limit else None
    if access.closes_at and (deadline is None or access.closes_at < deadline):
        deadline = access.closes_at
    return deadline


def _new_attempt(user: User, exam: Exam, access: ExamAccess, now: datetime, rng: random.Random) -> Attempt:
    seen = set(db.session.scalars(
        select(QuestionVersion.question_id).join(AttemptQuestion, AttemptQuestion.question_version_id == QuestionVersion.id)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(Attempt.exam_id == exam.id, Attempt.user_id == user.id)))
    questions = draw_questions(access.version, seen, rng)
    if not questions:
        raise DomainError(_("This exam has no questions yet."))
    attempt = Attempt(exam_id=exam.id, exam_version_id=access.version.id, user_id=user.id,
                      number=max((a.number for a in access.attempts), default=0) + 1,
                      status=AttemptStatus.IN_PROGRESS, started_at=now, deadline_at=_deadline(access, now),
                      max_score=sum(q.points for q in questions))
    shuffle_options = access.version.settings.get("shuffle_options", True)
    for position, version in enumerate(questions, start=1):
        data = dict(version.data, shuffle=shuffle_options)
        attempt.questions.append(AttemptQuestion(
            position=position, question_version_id=version.id, points=version.points,
            presentation=QUESTION_TYPES[version.qtype].presentation(data, rng)))
    return attempt


def start_attempt(user: User, exam: Exam, now: datetime | None = None, seed: int | None = None) -> Attempt:
    """Start an attempt, or return the one already in progress (parallel starts make one attempt)."""
    now = now or utcnow()
    access = exam_access(user, exam, now)
    if access.in_progress is not None:
        return access.in_progress
    if not access.can_start:
        raise DomainError(access.reason)
    attempt = _new_attempt(user, exam, access, now, random.Random(seed))
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
            db.session.flush()
    except IntegrityError:
        # Another request started this attempt number a moment ago: use that one.
        winner = db.session.scalar(select(Attempt).where(Attempt.exam_id == exam.id, Attempt.user_id == user.id,
                                                         Attempt.number == attempt.number))
        if winner is None:
            raise
        return winner
    record_event("attempt.started", "attempt", attempt.id, summary=f"{exam.slug} #{attempt.number}", actor=user)
    return attempt


def load_attempt(attempt_id: int, user: User, lock: bool = False) -> Attempt:
    """The user's own attempt; anybody else's id is 'not found' (RowNotFound: ids are sequential)."""
    return get_row(Attempt, attempt_id, lock=lock, where=(Attempt.user_id == user.id,))


def questions_for_page(attempt: Attempt, positions: list[int] | None) -> list[AttemptQuestion]:
    """All of an attempt's questions (for the navigation), with the question versions loaded only for
    the positions shown — the page draws one question but lists all of them."""
    questions = list(db.session.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id)
                                        .order_by(AttemptQuestion.position)))
    wanted = [aq.question_version_id for aq in questions if positions is None or aq.position in positions]
    # Attach the versions to their questions: the session's identity map holds objects only weakly, so
    # merely loading them would let them be collected and each aq.version would query again.
    versions = {v.id: v for v in db.session.scalars(select(QuestionVersion).where(QuestionVersion.id.in_(wanted)))}
    for aq in questions:
        if aq.question_version_id in versions:
            set_committed_value(aq, "version", versions[aq.question_version_id])
    return questions


@dataclass
class AttemptPage:
    """One page of a running attempt: every question for the navigation, the ones shown, the time left."""

    questions: list[AttemptQuestion]
    shown: list[tuple[AttemptQuestion, DisplayedQuestion]]
    number: int
    pages: int
    remaining: int | None  # seconds; None: untimed
    grace: bool  # time is up, but the exam allows submitting for a while


def attempt_page(attempt: Attempt, requested: int | None, now: datetime | None = None) -> AttemptPage:
    """The page asked for (one question per page, or all on one, as the exam is laid out)."""
    now = now or utcnow()
    one_per_page = attempt.exam_version.settings.get("layout") == "one_per_page"
    page = max(1, requested or 1)
    questions = questions_for_page(attempt, [page] if one_per_page else None)
    page = min(page, len(questions))
    shown = questions[page - 1: page] if one_per_page else questions
    remaining = max(0, int((attempt.deadline_at - now).total_seconds())) if attempt.deadline_at else None
    return AttemptPage(questions, [(aq, display_question(aq)) for aq in shown], page,
                       len(questions) if one_per_page else 1, remaining, overdue_state(attempt, now) == "grace")


def submit_attempt(attempt_id: int, user: User, now: datetime | None = None) -> Attempt:
    """The learner's submit: idempotent (a second submit finds the attempt closed and shows it)."""
    now = now or utcnow()
    attempt = load_attempt(attempt_id, user, lock=True)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return attempt
    if overdue_state(attempt, now) in ("close", "discard"):
        enforce_deadline(attempt, now, "deadline")
    else:
        finish_attempt(attempt, now, "learner")
    return attempt
