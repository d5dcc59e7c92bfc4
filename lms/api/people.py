"""HR provisioning: people and teams upserted by employee number and team name. Each value is checked by
the rules of the CSV import (lms.accounts.user_import), so the API accepts exactly what the file does."""

import hashlib
import json

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.accounts.identifiers import normalise_email, normalise_employee_no, without_nul
from lms.accounts.models import Locale, Role, Team, User
from lms.accounts.teams import save_team
from lms.accounts.user_import import CELL_PARSERS
from lms.accounts.users import UserData, create_user, set_user_active, update_user
from lms.api.errors import ApiError
from lms.api.visibility import visible_people, visible_teams
from lms.db import db, utcnow
from lms.errors import DomainError

CHECKED = ("employee_no", "name", "email", "hire_date")


def user_out(user: User) -> dict:
    return {"employee_no": user.employee_no, "name": user.name, "email": user.email, "hire_date": user.hire_date,
            "team": user.team.name if user.team else None, "roles": sorted(str(r) for r in user.roles),
            "locale": str(user.locale), "is_active": user.is_active, "created_at": user.created_at}


def user_etag(user: User) -> str:
    """The version of a person as the API shows them: GET gives it as the ETag, PUT checks If-Match."""
    return hashlib.sha256(json.dumps(user_out(user), sort_keys=True, default=str).encode()).hexdigest()[:32]


def users_query(viewer: User, team: str | None = None, active: bool | None = None):
    stmt = visible_people(select(User).options(selectinload(User.role_rows), selectinload(User.team)), User.id, viewer)
    if team is not None:
        stmt = stmt.join(Team, User.team_id == Team.id).where(func.lower(Team.name) == without_nul(team).strip().lower())
    if active is not None:
        stmt = stmt.where(User.is_active.is_(active))
    return stmt


def find_user(employee_no: str, viewer: User) -> User:
    user = db.session.scalar(users_query(viewer).where(User.employee_no == normalise_employee_no(without_nul(employee_no))))
    if user is None:
        raise ApiError(404, _("No person has employee number %(no)s.", no=employee_no[:32]))
    return user


def _problems(employee_no: str, item) -> tuple[dict, list[dict]]:
    """The values as the CSV import reads them, and every problem with the field it concerns."""
    raw = {"employee_no": employee_no, "name": item.name, "email": item.email,
           "hire_date": item.hire_date.isoformat() if item.hire_date else ""}
    values, problems, today = {}, [], utcnow().date()
    for name in CHECKED:
        found: list = []
        values[name] = CELL_PARSERS[name](raw[name], found, today)
        problems += [{"field": name, "message": str(message)} for message in found]
    return values, problems


def _team_ids(names) -> dict[str, int]:
    wanted = {n.strip().lower() for n in names if n and n.strip()}
    if not wanted:
        return {}
    return {name.lower(): team_id for team_id, name in db.session.execute(
        select(Team.id, Team.name).where(func.lower(Team.name).in_(sorted(wanted))))}


def _user_data(employee_no: str, item, teams: dict[str, int]) -> tuple[UserData | None, list[dict]]:
    values, problems = _problems(employee_no, item)
    team_id = None
    if item.team and item.team.strip():
        team_id = teams.get(item.team.strip().lower())
        if team_id is None:
            problems.append({"field": "team", "message": _("There is no team called %(name)s.", name=item.team[:100])})
    if problems:
        return None, problems
    return UserData(employee_no=values["employee_no"], name=values["name"], email=values["email"],
                    hire_date=values["hire_date"], locale=Locale(item.locale), team_id=team_id,
                    roles={Role(r) for r in item.roles}, is_active=item.is_active), []


def _same(user: User, data: UserData) -> bool:
    return (user.name, user.email, user.hire_date, user.locale, user.team_id, user.roles, user.is_active) == (
        data.name, normalise_email(data.email), data.hire_date, data.locale, data.team_id, frozenset(data.roles),
        data.is_active)


def _save(existing: User | None, data: UserData, actor: User) -> tuple[str, User]:
    if existing is None:
        return "created", create_user(data)
    if _same(existing, data):
        return "unchanged", existing
    return "changed", update_user(existing, data, acting_user=actor)


def _conflict(exc: DomainError, index: int | None = None) -> ApiError:
    detail = {"field": exc.field, "message": str(exc.message)}
    if index is not None:
        detail["index"] = index
    return ApiError(409, details=[detail])


