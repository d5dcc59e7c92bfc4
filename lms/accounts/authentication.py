"""Logging in: who an identifier names, whether a password matches, and throttling of guesses."""

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from lms.accounts.identifiers import normalise_identifier, without_nul
from lms.accounts.login_log import logged_in, login_failed
from lms.accounts.models import LoginFailure, User
from lms.accounts.sessions import start_session
from lms.db import db, keep_despite_refusal, utcnow
from lms.errors import DomainError

# A hash of a random password: comparing against it when no account matches costs the same time as a
# real check, so timing does not tell whether an account exists.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


class LoginThrottled(DomainError):
    pass


class LoginRefused(DomainError):
    """Wrong identifier, password, or an inactive account: the same words whichever it was."""


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
    """The account an employee number or e-mail names, in any width or case."""
    ident = without_nul(normalise_identifier(identifier))
    if not ident:
        return None
    if "@" in ident:
        return db.session.scalar(select(User).where(User.email == ident))
    return db.session.scalar(select(User).where(User.employee_no == ident.upper()))


def authenticate(identifier: str, password: str, ip: str) -> User | None:
    """Return the user whose employee number or e-mail and password match, or None.

    Raises LoginThrottled after too many recent failures for the identifier or the address, whether
    or not such an account exists. Every attempt goes to the server log and the audit log (login_log).
    """
    typed = normalise_identifier(identifier)[:254]
    ident = without_nul(typed)  # the log line shows a NUL escaped; the database gets U+FFFD
    if _is_throttled(ident, ip):
        login_failed(typed, ip, throttled=True)
        keep_despite_refusal()  # the refused attempt stays in the audit log
        raise LoginThrottled(_("Too many failed attempts. Wait a few minutes and try again."))
    user = find_user_by_identifier(ident)
    ok = check_password_hash(user.password_hash if user and user.password_hash else _DUMMY_HASH, password)
    if user is None or not user.password_hash or not ok or not user.is_active:
        db.session.add(LoginFailure(identifier=ident, ip=ip[:64]))
        login_failed(typed, ip)
        # Old rows are useless once outside the window; trim them as we go.
        db.session.execute(delete(LoginFailure).where(LoginFailure.at < _failure_window_start()))
        keep_despite_refusal()  # the count of failures is what throttles the next attempts
        return None
    db.session.execute(delete(LoginFailure).where(LoginFailure.identifier == ident))
    user.last_login_at = utcnow()
    logged_in(user, ip)
    return user


def log_in(identifier: str, password: str, ip: str, remember: bool, user_agent: str = "") -> User:
    """Check the credentials and open a session; LoginThrottled or LoginRefused (the failure is kept)."""
    user = authenticate(identifier, password, ip)
    if user is None:
        raise LoginRefused(_("The employee number, e-mail or password is not correct."), field="password")
    start_session(user, remember=remember, user_agent=user_agent)
    return user
