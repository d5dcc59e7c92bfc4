"""Who mentors whom, and who may read or act on a mentorship. Mentoring is a relation, not a role: the
mentor and the mentee read their own mentorship; a manager their teams' people's; trainers and administrators
every one. Only the mentor records check-ins, confirms entries and signs off. A mentorship a person may not
read answers as if it did not exist (404)."""

from datetime import date, timedelta

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role, User
from lms.audit.services import record_event
from lms.certification.reviewers import NotYours, can_review
from lms.db import db, get_row
from lms.errors import DomainError
from lms.mentoring.models import CheckIn, MentorChange, MentoringPlan, Mentorship
from lms.timeutil import local_today


def can_read(reader: User, mentorship: Mentorship) -> bool:
    if reader.id in (mentorship.mentee_id, mentorship.mentor_id):
        return True
    return can_review(reader, mentorship.mentee)


def is_mentor(reader: User, mentorship: Mentorship) -> bool:
    return mentorship.mentor_id is not None and reader.id == mentorship.mentor_id


def mentorship_for(mentorship_id: int, reader: User, lock: bool = False) -> Mentorship:
    """The mentorship, if the reader may read it; else RowNotFound (a 404)."""
    mentorship = get_row(Mentorship, mentorship_id, lock=lock, options=(
        selectinload(Mentorship.mentee), selectinload(Mentorship.mentor), selectinload(Mentorship.path),
        selectinload(Mentorship.check_ins), selectinload(Mentorship.sign_offs)))
    if not can_read(reader, mentorship):
        raise NotYours(f"{reader.id} may not read mentorship {mentorship_id}")
    return mentorship


def check_mentor(reader: User, mentorship: Mentorship) -> None:
    if not is_mentor(reader, mentorship):
        raise DomainError(gettext("Only the mentor can do this."))


def plan_of(mentorship: Mentorship) -> MentoringPlan | None:
    return db.session.get(MentoringPlan, mentorship.path_id)


def open_mentorship(mentee: User, plan: MentoringPlan, started_on: date | None = None) -> Mentorship:
    """The person's mentorship on the plan's path, opened (with its check-ins due) if they have none yet."""
    existing = db.session.scalar(select(Mentorship).where(Mentorship.mentee_id == mentee.id,
                                                          Mentorship.path_id == plan.path_id))
    if existing is not None:
        return existing
    start = started_on or mentee.hire_date or local_today()
    mentorship = Mentorship(mentee_id=mentee.id, path_id=plan.path_id, started_on=start,
                            check_ins=[CheckIn(day=day, due_on=start + timedelta(days=day)) for day in plan.check_in_days])
    db.session.add(mentorship)
    db.session.flush()
    mentorship.opened_now = True
    return mentorship


def open_for_new_hires(users: list[User], today: date | None = None) -> int:
    """New hires put on a path with a mentoring plan get their mentorship (the mentor is chosen by the manager)."""
    today = today or local_today()
    opened = 0
    plans = list(db.session.scalars(select(MentoringPlan).options(selectinload(MentoringPlan.path))))
    for plan in plans:
        for user in users:
            if (user.is_active and user.hire_date and Role.LEARNER in user.roles
                    and (today - user.hire_date).days <= plan.path.new_hire_days):
                opened += open_mentorship(user, plan).opened_now
    return opened


def on_users_created(_sender, users, **_extra) -> None:
    open_for_new_hires(users)


def mentor_candidates(mentee: User) -> list[User]:
    """The active members of the mentee's team, longest-serving first (mentors are typically experienced agents)."""
    if mentee.team_id is None:
        return []
    return list(db.session.scalars(select(User).where(User.team_id == mentee.team_id, User.is_active.is_(True),
                                                      User.id != mentee.id)
                                   .order_by(User.hire_date.is_(None), User.hire_date, User.name)))


def choose_mentor(mentee: User, plan: MentoringPlan, mentor_id: int, actor: User) -> Mentorship:
    """Make ``mentor_id`` the mentee's mentor on the plan's path (opening the mentorship if need be); the
    earlier choice is kept in the history and the change audited."""
    if not can_review(actor, mentee):
        raise NotYours(f"{actor.id} may not choose a mentor for {mentee.id}")
    mentor = next((p for p in mentor_candidates(mentee) if p.id == mentor_id), None)
    if mentor is None:
        raise DomainError(gettext("Choose a member of the new hire's team."), field="mentor")
    mentorship = open_mentorship(mentee, plan)
    if mentorship.mentor_id == mentor.id:
        raise DomainError(gettext("%(name)s is already the mentor.", name=mentor.name), field="mentor")
    previous = mentorship.mentor
    db.session.add(MentorChange(mentorship_id=mentorship.id, mentor_id=mentor.id, changed_by_id=actor.id,
                                previous_mentor_id=mentorship.mentor_id))
    mentorship.mentor_id = mentor.id
    db.session.flush()
    record_event("mentoring.mentor_chosen", "user", mentee.id, actor=actor,
                 before={"mentor": previous.name} if previous else None, after={"mentor": mentor.name})
    return mentorship


def mentor_history(mentorship: Mentorship) -> list[MentorChange]:
    return list(db.session.scalars(select(MentorChange).where(MentorChange.mentorship_id == mentorship.id)
                                   .options(selectinload(MentorChange.mentor), selectinload(MentorChange.changed_by))
                                   .order_by(MentorChange.changed_at.desc(), MentorChange.id.desc())))
