"""A trainer's review of the cases staff send: publish (after editing the texts to take out anything that
points to a customer), return to the author with a comment, or decline. Each decision is audited."""

from blinker import Namespace
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.cases.authoring import CaseData, check_case, write_case
from lms.cases.library import index_cases
from lms.cases.models import Case, CaseStatus
from lms.db import db, get_row, utcnow
from lms.errors import DomainError

signals = Namespace()
# Sent with each case sent back to its author (the author is told why).
case_returned = signals.signal("case-returned")


def review_queue() -> list[Case]:
    """The cases waiting for a trainer, oldest first."""
    return list(db.session.scalars(select(Case).where(Case.status == CaseStatus.SUBMITTED)
                                   .options(selectinload(Case.author), selectinload(Case.items))
                                   .order_by(Case.submitted_at, Case.id)))


def _reviewable(case_id: int, reviewer: User) -> Case:
    case = get_row(Case, case_id, lock=True)
    if case.status != CaseStatus.SUBMITTED:
        raise DomainError(_("This case is not waiting for review."))
    if case.author_id == reviewer.id:
        raise DomainError(_("Another trainer reviews the cases you write."))
    return case


def _decide(case: Case, reviewer: User, status: CaseStatus, comment: str) -> None:
    case.status, case.reviewer_id, case.reviewed_at = status, reviewer.id, utcnow()
    case.review_comment = (comment or "").strip()[:4000]


def publish_case(case_id: int, data: CaseData, reviewer: User, comment: str = "") -> Case:
    """Publish the case with the reviewer's edits (checked like the author's) to the case library."""
    case = _reviewable(case_id, reviewer)
    items = check_case(data, complete=True)
    write_case(case, data, items)
    _decide(case, reviewer, CaseStatus.PUBLISHED, comment)
    case.published_at = case.reviewed_at
    db.session.flush()
    index_cases([case])
    record_event("case.published", "case", case.id, summary=case.title, actor=reviewer,
                 after={"items": [i.code for i in items]})
    return case


def return_case(case_id: int, reviewer: User, comment: str) -> Case:
    """Send the case back to its author with what to change."""
    if not (comment or "").strip():
        raise DomainError(_("Say what the author should change."), field="comment")
    case = _reviewable(case_id, reviewer)
    _decide(case, reviewer, CaseStatus.RETURNED, comment)
    db.session.flush()
    record_event("case.returned", "case", case.id, summary=case.title, actor=reviewer,
                 after={"comment": case.review_comment})
    case_returned.send(case)
    return case


def reject_case(case_id: int, reviewer: User, comment: str) -> Case:
    """Decline the case for the library, saying why (the author still sees it)."""
    if not (comment or "").strip():
        raise DomainError(_("Say why the case is not published."), field="comment")
    case = _reviewable(case_id, reviewer)
    _decide(case, reviewer, CaseStatus.REJECTED, comment)
    db.session.flush()
    record_event("case.rejected", "case", case.id, summary=case.title, actor=reviewer,
                 after={"comment": case.review_comment})
    return case
