"""How people and secrets are named in the database: folded identifiers and hashed tokens."""

import hashlib
import unicodedata


def normalise_identifier(value: str) -> str:
    """Fold full-width characters and case so ＡＢ１２３ and ab123 name the same account."""
    return unicodedata.normalize("NFKC", value or "").strip().casefold()


def without_nul(value: str) -> str:
    """What a person typed, fit for a query: PostgreSQL text holds no NUL, and no name or number has one,
    so it becomes U+FFFD (which matches nothing) instead of failing the request."""
    return (value or "").replace("\x00", "\ufffd")


def normalise_email(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip().lower()


def normalise_employee_no(value: str) -> str:
    """Employee numbers are kept upper-case with full-width characters folded (Ａ００１ → A001)."""
    return unicodedata.normalize("NFKC", value or "").strip().upper()


def hash_token(raw: str) -> str:
    """The form a session or password token is stored in: the raw token lives only with its holder."""
    return hashlib.sha256(raw.encode()).hexdigest()
