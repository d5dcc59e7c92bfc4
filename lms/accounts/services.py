"""Accounts: authentication, sessions, password tokens, users, roles and teams."""

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from blinker import Namespace
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from lms.accounts.models import (
    Locale,
    LoginFailure,
    PasswordToken,
    Role,
    Team,
    TokenPurpose,
    User,
    UserRole,
    UserSession,
)
from lms.audit.services import record_event
from lms.db import db, keep_despite_refusal, utcnow
from lms.errors import DomainError
from lms.mail import send_mail
from lms.urls import external_url

signals = Namespace()
# Sent with the list of new users after they are flushed (onboarding paths subscribe to it).
users_created = signals.signal("users-created")

# A hash of a random password: comparing against it when no account matches costs the same time as a
# real check, so timing does not tell whether an account exists.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


class LoginThrottled(DomainError):
    pass


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def normalise_identifier(value: str) -> str:
    """Fold full-width characters and case so ＡＢ１２３ and ab123 name the same account."""
    return unicodedata.normalize("NFKC", value or "").strip().casefold()


def normalise_email(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip().lower()


def normalise_employee_no(value: str) -> str:
    """Employee numbers are kept upper-case with full-width characters folded (Ａ００１ → A001)."""
    return unicodedata.normalize("NFKC", value or "").strip().upper()


# ---------------------------------------------------------------- authentication and sessions


def _failure_window_start():
    return utcnow() - timedelta(minutes=int(current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"]))


def _is_throttled(identifier: str, ip: str) -> bool:
    since = _failure_window_start()
    by_identifier = db.session.scalar(
        select(func.count()).select_from(LoginFailure)
        .where(LoginFailure.identifier == identifier, LoginFailure.at >= since)
    )
    if by_identifier >= int(current_app.config["LOGIN_MAX_FAILURES"]):
        return True
    by_ip = db.session.scalar(
        select(func.count()).select_from(LoginFailure).where(LoginFailure.ip == ip, LoginFailure.at >= since)
    )
    return by_ip >= int(current_app.config["LOGIN_MAX_FAILURES_PER_IP"])


def find_user_by_identifier(identifier: str) -> User | None:
    ident = normalise_identifier(identifier)
    if not ident:
        return None
    if "@" in ident:
        return db.session.scalar(select(User).where(User.email == ident))
    return db.session.scalar(select(User).where(User.employee_no == ident.upper()))


def authenticate(identifier: str, password: str, ip: str) -> User | None:
    """Return the user whose employee number or e-mail and password match, or None.

    Raises LoginThrottled after too many recent failures for the identifier or the address, whether
    or not such an account exists.
    """
    ident = normalise_identifier(identifier)[:254]
    if _is_throttled(ident, ip):
        raise LoginThrottled(_("Too many failed attempts. Wait a few minutes and try again."))
    user = find_user_by_identifier(ident)
    ok = check_password_hash(user.password_hash if user and user.password_hash else _DUMMY_HASH, password)
    if user is None or not user.password_hash or not ok or not user.is_active:
        db.session.add(LoginFailure(identifier=ident, ip=ip[:64]))
        # Old rows are useless once outside the window; trim them as we go.
        db.session.execute(delete(LoginFailure).where(LoginFailure.at < _failure_window_start()))
        keep_despite_refusal()  # the count of failures is what throttles the next attempts
        return None
    db.session.execute(delete(LoginFailure).where(LoginFailure.identifier == ident))
    user.last_login_at = utcnow()
    return user


def start_session(user: User, remember: bool, user_agent: str = "") -> str:
    """Create a server-side session row and return its raw token (kept only in the signed cookie)."""
    raw = secrets.token_urlsafe(32)
    lifetime = (
        timedelta(days=int(current_app.config["REMEMBER_DAYS"])) if remember
        else timedelta(hours=int(current_app.config["SESSION_HOURS"]))
    )
    db.session.add(UserSession(
        user_id=user.id, token_hash=hash_token(raw), expires_at=utcnow() + lifetime,
        remember=remember, user_agent=(user_agent or "")[:200],
    ))
    user.session_token = raw
    return raw


def load_session_user(raw: str) -> User | None:
    """The active user of a live session token, or None (logged out, expired, deactivated)."""
    if not raw or len(raw) > 128:
        return None
    # Every request runs this: one plain statement; the roles load only when a page asks for them.
    row = db.session.execute(
        select(UserSession.expires_at, User).join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == hash_token(raw))
    ).first()
    if row is None:
        return None
    expires_at, user = row
    if expires_at <= utcnow() or not user.is_active:
        return None
    user.session_token = raw
    return user


def end_session(raw: str | None) -> None:
    if raw:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == hash_token(raw)))


