"""How far each mentorship has come, in one statement for any number of them: shadowing entries, check-ins
done, due and overdue, and the path's items signed off. Read by the mentoring pages, both home pages and the
readiness board."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from lms.accounts.models import Role, User, team_managers
from lms.courses.models import OnboardingPath
from lms.db import db
from lms.mentoring.models import CheckIn, MentoringPlan, Mentorship, MentorSignOff, ShadowingEntry
from lms.timeutil import local_today

LISTED = 200  # mentorships listed on one page


@dataclass(frozen=True)
class MentoringProgress:
    mentorship_id: int
    mentee_id: int
    mentee_name: str
    mentor_id: int | None
    mentor_name: str
    path_title: str
    started_on: date
    entries: int
    check_ins_done: int
    check_ins_total: int
    check_ins_due: int  # due today or before, not recorded
    check_ins_overdue: int  # due before today, not recorded
    next_check_in: date | None
    signed: int
    items: int
    completed: bool
    path_id: int = 0

    @property
    def percent_signed(self) -> int:
        return round(100 * self.signed / self.items) if self.items else 0


def _count(model, *where):
    return select(func.count()).select_from(model).where(model.mentorship_id == Mentorship.id, *where).scalar_subquery()


def progress_query(today: date):
    mentee, mentor = aliased(User), aliased(User)
    open_check_in = CheckIn.done_at.is_(None)
    return (select(Mentorship.id, Mentorship.mentee_id, mentee.name, Mentorship.mentor_id, mentor.name,
                   OnboardingPath.title, Mentorship.started_on, _count(ShadowingEntry),
                   _count(CheckIn, CheckIn.done_at.is_not(None)), _count(CheckIn),
                   _count(CheckIn, open_check_in, CheckIn.due_on <= today),
                   _count(CheckIn, open_check_in, CheckIn.due_on < today),
                   select(func.min(CheckIn.due_on)).where(CheckIn.mentorship_id == Mentorship.id, open_check_in)
                   .scalar_subquery(),
                   _count(MentorSignOff), MentoringPlan.item_codes, Mentorship.completed_at, Mentorship.path_id)
            .join(mentee, mentee.id == Mentorship.mentee_id).outerjoin(mentor, mentor.id == Mentorship.mentor_id)
            .join(OnboardingPath, OnboardingPath.id == Mentorship.path_id)
            .outerjoin(MentoringPlan, MentoringPlan.path_id == Mentorship.path_id))


def progress_where(*where, today: date | None = None, limit: int = LISTED) -> list[MentoringProgress]:
    """The progress of the mentorships matching ``where`` (one statement), newest first."""
    rows = db.session.execute(progress_query(today or local_today()).where(*where)
                              .order_by(Mentorship.started_on.desc(), Mentorship.id.desc()).limit(limit)).all()
    return [MentoringProgress(*row[:14], len(row[14] or []), row[15] is not None, row[16]) for row in rows]


def mentees_of(mentor: User) -> list[MentoringProgress]:
    return progress_where(Mentorship.mentor_id == mentor.id)


def own_mentoring(mentee: User) -> list[MentoringProgress]:
    return progress_where(Mentorship.mentee_id == mentee.id)


def visible_to_staff(reader: User) -> list[MentoringProgress] | None:
    """Every mentorship for trainers and administrators; a manager's teams' people's; None for others."""
    if reader.has_role(Role.TRAINER, Role.ADMIN):
        return progress_where()
    if reader.has_role(Role.MANAGER):
        teams = select(team_managers.c.team_id).where(team_managers.c.user_id == reader.id)
        return progress_where(Mentorship.mentee_id.in_(select(User.id).where(User.team_id.in_(teams))))
    return None


def progress_by_mentee(user_ids: list[int]) -> dict[int, MentoringProgress]:
    """Each person's latest mentorship's progress (the readiness board: one statement per page)."""
    if not user_ids:
        return {}
    found: dict[int, MentoringProgress] = {}
    for progress in progress_where(Mentorship.mentee_id.in_(user_ids), limit=len(user_ids) * 4):
        found.setdefault(progress.mentee_id, progress)
    return found


@dataclass(frozen=True)
class MentoringHome:
    """The home page's part: the person's mentees (as a mentor) and their own mentoring (as a new hire)."""

    as_mentor: list[MentoringProgress]
    as_mentee: list[MentoringProgress]


def mentoring_home(user: User) -> MentoringHome:
    """Both sides of a person's mentoring, in one statement."""
    found = progress_where(or_(Mentorship.mentor_id == user.id, Mentorship.mentee_id == user.id))
    return MentoringHome([p for p in found if p.mentor_id == user.id], [p for p in found if p.mentee_id == user.id])
