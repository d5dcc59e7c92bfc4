"""Signing a delivery and checking a signature (pure), and the retry schedule.

The header ``LMS-Signature: t=<unix seconds>,v1=<hex>`` carries HMAC-SHA256 over ``"<t>.<body>"`` with
the endpoint's secret (the scheme Stripe and others use): a receiver recomputes it over the raw body, compares
in constant time, and refuses a timestamp too far from its clock (a replayed request). docs/webhooks.md
shows a receiver's check in a few lines of Python.
"""

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "LMS-Signature"
EVENT_ID_HEADER = "LMS-Event-Id"
EVENT_TYPE_HEADER = "LMS-Event-Type"
TOLERANCE_SECONDS = 300
# Seconds to wait after the 1st, 2nd … failed attempt; after the last, the delivery is given up.
BACKOFF_SECONDS = (60, 5 * 60, 30 * 60, 2 * 3600, 12 * 3600)
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>.<body>"``."""
    message = str(int(timestamp)).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={int(timestamp)},v1={signature(secret, timestamp, body)}"


def parse_header(header: str) -> tuple[int | None, list[str]]:
    """(timestamp, v1 signatures) of a signature header; (None, []) when it cannot be read."""
    timestamp, signatures = None, []
    for part in (header or "").split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1" and value:
            signatures.append(value)
    return timestamp, signatures


def verify(secret: str, header: str, body: bytes, now: float, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """Whether the header signs this body with this secret, at a time within ``tolerance`` of ``now``."""
    timestamp, signatures = parse_header(header)
    if timestamp is None or abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, given) for given in signatures)


def retry_delay(attempts_made: int) -> int | None:
    """Seconds until the next attempt after this many failed ones, or None: give up."""
    if 1 <= attempts_made <= len(BACKOFF_SECONDS):
        return BACKOFF_SECONDS[attempts_made - 1]
    return None
