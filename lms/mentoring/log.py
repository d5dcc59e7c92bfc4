"""What is written in a mentorship: shadowing entries (by the mentee or the mentor), the mentor's comment and
confirmation, the check-ins and the sign-off of the path's items (audited; the last one completes it)."""

from datetime import date

from flask_babel import gettext
from sqlalchemy import select

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.calls.channels import CHANNELS
from lms.db import db, found, utcnow
from lms.errors import DomainError
from lms.mentoring.models import CheckIn, EntryKind, Mentorship, MentorSignOff, ProgressRating, ShadowingEntry
from lms.mentoring.relations import check_mentor, plan_of
from lms.standards.models import StandardItem
from lms.timeutil import local_today

MAX_ITEMS_PER_ENTRY = 20


def add_entry(mentorship: Mentorship, author: User, kind: str, happened_on: date, channel: str, notes: str,
              item_codes: list[str]) -> ShadowingEntry:
    """Log a shadowing entry; the mentee or the mentor writes it."""
    if author.id not in (mentorship.mentee_id, mentorship.mentor_id):
        raise DomainError(gettext("Only the new hire or their mentor can add to this log."))
    if happened_on > local_today():
        raise DomainError(gettext("The date cannot be in the future."), field="happened_on")
    if happened_on < mentorship.started_on:
        raise DomainError(gettext("The date is before the mentoring started (%(date)s).",
                                  date=mentorship.started_on.isoformat()), field="happened_on")
    if channel not in CHANNELS:
        raise DomainError(gettext("Choose a channel."), field="channel")
    codes = sorted(set(item_codes))[:MAX_ITEMS_PER_ENTRY]
    items = list(db.session.scalars(select(StandardItem).where(StandardItem.code.in_(codes)))) if codes else []
    if len(items) != len(codes):
        raise DomainError(gettext("Choose standard items from the list."), field="items")
    entry = ShadowingEntry(mentorship_id=mentorship.id, author_id=author.id, kind=EntryKind(kind),
                           happened_on=happened_on, channel=channel, notes=notes.strip(), items=items)
    db.session.add(entry)
    db.session.flush()
    return entry


def review_entry(mentorship: Mentorship, entry_id: int, mentor: User, comment: str, confirm: bool) -> ShadowingEntry:
    """The mentor's comment on an entry, and their confirmation that it happened as written."""
    check_mentor(mentor, mentorship)
    entry = found(db.session.scalar(select(ShadowingEntry).where(ShadowingEntry.id == entry_id,
                                                                 ShadowingEntry.mentorship_id == mentorship.id)),
                  f"shadowing entry {entry_id}")
    entry.mentor_comment = comment.strip()
    if confirm and entry.confirmed_at is None:
        entry.confirmed_at, entry.confirmed_by_id = utcnow(), mentor.id
    db.session.flush()
    return entry


def record_check_in(mentorship: Mentorship, mentor: User, day: int, rating: str, notes: str) -> CheckIn:
    """Record the check-in of that day with the mentor's notes and rating of progress."""
    check_mentor(mentor, mentorship)
    check_in = next((c for c in mentorship.check_ins if c.day == day), None)
    if check_in is None:
        raise DomainError(gettext("Choose a check-in of this mentoring."), field="day")
    if check_in.done_at is not None:
        raise DomainError(gettext("This check-in is already recorded."), field="day")
    if not notes.strip():
        raise DomainError(gettext("Write what you talked about."), field="check_in_notes")
    check_in.done_at, check_in.done_by_id = utcnow(), mentor.id
    check_in.rating, check_in.notes = ProgressRating(rating), notes.strip()
    db.session.flush()
    return check_in


def sign_off_item(mentorship: Mentorship, mentor: User, item_code: str, note: str) -> MentorSignOff:
    """Sign off one of the path's items for the mentee (audited); all of them signed completes the mentoring."""
    check_mentor(mentor, mentorship)
    plan = plan_of(mentorship)
    required = list(plan.item_codes) if plan else []
    if item_code not in required:
        raise DomainError(gettext("Choose one of the path's items."), field="item")
    signed = {s.item_code for s in mentorship.sign_offs}
    if item_code in signed:
        raise DomainError(gettext("%(code)s is already signed off.", code=item_code), field="item")
    sign_off = MentorSignOff(mentorship_id=mentorship.id, item_code=item_code, signed_by_id=mentor.id, note=note.strip())
    mentorship.sign_offs.append(sign_off)
    if set(required) <= signed | {item_code} and mentorship.completed_at is None:
        mentorship.completed_at = utcnow()
    db.session.flush()
    record_event("mentoring.item_signed_off", "user", mentorship.mentee_id, actor=mentor,
                 after={"item": item_code, "note": note.strip()[:200]})
    return sign_off