def end_all_sessions(user: User, keep: str | None = None) -> None:
    stmt = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        stmt = stmt.where(UserSession.token_hash != hash_token(keep))
    db.session.execute(stmt)


# ---------------------------------------------------------------- passwords


def validate_password(password: str, user: User | None = None) -> None:
    minimum = int(current_app.config["PASSWORD_MIN_LENGTH"])
    if len(password or "") < minimum:
        raise DomainError(_("Use at least %(n)d characters.", n=minimum), field="password")
    if len(password) > 256:
        raise DomainError(_("Use at most 256 characters."), field="password")
    if user is not None and normalise_identifier(password) in {
        normalise_identifier(user.employee_no), normalise_identifier(user.email)
    }:
        raise DomainError(_("The password must not be your employee number or e-mail."), field="password")


def set_password(user: User, password: str, keep_session: str | None = None) -> None:
    """Set a new password and end every other session of the user."""
    validate_password(password, user)
    user.password_hash = generate_password_hash(password, method=current_app.config.get(
        "PASSWORD_HASH_METHOD", "scrypt"))
    user.password_changed_at = utcnow()
    end_all_sessions(user, keep=keep_session)
    record_event("user.password_changed", "user", user.id, summary=user.employee_no, actor=user)


def change_password(user: User, current: str, new: str) -> None:
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        raise DomainError(_("The current password is not correct."), field="current_password")
    set_password(user, new, keep_session=user.session_token)


def _issue_password_token(user: User, purpose: TokenPurpose) -> str:
    raw = secrets.token_urlsafe(32)
    lifetime = (
        timedelta(hours=int(current_app.config["PASSWORD_RESET_HOURS"])) if purpose == TokenPurpose.RESET
        else timedelta(days=int(current_app.config["INVITATION_DAYS"]))
    )
    # A new token replaces any unused one of the same purpose.
    db.session.execute(delete(PasswordToken).where(
        PasswordToken.user_id == user.id, PasswordToken.purpose == purpose, PasswordToken.used_at.is_(None)))
    db.session.add(PasswordToken(user_id=user.id, token_hash=hash_token(raw), purpose=purpose,
                                 expires_at=utcnow() + lifetime))
    return raw


def request_password_reset(identifier: str) -> None:
    """E-mail a single-use reset link if the identifier names an active account; silent otherwise."""
    user = find_user_by_identifier(identifier)
    if user is None or not user.is_active:
        return
    raw = _issue_password_token(user, TokenPurpose.RESET)
    hours = int(current_app.config["PASSWORD_RESET_HOURS"])
    with force_locale(str(user.locale)):
        subject = _("Reset your password")
        body = _(
            "Hello %(name)s,\n\nSomeone asked to reset the password of your training account (%(no)s).\n"
            "Open this link within %(hours)d hours to choose a new password:\n\n%(link)s\n\n"
            "If it was not you, ignore this message; your password stays as it is.",
            name=user.name, no=user.employee_no, hours=hours,
            link=external_url("accounts.reset_password", token=raw),
        )
    send_mail(user.email, subject, body)


def send_invitation(user: User) -> None:
    """E-mail a link with which a new user chooses their first password."""
    raw = _issue_password_token(user, TokenPurpose.INVITE)
    days = int(current_app.config["INVITATION_DAYS"])
    with force_locale(str(user.locale)):
        subject = _("Your training account is ready")
        body = _(
            "Hello %(name)s,\n\nAn account on the training platform has been created for you.\n"
            "Log in with your employee number %(no)s after choosing a password with this link "
            "(valid for %(days)d days):\n\n%(link)s\n",
            name=user.name, no=user.employee_no, days=days,
            link=external_url("accounts.reset_password", token=raw),
        )
    send_mail(user.email, subject, body)


