"""Whether a learner may take an exam now: its dates, the attempts used and left, the cooldown between
attempts, and the learner's own accommodations."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import User
from lms.db import db, utcnow
from lms.exams.models import Accommodation, Attempt, AttemptStatus, Exam, ExamKind, ExamVersion
from lms.timeutil import local_zone


def parse_time(value: str | None) -> datetime | None:
    """A time in an exam's settings (ISO 8601; without a zone, the centre's)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if moment.tzinfo is None:
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
    """Whether the user may start an attempt now (dates, attempts used, cooldown, accommodations), and why not."""
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
                else parse_time(settings.get("available_from")))
    closes_at = (accommodation.available_until if accommodation and accommodation.available_until
                 else parse_time(settings.get("available_until")))
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
        access.reason = ngettext("You have used your %(num)d attempt.", "You have used all %(num)d attempts.", allowed)
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
    return format_datetime(moment, "short")
