"""Passwords: the rules a password follows, changing one, and the single-use links that reset a
password or invite a new user to choose one."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from lms.accounts.authentication import find_user_by_identifier
from lms.accounts.identifiers import hash_token, normalise_identifier
from lms.accounts.models import PasswordToken, TokenPurpose, User
from lms.accounts.sessions import end_all_sessions
from lms.audit.services import record_event
from lms.db import db, utcnow
from lms.errors import DomainError
from lms.mail import send_mail
from lms.urls import external_url


def validate_password(password: str, user: User | None = None) -> None:
    """Refuse a password that is too short, too long, or the user's own employee number or e-mail."""
    minimum = int(current_app.config["PASSWORD_MIN_LENGTH"])
    if len(password or "") < minimum:
        raise DomainError(_("Use at least %(n)d characters.", n=minimum), field="password")
    if len(password) > 256:
        raise DomainError(_("Use at most 256 characters."), field="password")
    if user is not None and normalise_identifier(password) in {
        normalise_identifier(user.employee_no), normalise_identifier(user.email)
    }:
        raise DomainError(_("The password must not be your employee number or e-mail."), field="password")


def store_password(user: User, password: str) -> None:
    """Check the password against the rules and keep only its hash."""
    validate_password(password, user)
    user.password_hash = generate_password_hash(
        password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))
    user.password_changed_at = utcnow()


def set_password(user: User, password: str, keep_session: str | None = None) -> None:
    """Set a new password and end every other session of the user."""
    store_password(user, password)
    end_all_sessions(user, keep=keep_session)
    record_event("user.password_changed", "user", user.id, summary=user.employee_no, actor=user)


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password, proving the current one; the session doing it stays logged in."""
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        raise DomainError(_("The current password is not correct."), field="current_password")
    set_password(user, new, keep_session=user.session_token)


def _reset_hours() -> int:
    return int(current_app.config["PASSWORD_RESET_HOURS"])


def _invitation_days() -> int:
    return int(current_app.config["INVITATION_DAYS"])


@dataclass(frozen=True)
class PasswordLink:
    """One kind of single-use link: how long it works and the e-mail that carries it (the body's
    placeholders: name, no, link, hours, days)."""

    lifetime: Callable[[], timedelta]
    subject: LazyString
    body: LazyString


PASSWORD_LINKS = {
    TokenPurpose.RESET: PasswordLink(
        lambda: timedelta(hours=_reset_hours()), _l("Reset your password"), _l(
            "Hello %(name)s,\n\nSomeone asked to reset the password of your training account (%(no)s).\n"
            "Open this link within %(hours)d hours to choose a new password:\n\n%(link)s\n\n"
            "If it was not you, ignore this message; your password stays as it is.")),
    TokenPurpose.INVITE: PasswordLink(
        lambda: timedelta(days=_invitation_days()), _l("Your training account is ready"), _l(
            "Hello %(name)s,\n\nAn account on the training platform has been created for you.\n"
            "Log in with your employee number %(no)s after choosing a password with this link "
            "(valid for %(days)d days):\n\n%(link)s\n")),
}


def _issue_password_token(user: User, purpose: TokenPurpose) -> str:
    raw = secrets.token_urlsafe(32)
    # A new token replaces any unused one of the same purpose.
    db.session.execute(delete(PasswordToken).where(
        PasswordToken.user_id == user.id, PasswordToken.purpose == purpose, PasswordToken.used_at.is_(None)))
    db.session.add(PasswordToken(user_id=user.id, token_hash=hash_token(raw), purpose=purpose,
                                 expires_at=utcnow() + PASSWORD_LINKS[purpose].lifetime()))
    return raw


def _mail_password_link(user: User, purpose: TokenPurpose) -> None:
    """Issue a token and e-mail its link to the user, in the user's language."""
    kind = PASSWORD_LINKS[purpose]
    values = {"name": user.name, "no": user.employee_no, "hours": _reset_hours(), "days": _invitation_days(),
              "link": external_url("accounts.reset_password", token=_issue_password_token(user, purpose))}
    with force_locale(str(user.locale)):
        subject, body = str(kind.subject), str(kind.body) % values
    send_mail(user.email, subject, body)


def request_password_reset(identifier: str) -> None:
    """E-mail a single-use reset link if the identifier names an active account; silent otherwise."""
    user = find_user_by_identifier(identifier)
    if user is not None and user.is_active:
        _mail_password_link(user, TokenPurpose.RESET)


def send_invitation(user: User) -> None:
    """E-mail a link with which a new user chooses their first password."""
    _mail_password_link(user, TokenPurpose.INVITE)


def find_valid_token(raw: str) -> PasswordToken | None:
    """The unused, unexpired token of an active user that this raw link token names, or None."""
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