def find_valid_token(raw: str) -> PasswordToken | None:
    if not raw or len(raw) > 128:
        return None
    token = db.session.scalar(select(PasswordToken).where(PasswordToken.token_hash == hash_token(raw)))
    if token is None or token.used_at is not None or token.expires_at <= utcnow() or not token.user.is_active:
        return None
    return token


def reset_password(raw: str, password: str) -> User:
    """Use a reset or invitation token once to set a password."""
    token = find_valid_token(raw)
    if token is None:
        raise DomainError(_("This link has expired or has already been used. Ask for a new one."))
    set_password(token.user, password)
    token.used_at = utcnow()
    return token.user


# ---------------------------------------------------------------- users


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
        validate_password(password, user)
        user.password_hash = generate_password_hash(
            password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))
        user.password_changed_at = utcnow()
    record_event("user.created", "user", user.id, summary=user.employee_no, after=_user_state(user))
    if invite and not password:
        send_invitation(user)
    users_created.send(current_app._get_current_object(), users=[user])
    return user


def update_user(user: User, data: UserData, acting_user: User | None = None) -> User:
    """Apply an admin's edit; removing one's own admin role or deactivating oneself is refused."""
    _check_unique(data, user.id)
    if acting_user is not None and acting_user.id == user.id:
        if Role.ADMIN not in data.roles:
            raise DomainError(_("You cannot remove your own administrator role."), field="roles")
        if not data.is_active:
            raise DomainError(_("You cannot deactivate your own account."), field="is_active")
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
    if user.id == acting_user.id and not active:
        raise DomainError(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return
    user.is_active = active
    if not active:
        end_all_sessions(user)
    record_event("user.activated" if active else "user.deactivated", "user", user.id, summary=user.employee_no,
                 before={"is_active": not active}, after={"is_active": active})


def _prefix(column, prefix: str):
    # A range rather than LIKE 'x%': both SQLite and PostgreSQL serve it from the column's index.
    return and_(column >= prefix, column < prefix + "\U0010ffff")


def where_user_matches(stmt, text: str):
    """Narrow a users query by what someone typed: an e-mail or employee-number prefix (indexed), or
    part of a name."""
    q = unicodedata.normalize("NFKC", text or "").strip()
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
    status: str = "active"  # active | inactive | all


def search_users(flt: UserFilter, page: int, per_page: int = 50):
    """One page of users matching a free-text query, team, role and status."""
    stmt = select(User).options(selectinload(User.team), selectinload(User.role_rows)).order_by(User.employee_no)
    stmt = where_user_matches(stmt, flt.q)
    if flt.team_id:
        stmt = stmt.where(User.team_id == flt.team_id)
    if flt.team_name:
        stmt = stmt.join(Team, Team.id == User.team_id).where(func.lower(Team.name) == flt.team_name.lower())
    if flt.role:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == flt.role)))
    if flt.status == "active":
        stmt = stmt.where(User.is_active.is_(True))
    elif flt.status == "inactive":
        stmt = stmt.where(User.is_active.is_(False))
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)


# ---------------------------------------------------------------- teams


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
        stmt = stmt.where(func.lower(Team.name).like(f"%{q.lower()}%"))
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


def users_with_role(role: Role) -> list[User]:
    return list(db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == role, User.is_active.is_(True)).order_by(User.name)))


def user_ids_for_employee_nos(employee_nos: list[str]) -> list[int]:
    """Ids of the users with these employee numbers; DomainError (field ``people``) naming any unknown."""
    wanted = {normalise_employee_no(n) for n in employee_nos if n.strip()}
    if not wanted:
        return []
    found = dict(db.session.execute(select(User.employee_no, User.id).where(User.employee_no.in_(wanted))).all())
    missing = sorted(wanted - set(found))
    if missing:
        raise DomainError(_("No one has the employee number %(nos)s.", nos="、".join(missing)), field="people")
    return list(found.values())
