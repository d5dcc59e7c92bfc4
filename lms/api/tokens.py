"""Creating, finding, listing and revoking API tokens. The secret is shown once, at creation; only its
SHA-256 is stored (a 256-bit random secret needs no slow hash: nothing can be guessed from the digest)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.accounts.models import Role, User
from lms.api.models import ApiToken, TokenKind
from lms.api.scopes import ALL_SCOPES, allowed_scopes
from lms.audit.services import record_event
from lms.db import db, found, utcnow
from lms.errors import DomainError

PREFIXES = {TokenKind.PERSONAL: "lms_pat_", TokenKind.SERVICE: "lms_svc_"}
SHOWN_PREFIX = 14  # "lms_pat_" and six characters of the secret
MAX_DAYS = 366
USE_RECORDED_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _check(name: str, scopes: list[str], expires_on: date, most: frozenset[str]) -> list[str]:
    if not name.strip():
        raise DomainError(_("Give the token a name that says what it is for."), field="name")
    wanted = sorted(set(scopes))
    if not wanted:
        raise DomainError(_("Choose at least one permission."), field="scopes")
    if unknown := [s for s in wanted if s not in ALL_SCOPES or s not in most]:
        raise DomainError(_("These permissions are beyond what the token may have: %(scopes)s",
                            scopes=", ".join(unknown)), field="scopes")
    today = utcnow().date()
    if not today < expires_on <= today + timedelta(days=MAX_DAYS):
        raise DomainError(_("Choose an expiry date within the next %(days)d days.", days=MAX_DAYS),
                          field="expires_on")
    return wanted


def create_token(kind: TokenKind, name: str, scopes: list[str], expires_on: date, creator: User) -> NewToken:
    """Make a token: a personal one for its creator, a service one (administrators only) acting under the
    administrator who made it."""
    if kind == TokenKind.SERVICE and not creator.has_role(Role.ADMIN):
        raise DomainError(_("Only administrators create service tokens."))
    wanted = _check(name, scopes, expires_on, allowed_scopes(creator))
    secret = PREFIXES[kind] + secrets.token_urlsafe(32)
    token = ApiToken(kind=kind, name=name.strip()[:100], prefix=secret[:SHOWN_PREFIX], secret_hash=hash_secret(secret),
                     scopes=wanted, user_id=creator.id, created_by_id=creator.id, expires_on=expires_on)
    db.session.add(token)
    db.session.flush()
    record_event("api_token.created", "api_token", token.id, summary=f"{token.name} ({token.prefix}…)",
                 after={"kind": str(kind), "name": token.name, "scopes": wanted, "expires_on": expires_on})
    return NewToken(token, secret)


def revoke_token(token: ApiToken, actor: User) -> None:
    """Stop a token at once (its owner, or an administrator)."""
    if token.user_id != actor.id and not actor.has_role(Role.ADMIN):
        raise DomainError(_("You may revoke only your own tokens."))
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    record_event("api_token.revoked", "api_token", token.id, summary=f"{token.name} ({token.prefix}…)",
                 before={"revoked": False}, after={"revoked": True})


def find_token(secret: str) -> ApiToken | None:
    """The token with this secret, revoked or not, with the person it acts as."""
    if not secret or len(secret) > 200:
        return None
    return db.session.scalar(select(ApiToken).options(joinedload(ApiToken.user))
                             .where(ApiToken.secret_hash == hash_secret(secret)))


def token_problem(token: ApiToken) -> str | None:
    """Why a known token may not be used now ("revoked", "expired", "inactive"), or None."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_on < utcnow().date():
        return "expired"
    if not token.user.is_active:
        return "inactive"
    return None


def token_state(token: ApiToken) -> str:
    """What a token list shows: "active", "expired" or "revoked"."""
    if token.revoked_at is not None:
        return "revoked"
    return "expired" if token.expires_on < utcnow().date() else "active"


def effective_scopes(token: ApiToken) -> frozenset[str]:
    """The token's scopes that the person it acts as still holds."""
    return frozenset(token.scopes) & allowed_scopes(token.user)


def use_due(token: ApiToken) -> bool:
    return token.last_used_at is None or utcnow() - token.last_used_at >= USE_RECORDED_EVERY


def personal_tokens(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                          ApiToken.kind == TokenKind.PERSONAL)
                                   .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())))


def all_tokens() -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).options(joinedload(ApiToken.user))
                                   .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc()).limit(500)))


def get_token(token_id: int) -> ApiToken:
    return found(db.session.get(ApiToken, token_id), "token")
