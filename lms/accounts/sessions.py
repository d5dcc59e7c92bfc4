"""Server-side login sessions: one row per logged-in browser, ended on logout, password change or
deactivation."""

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from lms.accounts.identifiers import hash_token
from lms.accounts.models import User, UserSession
from lms.db import db, utcnow
from lms.generations import RESULTS, remember_current, results_token_column


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
    # Every request runs this: the user with their roles (every page's navigation asks for them) and the results
    # token, which the header's to-do count and every cached page need (lms/generations.py), in one statement.
    # The teams a manager manages load when a manager's page first asks for them (one indexed statement): loaded
    # here, they cost every learner's page a second statement on SQLite (a fifth of a course page's time) and
    # a join on PostgreSQL, for pages that never read them.
    row = db.session.execute(
        select(UserSession.expires_at, User, results_token_column()).join(User, User.id == UserSession.user_id)
        .options(joinedload(User.role_rows))
        .where(UserSession.token_hash == hash_token(raw))
    ).unique().first()
    if row is None:
        return None
    expires_at, user, results_token = row
    remember_current(RESULTS, results_token)
    if expires_at <= utcnow() or not user.is_active:
        return None
    user.session_token = raw
    return user


def end_session(raw: str | None) -> None:
    """End one session (logout)."""
    if raw:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == hash_token(raw)))


def end_all_sessions(user: User, keep: str | None = None) -> None:
    """Log the user out everywhere, except in the session ``keep`` (the one changing the password)."""
    stmt = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        stmt = stmt.where(UserSession.token_hash != hash_token(keep))
    db.session.execute(stmt)
