"""Whose records a token's person may read: an administrator everyone's, a manager only the members of
the teams they manage (as on the readiness board). Every API read goes through these."""

from sqlalchemy import select

from lms.accounts.models import Role, Team, User, team_managers


def sees_everyone(viewer: User) -> bool:
    return viewer.has_role(Role.ADMIN)


def _managed(viewer: User):
    return select(team_managers.c.team_id).where(team_managers.c.user_id == viewer.id)


def visible_people(stmt, user_column, viewer: User):
    """``stmt`` limited to rows of people the viewer may see."""
    if sees_everyone(viewer):
        return stmt
    return stmt.where(user_column.in_(select(User.id).where(User.team_id.in_(_managed(viewer)))))


def visible_teams(stmt, viewer: User):
    if sees_everyone(viewer):
        return stmt
    return stmt.where(Team.id.in_(_managed(viewer)))


def survey_team_ids(viewer: User) -> tuple[int, ...] | None:
    """The teams whose survey answers the viewer may read; None: every team."""
    if sees_everyone(viewer):
        return None
    from lms.db import db

    return tuple(db.session.scalars(_managed(viewer)))
