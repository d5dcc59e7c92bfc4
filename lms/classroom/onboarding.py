"""New hires and the sessions their onboarding path asks for (``sessions:`` in courses/paths/*.yaml): a new
account is given a place (or a waiting-list place) in the next scheduled session of each template the path
lists. With none scheduled yet, the trainer assigns the path's new hires when scheduling one."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import undefer

from lms.accounts.models import Role, User
from lms.classroom.models import ClassroomSession, SessionStatus
from lms.classroom.seats import assign_people
from lms.courses.models import OnboardingPath
from lms.db import db, utcnow
from lms.timeutil import local_today


def next_session(template_slug: str) -> ClassroomSession | None:
    """The next scheduled session made from this template, if any."""
    return db.session.scalar(select(ClassroomSession).where(
        ClassroomSession.template_slug == template_slug, ClassroomSession.status == SessionStatus.SCHEDULED,
        ClassroomSession.starts_at > utcnow()).order_by(ClassroomSession.starts_at).limit(1))


def enrol_new_hires(users: list[User]) -> int:
    """Give recently hired learners a place in the next session of each template their paths list; return
    how many places (or waiting-list places) were given."""
    today, given = local_today(), 0
    for path in db.session.scalars(select(OnboardingPath).options(undefer(OnboardingPath.session_steps))):
        newcomers = [u for u in users if u.is_active and u.hire_date and Role.LEARNER in u.roles
                     and today - u.hire_date <= timedelta(days=path.new_hire_days)]
        for step in path.session_steps if newcomers else []:
            session = next_session(step["template"])
            if session is not None:
                given += len(assign_people(session.id, None, newcomers))
    return given


def on_users_created(_sender, users, **_extra) -> None:
    enrol_new_hires(users)
