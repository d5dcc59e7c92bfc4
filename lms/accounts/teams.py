"""Teams: naming them, choosing their managers, and the overview administrators page through."""

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.accounts.identifiers import without_nul
from lms.accounts.models import Role, Team, User
from lms.audit.services import record_event
from lms.db import db
from lms.errors import DomainError


def team_names() -> list[str]:
    return list(db.session.scalars(select(Team.name).order_by(Team.name)))


def find_team_by_name(name: str) -> Team:
    """The team with this name (any case); DomainError on the ``team`` field if there is none."""
    team = db.session.scalar(select(Team).where(func.lower(Team.name) == (name or "").strip().lower()))
    if team is None:
        raise DomainError(_("There is no team called %(name)s.", name=name), field="team_name")
    return team


def team_overview(q: str = "", page: int = 1, per_page: int = 50):
    """One page of teams (name search), each with its number of active members and its managers."""
    stmt = select(Team).options(selectinload(Team.managers)).order_by(Team.name)
    if q:
        typed = without_nul(q).lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(func.lower(Team.name).like(f"%{typed}%", escape="\\"))
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)
    ids = [t.id for t in result.items]
    counts = dict(db.session.execute(
        select(User.team_id, func.count()).where(User.team_id.in_(ids), User.is_active.is_(True))
        .group_by(User.team_id)).all()) if ids else {}
    result.rows = [(team, counts.get(team.id, 0)) for team in result.items]
    return result


def _check_team_name(name: str, team_id: int | None) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the team a name."), field="name")
    clash = db.session.scalar(select(Team).where(func.lower(Team.name) == name.lower(), Team.id != (team_id or 0)))
    if clash:
        raise DomainError(_("A team called %(name)s already exists.", name=name), field="name")
    return name


def _team_state(team: Team) -> dict:
    return {"name": team.name, "description": team.description,
            "managers": sorted(u.employee_no for u in team.managers)}


def save_team(team: Team | None, name: str, description: str, manager_ids: list[int]) -> Team:
    """Create or edit a team and set its managers (who must hold the manager role)."""
    name = _check_team_name(name, team.id if team else None)
    managers = list(db.session.scalars(select(User).where(User.id.in_(manager_ids or [])))) if manager_ids else []
    not_managers = [u.name for u in managers if Role.MANAGER not in u.roles]
    if not_managers:
        raise DomainError(_("%(names)s do not have the manager role.", names="、".join(not_managers)),
                          field="managers")
    before = _team_state(team) if team else None
    if team is None:
        team = Team(name=name, description=description or "")
        db.session.add(team)
    team.name, team.description = name, description or ""
    team.managers = managers
    db.session.flush()
    record_event("team.created" if before is None else "team.updated", "team", team.id, summary=team.name,
                 before=before, after=_team_state(team))
    return team
