"""Users: creating, editing, activating and finding them."""

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from blinker import Namespace
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from lms.accounts.identifiers import normalise_email, normalise_employee_no, without_nul
from lms.accounts.models import Locale, Role, Team, User, UserRole
from lms.accounts.passwords import send_invitation, store_password
from lms.accounts.sessions import end_all_sessions
from lms.audit.services import record_event
from lms.db import db
from lms.errors import DomainError
from lms.generations import cached_results
from lms.pdf import printable_problem
from lms.privacy.models import Erasure

signals = Namespace()
# Sent with the list of new users after they are flushed (onboarding paths subscribe to it).
users_created = signals.signal("users-created")


@dataclass
class UserData:
    employee_no: str
    name: str
    email: str
    hire_date: date | None = None
    locale: Locale = Locale.ZH_HANT
    team_id: int | None = None
    roles: set[Role] = field(default_factory=lambda: {Role.LEARNER})
    is_active: bool = True


def _user_state(user: User) -> dict:
    return {
        "employee_no": user.employee_no, "name": user.name, "email": user.email,
        "hire_date": user.hire_date, "locale": str(user.locale), "team_id": user.team_id,
        "roles": sorted(user.roles), "is_active": user.is_active,
    }


def _check_unique(data: UserData, user_id: int | None) -> None:
    if problem := printable_problem(data.name):  # it would print reversed or as boxes on certificates
        raise DomainError(problem, field="name")
    clash = db.session.scalar(select(User).where(
        User.employee_no == normalise_employee_no(data.employee_no), User.id != (user_id or 0)))
    if clash:
        raise DomainError(_("Employee number %(no)s is already used.", no=data.employee_no), field="employee_no")
    clash = db.session.scalar(select(User).where(User.email == normalise_email(data.email),
                                                 User.id != (user_id or 0)))
    if clash:
        raise DomainError(_("E-mail %(email)s is already used.", email=data.email), field="email")


def create_user(data: UserData, password: str | None = None, invite: bool = False) -> User:
    """Create a user; with no password, optionally e-mail an invitation to choose one."""
    _check_unique(data, None)
    user = User(
        employee_no=normalise_employee_no(data.employee_no), name=data.name.strip(),
        email=normalise_email(data.email), hire_date=data.hire_date, locale=data.locale,
        team_id=data.team_id, is_active=data.is_active,
    )
    user.set_roles(data.roles or {Role.LEARNER})
    db.session.add(user)
    db.session.flush()
    if password:
        store_password(user, password)
    record_event("user.created", "user", user.id, summary=user.employee_no, after=_user_state(user))
    if invite and not password:
        send_invitation(user)
    users_created.send(current_app._get_current_object(), users=[user])
    return user


def _check_own_account(user: User, data: UserData, acting_user: User | None) -> None:
    if acting_user is None or acting_user.id != user.id:
        return
    if Role.ADMIN not in data.roles:
        raise DomainError(_("You cannot remove your own administrator role."), field="roles")
    if not data.is_active:
        raise DomainError(_("You cannot deactivate your own account."), field="is_active")


def _refuse_if_erased(user: User) -> None:
    # An erased person is a pseudonym that keeps results in reports (lms/privacy): never a login again.
    if db.session.scalar(select(Erasure.id).where(Erasure.user_id == user.id)) is not None:
        raise DomainError(_("This person's personal data has been erased: the account can no longer be "
                            "changed or reactivated."))


def update_user(user: User, data: UserData, acting_user: User | None = None) -> User:
    """Apply an admin's edit; removing one's own admin role or deactivating oneself is refused."""
    _refuse_if_erased(user)
    _check_unique(data, user.id)
    _check_own_account(user, data, acting_user)
    before = _user_state(user)
    user.employee_no = normalise_employee_no(data.employee_no)
    user.name = data.name.strip()
    user.email = normalise_email(data.email)
    user.hire_date = data.hire_date
    user.locale = data.locale
    user.team_id = data.team_id
    user.set_roles(data.roles)
    was_active, user.is_active = user.is_active, data.is_active
    if was_active and not user.is_active:
        end_all_sessions(user)
    after = _user_state(user)
    if after != before:
        action = "user.roles_changed" if before["roles"] != after["roles"] else "user.updated"
        record_event(action, "user", user.id, summary=user.employee_no, before=before, after=after)
    return user


def set_user_active(user: User, active: bool, acting_user: User) -> None:
    """Let a user log in again, or stop them (logging them out everywhere); never oneself."""
    if user.id == acting_user.id and not active:
        raise DomainError(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return
    if active:
        _refuse_if_erased(user)
    user.is_active = active
    if not active:
        end_all_sessions(user)
    record_event("user.activated" if active else "user.deactivated", "user", user.id, summary=user.employee_no,
                 before={"is_active": not active}, after={"is_active": active})


def set_locale(user: User, locale: str) -> None:
    """Remember the language a user chose."""
    user.locale = Locale(locale)


def _prefix(column, prefix: str):
    # A range rather than LIKE 'x%': both SQLite and PostgreSQL serve it from the column's index.
    return and_(column >= prefix, column < prefix + "\U0010ffff")


def where_user_matches(stmt, text: str):
    """Narrow a users query by what someone typed: an e-mail or employee-number prefix (indexed), or
    part of a name."""
    q = without_nul(unicodedata.normalize("NFKC", text or "").strip())
    if not q:
        return stmt
    if "@" in q:
        return stmt.where(_prefix(User.email, q.lower()))
    if q.isascii() and any(ch.isdigit() for ch in q) and q.replace("-", "").replace("_", "").isalnum():
        return stmt.where(_prefix(User.employee_no, q.upper()))
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return stmt.where(func.lower(User.name).like(f"%{escaped}%", escape="\\"))


@dataclass(frozen=True)
class UserFilter:
    q: str = ""
    team_name: str = ""
    team_id: int | None = None
    role: Role | None = None
    status: str = "active"  # a key of lms.accounts.labels.USER_STATUS_LABELS


_STATUS_CONDITIONS = {
    "active": User.is_active.is_(True),
    "inactive": User.is_active.is_(False),
}


def _filtered(stmt, flt: UserFilter):
    stmt = where_user_matches(stmt, flt.q)
    if flt.team_id:
        stmt = stmt.where(User.team_id == flt.team_id)
    if flt.team_name:
        stmt = stmt.join(Team, Team.id == User.team_id).where(func.lower(Team.name) == flt.team_name.lower())
    if flt.role:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == flt.role)))
    if flt.status in _STATUS_CONDITIONS:
        stmt = stmt.where(_STATUS_CONDITIONS[flt.status])
    return stmt


def search_users(flt: UserFilter, page: int, per_page: int = 50):
    """One page of users matching a free-text query, team, role and status."""
    stmt = select(User).options(selectinload(User.team), selectinload(User.role_rows)).order_by(User.employee_no)
    found = db.paginate(_filtered(stmt, flt), page=page, per_page=per_page, error_out=False, count=False)
    # The count reads every matching row (the whole users index unfiltered: it grew the page's time with the
    # organisation); it is kept while no result changes (lms/generations.py), like everyone's count on the
    # certification page.
    count = _filtered(select(func.count(User.id)), flt)
    found.total = cached_results(("user-count", flt.q, flt.team_id, flt.team_name, flt.role, flt.status),
                                 lambda: db.session.scalar(count))
    return found


def users_with_role(role: Role) -> list[User]:
    """The active users who hold a role, by name."""
    return list(db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == role, User.is_active.is_(True)).order_by(User.name)))

