"""Question banks and exams: syncing from files, drawing questions, and the attempt lifecycle.

The server alone decides time: every attempt stores its deadline when it starts, and every save or
submit is checked against the server clock. Writes to an attempt lock its row first (PostgreSQL
``FOR UPDATE``; SQLite write transactions are serialised by BEGIN IMMEDIATE), so a double click, two
tabs or a late autosave cannot corrupt, duplicate or reopen it.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from blinker import Namespace
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.content.files import content_hash
from lms.content.markdown import render_markdown
from lms.courses.models import Course
from lms.db import db, fresh_snapshot, keep_despite_refusal, utcnow
from lms.errors import DomainError
from lms.exams.loader import BankSpec, ExamSpec, QuestionSpec
from lms.exams.models import (
    Accommodation,
    Attempt,
    AttemptQuestion,
    AttemptStatus,
    Exam,
    ExamKind,
    ExamVersion,
    LateAnswer,
    Question,
    QuestionBank,
    QuestionTag,
    QuestionVersion,
)
from lms.exams.question_types import QUESTION_TYPES, grade_response
from lms.standards.services import SyncCounts, item_lookup, replace_citations, sync_by_slug
from lms.tasks import app_task
from lms.urls import path_for

# Seconds an answer may arrive after the deadline and still count: the time a request takes in
# flight. The deadline itself is the server's; no client clock is ever read.
LATENCY_ALLOWANCE = timedelta(seconds=5)

signals = Namespace()
attempt_graded = signals.signal("attempt-graded")


class AttemptClosed(DomainError):
    pass


class OutOfSequence(DomainError):
    pass


# ---------------------------------------------------------------- rendering


def render_text(text: str, text_format: str, lookup=None) -> str:
    if text_format == "plain":
        from markupsafe import escape

        return "<p>" + str(escape(text)).replace("\n", "<br>") + "</p>"
    return render_markdown(text, lookup)


# ---------------------------------------------------------------- syncing banks and exams


def _new_question_version(question: Question, spec: QuestionSpec, actor: User | None, lookup) -> QuestionVersion:
    number = (db.session.scalar(select(func.max(QuestionVersion.number))
                                .where(QuestionVersion.question_id == question.id)) or 0) + 1
    version = QuestionVersion(
        question_id=question.id, number=number, qtype=spec.qtype, name=spec.name[:200], text_md=spec.text,
        text_html=render_text(spec.text, spec.text_format, lookup), text_format=spec.text_format, data=spec.data,
        feedback_md=spec.feedback, feedback_html=render_text(spec.feedback, spec.text_format, lookup),
        standards=list(spec.standards), tags=list(spec.tags), difficulty=spec.difficulty, points=spec.points,
        content_hash=spec.content_hash, created_by_id=actor.id if actor else None)
    db.session.add(version)
    db.session.flush()
    question.current_version = version
    return version


def save_question(bank: QuestionBank, spec: QuestionSpec, actor: User | None = None, lookup=None) -> tuple[Question, bool]:
    """Create or update a question from a spec; a changed question gets a new version. Returns the
    question and whether anything changed."""
    lookup = lookup or item_lookup()
    question = db.session.scalar(select(Question).where(Question.uid == spec.uid)
                                 .options(selectinload(Question.current_version)))
    if question is None:
        question = Question(uid=spec.uid, bank_id=bank.id)
        db.session.add(question)
        db.session.flush()
    elif question.current_version is not None and question.current_version.content_hash == spec.content_hash:
        return question, False
    question.bank_id = bank.id
    question.is_retired = False
    _new_question_version(question, spec, actor, lookup)
    db.session.execute(QuestionTag.__table__.delete().where(QuestionTag.question_id == question.id))
    for tag in dict.fromkeys(spec.tags):
        db.session.add(QuestionTag(question_id=question.id, tag=tag[:100]))
    replace_citations("question", [question.id], [
        (question.id, f"{spec.uid} · {spec.name}"[:300], path_for("exams_admin.question", uid=spec.uid),
         list(spec.standards))])
    return question, True


def sync_banks(banks: list[BankSpec]) -> SyncCounts:
    counts = SyncCounts()
    lookup = item_lookup()
    existing = {b.slug: b for b in db.session.scalars(select(QuestionBank))}
    for spec in banks:
        bank = existing.get(spec.slug)
        if bank is None:
            bank = QuestionBank(slug=spec.slug, title=spec.title, source=spec.source)
            db.session.add(bank)
            db.session.flush()
            existing[spec.slug] = bank
        bank.title = spec.title
        for question_spec in spec.questions:
            question_before = db.session.scalar(select(Question.id).where(Question.uid == question_spec.uid))
            _question, changed = save_question(bank, question_spec, None, lookup)
            counts.tally(question_before is None, changed)
    return counts


def _exam_data(spec: ExamSpec) -> dict:
    data = spec.as_data()
    return {"title": data["title"], "settings": data["settings"], "sections": data["sections"]}


def save_exam(spec: ExamSpec, actor: User | None = None, source: str = "file") -> tuple[Exam, bool]:
    exam = db.session.scalar(select(Exam).where(Exam.slug == spec.slug).options(selectinload(Exam.current_version)))
    course_id = db.session.scalar(select(Course.id).where(Course.code == spec.course)) if spec.course else None
    digest = content_hash(_exam_data(spec))
    if exam is None:
        exam = Exam(slug=spec.slug, kind=ExamKind(spec.kind))
        db.session.add(exam)
        db.session.flush()
    exam.kind, exam.course_id, exam.pair_slug = ExamKind(spec.kind), course_id, spec.pair
    if exam.current_version is not None and exam.current_version.content_hash == digest:
        return exam, False
    number = (db.session.scalar(select(func.max(ExamVersion.number)).where(ExamVersion.exam_id == exam.id)) or 0) + 1
    data = _exam_data(spec)
    version = ExamVersion(exam_id=exam.id, number=number, title=data["title"], settings=data["settings"],
                          sections=data["sections"], content_hash=digest, source=source,
                          created_by_id=actor.id if actor else None)
    db.session.add(version)
    db.session.flush()
    exam.current_version = version
    if actor is not None:
        record_event("exam.saved", "exam", exam.id, summary=f"{exam.slug} v{number}", after=data, actor=actor)
    return exam, True


def sync_exams(exams: list[ExamSpec]) -> SyncCounts:
    return sync_by_slug(Exam.slug, exams, save_exam)


# ---------------------------------------------------------------- reading exams


def get_exam(slug: str) -> Exam | None:
    return db.session.scalar(select(Exam).where(Exam.slug == slug).options(selectinload(Exam.current_version)))


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if moment.tzinfo is None:
        from lms.timeutil import local_zone

        moment = moment.replace(tzinfo=local_zone())
    return moment


@dataclass
class ExamAccess:
    """What a learner may do with an exam right now, and why not."""

    exam: Exam
    version: ExamVersion
    attempts: list[Attempt]
    allowed_attempts: int  # 0 = unlimited
    opens_at: datetime | None
    closes_at: datetime | None
    extra_minutes: int
    in_progress: Attempt | None = None
    next_start_at: datetime | None = None
    reason: str = ""

    @property
    def can_start(self) -> bool:
        return not self.reason

    @property
    def used(self) -> int:
        return sum(1 for a in self.attempts if a.status != AttemptStatus.IN_PROGRESS)

    @property
    def best(self) -> Attempt | None:
        graded = [a for a in self.attempts if a.percent is not None]
        return max(graded, key=lambda a: a.percent) if graded else None


def exam_access(user: User, exam: Exam, now: datetime | None = None) -> ExamAccess:
    now = now or utcnow()
    version = exam.current_version
    settings = version.settings
    attempts = list(db.session.scalars(select(Attempt).where(Attempt.exam_id == exam.id, Attempt.user_id == user.id)
                                       .order_by(Attempt.number)))
    accommodation = db.session.scalar(select(Accommodation).where(Accommodation.exam_id == exam.id,
                                                                  Accommodation.user_id == user.id))
    allowed = settings.get("attempts", 0)
    if allowed and accommodation:
        allowed += accommodation.extra_attempts
    opens_at = (accommodation.available_from if accommodation and accommodation.available_from
                else _parse_time(settings.get("available_from")))
    closes_at = (accommodation.available_until if accommodation and accommodation.available_until
                 else _parse_time(settings.get("available_until")))
    access = ExamAccess(exam, version, attempts, allowed, opens_at, closes_at,
                        accommodation.extra_minutes if accommodation else 0)
    access.in_progress = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
    finished = [a for a in attempts if a.status != AttemptStatus.IN_PROGRESS]
    if access.in_progress:
        access.reason = ""
    elif opens_at and now < opens_at:
        access.reason = _("This exam opens on %(when)s.", when=_local(opens_at))
    elif closes_at and now >= closes_at:
        access.reason = _("This exam closed on %(when)s.", when=_local(closes_at))
    elif allowed and len(finished) >= allowed:
        access.reason = _("You have used all %(n)d attempts.", n=allowed)
    elif exam.kind == ExamKind.PRE_TEST and finished:
        access.reason = _("A pre-test is taken once, before the course.")
    elif any(a.passed for a in finished) and exam.kind in (ExamKind.EXAM, ExamKind.POST_TEST):
        access.reason = _("You have passed this exam.")
    else:
        cooldown = settings.get("cooldown_minutes", 0)
        last = max((a.submitted_at or a.started_at for a in finished), default=None)
        if cooldown and last and now < last + timedelta(minutes=cooldown):
            access.next_start_at = last + timedelta(minutes=cooldown)
            access.reason = _("You can start the next attempt on %(when)s.", when=_local(access.next_start_at))
    return access


def _local(moment: datetime) -> str:
    from flask_babel import format_datetime

    return format_datetime(moment, "short")


# ---------------------------------------------------------------- drawing and starting


def _current_versions(question_ids: list[int]) -> dict[int, QuestionVersion]:
    if not question_ids:
        return {}
    rows = db.session.scalars(select(QuestionVersion).join(Question, Question.current_version_id == QuestionVersion.id)
                              .where(Question.id.in_(question_ids)))
    return {v.question_id: v for v in rows}


def _pool(tags: list[str], types: list[str]) -> list[int]:
    """Ids of active questions carrying every tag (and of one of the types, if given)."""
    stmt = (select(QuestionTag.question_id).join(Question, Question.id == QuestionTag.question_id)
            .where(QuestionTag.tag.in_(tags), Question.is_retired.is_(False))
            .group_by(QuestionTag.question_id).having(func.count() == len(set(tags))))
    if types:
        stmt = stmt.join(QuestionVersion, QuestionVersion.id == Question.current_version_id).where(
            QuestionVersion.qtype.in_(types))
    return sorted(db.session.scalars(stmt))


def draw_questions(version: ExamVersion, seen: set[int], rng: random.Random) -> list[QuestionVersion]:
    """The questions of a new attempt: fixed ones, then random draws that prefer questions the learner
    has not seen in earlier attempts."""
    chosen: list[int] = []
    for section in version.sections:
        if "questions" in section:
            ids = dict(db.session.execute(select(Question.uid, Question.id)
                                          .where(Question.uid.in_(section["questions"]))).all())
            chosen += [ids[uid] for uid in section["questions"] if uid in ids and ids[uid] not in chosen]
            continue
        draw = section["draw"]
        pool = [q for q in _pool(draw["tags"], draw.get("types") or []) if q not in chosen]
        fresh = [q for q in pool if q not in seen]
        stale = [q for q in pool if q in seen]
        rng.shuffle(fresh)
        rng.shuffle(stale)
        chosen += (fresh + stale)[: draw["count"]]
    versions = _current_versions(chosen)
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


def start_attempt(user: User, exam: Exam, now: datetime | None = None, seed: int | None = None) -> Attempt:
    """Start an attempt, or return the one already in progress (parallel starts make one attempt)."""
    now = now or utcnow()
    access = exam_access(user, exam, now)
    if access.in_progress is not None:
        return access.in_progress
    if not access.can_start:
        raise DomainError(access.reason)
    seen = set(db.session.scalars(
        select(QuestionVersion.question_id).join(AttemptQuestion, AttemptQuestion.question_version_id == QuestionVersion.id)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(Attempt.exam_id == exam.id, Attempt.user_id == user.id)))
    rng = random.Random(seed)
    questions = draw_questions(access.version, seen, rng)
    if not questions:
        raise DomainError(_("This exam has no questions yet."))
    number = max((a.number for a in access.attempts), default=0) + 1
    attempt = Attempt(exam_id=exam.id, exam_version_id=access.version.id, user_id=user.id, number=number,
                      status=AttemptStatus.IN_PROGRESS, started_at=now, deadline_at=_deadline(access, now),
                      max_score=sum(q.points for q in questions))
    shuffle_options = access.version.settings.get("shuffle_options", True)
    for position, version in enumerate(questions, start=1):
        qtype = QUESTION_TYPES[version.qtype]
        data = dict(version.data, shuffle=shuffle_options)
        attempt.questions.append(AttemptQuestion(position=position, question_version_id=version.id,
                                                 presentation=qtype.presentation(data, rng), points=version.points))
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
            db.session.flush()
    except IntegrityError:
        # Another request started this attempt number a moment ago: use that one.
        winner = db.session.scalar(select(Attempt).where(Attempt.exam_id == exam.id, Attempt.user_id == user.id,
                                                         Attempt.number == number))
        if winner is None:
            raise
        return winner
    record_event("attempt.started", "attempt", attempt.id, summary=f"{exam.slug} #{number}", actor=user)
    return attempt


# ---------------------------------------------------------------- the running attempt


def load_attempt(attempt_id: int, user: User, lock: bool = False) -> Attempt:
    """The user's own attempt; anybody else's id is 'not found' (ids are sequential)."""
    stmt = select(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == user.id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    attempt = db.session.scalar(stmt)
    if attempt is None:
        raise LookupError(attempt_id)
    return attempt


def questions_of(attempt: Attempt) -> list[AttemptQuestion]:
    return list(db.session.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id)
                                   .options(selectinload(AttemptQuestion.version)).order_by(AttemptQuestion.position)))


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


def enforce_deadline(attempt: Attempt, now: datetime, closed_by: str) -> bool:
    """Close an attempt whose time is over, by the exam's overdue policy. True if it was closed now."""
    state = overdue_state(attempt, now)
    if state == "close":
        return finish_attempt(attempt, now, closed_by)
    if state == "discard":
        changed = db.session.execute(update(Attempt).where(Attempt.id == attempt.id,
                                                           Attempt.status == AttemptStatus.IN_PROGRESS)
                                     .values(status=AttemptStatus.DISCARDED, submitted_at=now, closed_by=closed_by,
                                             score=None, percent=None, passed=None)).rowcount
        db.session.refresh(attempt)
        if changed:
            record_event("attempt.discarded", "attempt", attempt.id, summary="overdue, not counted",
                         actor=attempt.user)
        return bool(changed)
    return False


