"""A trainer assigns a session to whole teams, or to the new hires of an onboarding path (the path's
``sessions`` ask for a session of a template; those who completed one already are left out)."""

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import Role, Team, User
from lms.classroom.models import ClassroomSession, Seat
from lms.classroom.seats import assign_people
from lms.courses.models import OnboardingPath
from lms.db import db, get_row
from lms.errors import DomainError
from lms.timeutil import local_today


def path_choices() -> list[tuple[str, str]]:
    return [(p.slug, p.title) for p in db.session.scalars(select(OnboardingPath).order_by(OnboardingPath.title))]


def team_choices() -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in db.session.scalars(select(Team).order_by(Team.name))]


def path_newcomers(path: OnboardingPath, template_slug: str | None) -> list[User]:
    """Active learners hired within the path's days, without a completed session of this template."""
    since = local_today() - timedelta(days=path.new_hire_days)
    users = [u for u in db.session.scalars(select(User).where(User.is_active.is_(True), User.hire_date >= since)
                                           .order_by(User.hire_date, User.id)) if Role.LEARNER in u.roles]
    if template_slug:
        done = set(db.session.scalars(select(Seat.user_id).join(ClassroomSession, ClassroomSession.id == Seat.session_id)
                                      .where(ClassroomSession.template_slug == template_slug,
                                             Seat.completed_at.is_not(None))))
        users = [u for u in users if u.id not in done]
    return users


def assign_session(session_id: int, actor: User, team_ids: list[int], path_slug: str | None) -> list[Seat]:
    """Give places (or waiting-list places) to every active member of the teams and the path's new hires."""
    session = get_row(ClassroomSession, session_id)
    users: dict[int, User] = {}
    if team_ids:
        users |= {u.id: u for u in db.session.scalars(
            select(User).where(User.team_id.in_(team_ids), User.is_active.is_(True)).order_by(User.name, User.id))}
    if path_slug:
        path = db.session.scalar(select(OnboardingPath).where(OnboardingPath.slug == path_slug))
        if path is None:
            raise DomainError(_("There is no such onboarding path."), field="path")
        users |= {u.id: u for u in path_newcomers(path, session.template_slug)}
    if not team_ids and not path_slug:
        raise DomainError(_("Choose at least one team or an onboarding path."), field="teams")
    return assign_people(session.id, actor, list(users.values()))