def upsert_user(employee_no: str, item, actor: User, if_match=None) -> tuple[str, User]:
    """Create the person with this employee number, or bring them to the values sent; sending the same
    values again changes nothing ("unchanged"). With ``if_match`` (the If-Match header's tags), only
    while the person is still as the client read them."""
    data, problems = _user_data(without_nul(employee_no), item, _team_ids([item.team]))
    if problems:
        raise ApiError(422, details=problems)
    existing = db.session.scalar(select(User).where(User.employee_no == data.employee_no))
    if if_match and (existing is None or not if_match.contains(user_etag(existing))):
        raise ApiError(412)
    try:
        return _save(existing, data, actor)
    except DomainError as exc:
        raise _conflict(exc) from exc


def _duplicates(items, datas) -> list[dict]:
    seen: dict[tuple[str, str], int] = {}
    problems = []
    for index, data in enumerate(datas):
        if data is None:
            continue
        for field, value in (("employee_no", data.employee_no), ("email", normalise_email(data.email))):
            other = seen.setdefault((field, value), index)
            if other != index:
                problems.append({"index": index, "field": field,
                                 "message": _("%(value)s also appears in item %(other)d.", value=value, other=other)})
    return problems


def upsert_users(items, actor: User) -> list[tuple[str, User]]:
    """All of the people or none: every item is checked first; any problem refuses the whole request,
    each problem naming its item (from 0) and field."""
    teams = _team_ids(item.team for item in items)
    datas, problems = [], []
    for index, item in enumerate(items):
        data, found = _user_data(item.employee_no, item, teams)
        datas.append(data)
        problems += [{"index": index, **p} for p in found]
    problems += _duplicates(items, datas)
    if problems:
        raise ApiError(422, details=problems)
    existing = {u.employee_no: u for u in db.session.scalars(
        users_query(actor).where(User.employee_no.in_([d.employee_no for d in datas])))}
    results = []
    for index, data in enumerate(datas):
        try:
            results.append(_save(existing.get(data.employee_no), data, actor))
        except DomainError as exc:
            raise _conflict(exc, index) from exc
    return results


def deactivate_user(user: User, actor: User) -> str:
    if not user.is_active:
        return "unchanged"
    try:
        set_user_active(user, False, actor)
    except DomainError as exc:
        raise _conflict(exc) from exc
    return "changed"


# ---------------------------------------------------------------- teams


def team_out(team: Team, members: int) -> dict:
    return {"name": team.name, "description": team.description,
            "managers": sorted(u.employee_no for u in team.managers), "members": members}


def member_counts(team_ids) -> dict[int, int]:
    ids = list(team_ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(User.team_id, func.count()).where(User.team_id.in_(ids))
                                   .group_by(User.team_id)).all())


def teams_query(viewer: User):
    return visible_teams(select(Team).options(selectinload(Team.managers)), viewer)


def find_team(name: str, viewer: User) -> Team:
    team = db.session.scalar(teams_query(viewer).where(func.lower(Team.name) == without_nul(name).strip().lower()))
    if team is None:
        raise ApiError(404, _("There is no team called %(name)s.", name=name[:100]))
    return team


def upsert_team(name: str, item) -> tuple[str, Team]:
    """Create the team or bring its description and managers to the values sent."""
    name = without_nul(name).strip()
    if len(name) > 100:
        raise ApiError(422, details=[{"field": "name", "message": _("A team name has at most 100 characters.")}])
    numbers = sorted({normalise_employee_no(n) for n in item.managers})
    managers = dict(db.session.execute(select(User.employee_no, User.id).where(User.employee_no.in_(numbers))).all())
    if missing := [n for n in numbers if n not in managers]:
        raise ApiError(422, details=[{"field": "managers", "message": _("No person has employee number %(no)s.", no=n)}
                                     for n in missing])
    team = db.session.scalar(select(Team).options(selectinload(Team.managers))
                             .where(func.lower(Team.name) == name.lower()))
    if team is not None and (team.description, sorted(u.employee_no for u in team.managers)) == (item.description, numbers):
        return "unchanged", team
    try:
        saved = save_team(team, team.name if team else name, item.description, [managers[n] for n in numbers])
    except DomainError as exc:
        raise ApiError(422 if exc.field == "managers" else 409,
                       details=[{"field": exc.field, "message": str(exc.message)}]) from exc
    return ("created" if team is None else "changed"), saved