def answer_slot(attempt_id: int, user: User, position: int) -> tuple[Attempt, AttemptQuestion, str]:
    """Lock the user's attempt and fetch one of its questions with its type, in one statement (this
    runs on every autosave)."""
    row = db.session.execute(
        select(Attempt, AttemptQuestion, QuestionVersion.qtype)
        .join(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .where(Attempt.id == attempt_id, Attempt.user_id == user.id, AttemptQuestion.position == position)
        .with_for_update(of=Attempt).execution_options(populate_existing=True)).first()
    if row is None:
        raise LookupError(position)
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


def _choice_key(qtype: str, response: dict | None) -> str | None:
    if not response:
        return None
    if qtype == "single":
        return str(response.get("choice"))[:100]
    if qtype == "multiple":
        return ",".join(sorted(response.get("choices") or []))[:100]
    if qtype == "truefalse":
        return "true" if response.get("value") else "false"
    return None


def _totals(attempt: Attempt, questions: list[AttemptQuestion]) -> None:
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


def finish_attempt(attempt: Attempt, now: datetime, closed_by: str) -> bool:
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
        feedback = grade_response(aq.version.qtype, aq.version.data, aq.response)
        aq.score = None if feedback.fraction is None else round(feedback.fraction * aq.points, 4)
        aq.choice_key = _choice_key(aq.version.qtype, aq.response)
    _totals(attempt, questions)
    record_event("attempt.submitted", "attempt", attempt.id, summary=f"{closed_by}: {attempt.percent}",
                 after={"score": attempt.score, "percent": attempt.percent, "passed": attempt.passed},
                 actor=attempt.user)
    if attempt.status == AttemptStatus.GRADED:
        attempt_graded.send(attempt)
    return True


def submit_attempt(attempt_id: int, user: User, now: datetime | None = None) -> Attempt:
    """The learner's submit: idempotent (a second submit finds the attempt closed and shows it)."""
    now = now or utcnow()
    attempt = load_attempt(attempt_id, user, lock=True)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return attempt
    state = overdue_state(attempt, now)
    if state in ("close", "discard"):
        enforce_deadline(attempt, now, "deadline")
    else:
        finish_attempt(attempt, now, "learner")
    return attempt


@app_task()
def close_attempt_if_overdue(attempt_id: int) -> bool:
    """Close one attempt whose time is over (a task: its own transaction)."""
    now = utcnow()
    attempt = db.session.scalar(select(Attempt).where(Attempt.id == attempt_id).with_for_update()
                                .execution_options(populate_existing=True))
    return attempt is not None and enforce_deadline(attempt, now, "deadline")


def closed_if_overdue(attempt: Attempt, user: User) -> Attempt:
    """The 'next access' rule: an attempt whose time ran out closes when its owner comes back.

    The page that notices it only reads (a GET never writes): the closing runs now as a task, in a
    transaction of its own, and the attempt is read again afterwards."""
    if overdue_state(attempt, utcnow()) not in ("close", "discard"):
        return attempt
    close_attempt_if_overdue.call_local(attempt.id)
    fresh_snapshot()  # the read transaction began before the closing committed
    return load_attempt(attempt.id, user)


def close_overdue_attempts(now: datetime | None = None) -> int:
    """Close every open attempt whose time is over (run every minute from cron)."""
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


# ---------------------------------------------------------------- review


@dataclass
class ReviewPolicy:
    show_marks: bool
    show_answers: bool
    message: str = ""


def review_policy(attempt: Attempt, now: datetime | None = None) -> ReviewPolicy:
    """What the learner may see of a closed attempt: nothing before results are released."""
    now = now or utcnow()
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return ReviewPolicy(False, False)
    review = attempt.exam_version.settings.get("review", "after_submit")
    if review == "never":
        return ReviewPolicy(attempt.status == AttemptStatus.GRADED, False,
                            _("Correct answers of this test are not shown."))
    if review == "after_close":
        closes = _parse_time(attempt.exam_version.settings.get("available_until"))
        released = attempt.exam.results_released_at is not None or (closes is not None and now >= closes)
        if not released:
            return ReviewPolicy(False, False, _("Results are released when the exam closes."))
    if attempt.status != AttemptStatus.GRADED:
        return ReviewPolicy(False, False, _("Some answers are waiting for a trainer to grade them."))
    return ReviewPolicy(True, True)


@dataclass
class ReviewItem:
    aq: AttemptQuestion
    messages: tuple[str, ...] = ()
    correct: dict | None = None


def review_items(attempt: Attempt, policy: ReviewPolicy) -> list[ReviewItem]:
    items = []
    for aq in questions_of(attempt):
        qtype = QUESTION_TYPES[aq.version.qtype]
        if policy.show_answers:
            feedback = grade_response(aq.version.qtype, aq.version.data, aq.response)
            items.append(ReviewItem(aq, feedback.messages, qtype.correct_response(aq.version.data)))
        else:
            items.append(ReviewItem(aq))
    return items


# ---------------------------------------------------------------- grading by trainers


def _check_mark(value: float, points: float) -> float:
    import math

    if value is None or not isinstance(value, int | float) or not math.isfinite(value):
        raise DomainError(_("Enter a number."), field="score")
    if value < 0 or value > points:
        raise DomainError(_("The mark must be between 0 and %(max)s.", max=f"{points:g}"), field="score")
    return round(float(value), 4)


def grade_question(aq: AttemptQuestion, score: float, comment: str, grader: User, reason: str = "") -> None:
    """A trainer's mark: the essay grade, or an override with a reason; every change is audited."""
    score = _check_mark(score, aq.points)
    attempt = db.session.scalar(select(Attempt).where(Attempt.id == aq.attempt_id).with_for_update()
                              .execution_options(populate_existing=True))
    if attempt.status == AttemptStatus.IN_PROGRESS:
        raise DomainError(_("The attempt is still in progress."))
    is_override = aq.score is not None
    if is_override and not reason.strip():
        raise DomainError(_("Give a reason for changing a mark."), field="reason")
    before = {"score": aq.score, "comment": aq.grader_comment}
    aq.score, aq.grader_comment = score, comment.strip()[:5000]
    aq.graded_by_id, aq.graded_at = grader.id, utcnow()
    was_passed = attempt.passed
    _totals(attempt, questions_of(attempt))
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


def get_attempt_question(aq_id: int) -> AttemptQuestion | None:
    return db.session.scalar(select(AttemptQuestion).where(AttemptQuestion.id == aq_id).options(
        selectinload(AttemptQuestion.version), selectinload(AttemptQuestion.attempt).selectinload(Attempt.user)))


# ---------------------------------------------------------------- regrading after a key fix


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
    if old.qtype != new.qtype:
        return False
    if old.qtype in ("single", "multiple"):
        return [o["id"] for o in old.data["options"]] == [o["id"] for o in new.data["options"]]
    if old.qtype == "matching":
        return [p["left"] for p in old.data["pairs"]] == [p["left"] for p in new.data["pairs"]]
    if old.qtype == "ordering":
        return len(old.data["items"]) == len(new.data["items"])
    return True


def regrade_question(question: Question, apply: bool, actor: User | None = None) -> list[RegradeChange]:
    """Grade every graded answer to earlier versions of ``question`` with its current key. A dry run
    (apply=False) only reports whose result would change; applying writes and audits each change."""
    current = question.current_version
    rows = list(db.session.scalars(
        select(AttemptQuestion).join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(QuestionVersion.question_id == question.id, QuestionVersion.id != current.id,
               Attempt.status.in_([AttemptStatus.GRADED, AttemptStatus.NEEDS_GRADING]),
               AttemptQuestion.graded_by_id.is_(None))
        .options(selectinload(AttemptQuestion.version), selectinload(AttemptQuestion.attempt)
                 .selectinload(Attempt.user))))
    by_attempt: dict[int, RegradeChange] = {}
    for aq in rows:
        if not _compatible(aq.version, current) or not QUESTION_TYPES[current.qtype].auto_graded:
            continue
        fraction = grade_response(current.qtype, current.data, aq.response).fraction or 0.0
        new_score = round(fraction * aq.points, 4)
        if abs(new_score - (aq.score or 0)) < 1e-9:
            continue
        attempt = aq.attempt
        change = by_attempt.setdefault(attempt.id, RegradeChange(attempt, attempt.percent, None, attempt.passed, None))
        change.answers.append((aq, aq.score, new_score))
    for change in by_attempt.values():
        attempt = change.attempt
        delta = sum(new - (old or 0) for _aq, old, new in change.answers)
        new_score = (attempt.score or 0) + delta
        if attempt.status == AttemptStatus.GRADED:
            change.new_percent = round(100 * new_score / attempt.max_score, 2) if attempt.max_score else 0.0
            change.new_passed = change.new_percent >= attempt.exam_version.settings.get("pass_mark", 0)
        if apply:
            for aq, _old, new in change.answers:
                aq.score = new
            _totals(attempt, questions_of(attempt))
            record_event("attempt.regraded", "attempt", attempt.id, summary=f"{question.uid} v{current.number}",
                         before={"percent": change.old_percent, "passed": change.old_passed},
                         after={"percent": attempt.percent, "passed": attempt.passed}, actor=actor)
            if change.new_passed != change.old_passed:
                attempt_graded.send(attempt)
    return sorted(by_attempt.values(), key=lambda c: c.attempt.id)


# ---------------------------------------------------------------- learners' exam lists


def course_exams(course_id: int) -> list[Exam]:
    return list(db.session.scalars(select(Exam).where(Exam.course_id == course_id)
                                   .options(selectinload(Exam.current_version)).order_by(Exam.kind, Exam.slug)))


def passed_exam_ids(user: User, exam_ids: list[int]) -> set[int]:
    if not exam_ids:
        return set()
    return set(db.session.scalars(select(Attempt.exam_id).where(
        Attempt.user_id == user.id, Attempt.exam_id.in_(exam_ids), Attempt.passed.is_(True))))


def best_results(user: User, exam_ids: list[int]) -> dict[int, Attempt]:
    """Each exam's best graded attempt of the user, in one query."""
    best: dict[int, Attempt] = {}
    if not exam_ids:
        return best
    for attempt in db.session.scalars(select(Attempt).where(Attempt.user_id == user.id,
                                                            Attempt.exam_id.in_(exam_ids))):
        current = best.get(attempt.exam_id)
        if current is None or (attempt.percent or -1) > (current.percent or -1):
            best[attempt.exam_id] = attempt
    return best


def list_exams() -> list[Exam]:
    return list(db.session.scalars(select(Exam).options(selectinload(Exam.current_version)).order_by(Exam.slug)))


def accommodations_for(exam: Exam) -> list[Accommodation]:
    return list(db.session.scalars(select(Accommodation).where(Accommodation.exam_id == exam.id)
                                   .options(selectinload(Accommodation.user))))


def set_accommodation(exam: Exam, user: User, extra_minutes: int, extra_attempts: int,
                      available_from: datetime | None, available_until: datetime | None, note: str,
                      actor: User) -> Accommodation:
    if extra_minutes < 0 or extra_attempts < 0:
        raise DomainError(_("Extra time and attempts cannot be negative."), field="extra_minutes")
    if available_from and available_until and available_until <= available_from:
        raise DomainError(_("The end must come after the start."), field="available_until")
    row = db.session.scalar(select(Accommodation).where(Accommodation.exam_id == exam.id,
                                                        Accommodation.user_id == user.id))
    if row is None:
        row = Accommodation(exam_id=exam.id, user_id=user.id)
        db.session.add(row)
    row.extra_minutes, row.extra_attempts = extra_minutes, extra_attempts
    row.available_from, row.available_until, row.note = available_from, available_until, note[:300]
    row.created_by_id = actor.id
    db.session.flush()
    record_event("exam.accommodation", "exam", exam.id, summary=user.employee_no,
                 after={"extra_minutes": extra_minutes, "extra_attempts": extra_attempts,
                        "from": available_from, "until": available_until}, actor=actor)
    return row


@dataclass
class MyExam:
    exam: Exam
    course_code: str | None
    best: Attempt | None
    attempts: int
    in_progress: Attempt | None


def my_exams(user: User) -> list[MyExam]:
    """Exams of the courses the user is enrolled in, and the standalone certification exams."""
    from lms.courses.models import Enrolment

    course_ids = select(Enrolment.course_id).where(Enrolment.user_id == user.id)
    exams = list(db.session.scalars(
        select(Exam).where((Exam.course_id.in_(course_ids)) | ((Exam.course_id.is_(None)) & (Exam.kind == ExamKind.EXAM)))
        .where(Exam.current_version_id.is_not(None))
        .options(selectinload(Exam.current_version)).order_by(Exam.course_id.is_(None), Exam.slug)))
    codes = dict(db.session.execute(select(Course.id, Course.code).where(
        Course.id.in_([e.course_id for e in exams if e.course_id]))).all())
    attempts: dict[int, list[Attempt]] = {}
    for attempt in db.session.scalars(select(Attempt).where(Attempt.user_id == user.id,
                                                            Attempt.exam_id.in_([e.id for e in exams]))):
        attempts.setdefault(attempt.exam_id, []).append(attempt)
    rows = []
    for exam in exams:
        mine = attempts.get(exam.id, [])
        graded = [a for a in mine if a.percent is not None]
        rows.append(MyExam(exam, codes.get(exam.course_id), max(graded, key=lambda a: a.percent) if graded else None,
                           len(mine), next((a for a in mine if a.status == AttemptStatus.IN_PROGRESS), None)))
    return rows


@dataclass
class PreviewQuestion:
    """A question shown as a learner would see it, with the correct answer filled in."""

    version: QuestionVersion
    position: int = 1
    presentation: dict = field(default_factory=dict)
    response: dict | None = None
    points: float = 1.0
    score: float | None = None
    grader_comment: str = ""


def preview_question(version: QuestionVersion) -> PreviewQuestion:
    qtype = QUESTION_TYPES[version.qtype]
    presentation = qtype.presentation(dict(version.data, shuffle=False), random.Random(0))
    if version.qtype == "matching":
        presentation = {"lefts": list(range(len([p for p in version.data["pairs"] if p.get("left")]))),
                        "rights": list(range(len(qtype.rights(version.data))))}
    if version.qtype == "ordering":
        presentation = {"items": list(range(len(version.data["items"])))}
    return PreviewQuestion(version, presentation=presentation, response=qtype.correct_response(version.data),
                           points=version.points)


def exam_items(version: ExamVersion) -> set[str]:
    """The standard items the questions an exam version can draw cite (what passing it evidences)."""
    ids: set[int] = set()
    for section in version.sections:
        if "questions" in section:
            ids |= set(db.session.scalars(select(Question.id).where(Question.uid.in_(section["questions"]))))
        else:
            ids |= set(_pool(section["draw"]["tags"], section["draw"].get("types") or []))
    return {code for v in _current_versions(sorted(ids)).values() for code in v.standards}
