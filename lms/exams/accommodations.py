"""Accommodations: one learner's own terms for one exam (extra time, extra attempts, other dates)."""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.identifiers import normalise_employee_no
from lms.accounts.models import User
from lms.audit.services import record_event
from lms.db import db
from lms.errors import DomainError
from lms.exams.models import Accommodation, Exam


def accommodations_for(exam: Exam) -> list[Accommodation]:
    return list(db.session.scalars(select(Accommodation).where(Accommodation.exam_id == exam.id)
                                   .options(selectinload(Accommodation.user))))


def set_accommodation(exam: Exam, user: User, extra_minutes: int, extra_attempts: int,
                      available_from: datetime | None, available_until: datetime | None, note: str,
                      actor: User) -> Accommodation:
    """Give a learner their own terms for an exam (replacing earlier ones); audited."""
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


def accommodate(exam: Exam, employee_no: str, terms: dict, actor: User) -> User:
    """set_accommodation for the person with this employee number; returns them."""
    user = db.session.scalar(select(User).where(User.employee_no == normalise_employee_no(employee_no)))
    if user is None:
        raise DomainError(_("No one has the employee number %(nos)s.", nos=employee_no), field="employee_no")
    set_accommodation(exam, user, actor=actor, **terms)
    return user
