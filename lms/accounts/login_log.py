"""Logins in the server log and the audit log.

Every attempt writes one line to the ``lms.logins`` logger (standard error, so gunicorn's error log) and
one audit event: ``login.succeeded``, ``login.failed`` or ``login.throttled``. What a visitor typed is
escaped before it reaches the log: no newline, control or format character can start a forged line or
hide part of one, and quotes cannot open a field of their own.
"""

import logging
import sys
import unicodedata

from lms.audit.services import record_event

logger = logging.getLogger("lms.logins")
if not logger.handlers:
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(_handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False

# Characters that could end a line or change how the rest of it reads (controls, formats such as the
# bidi overrides, line and paragraph separators), and the two that delimit a field.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
LOG_VALUE_LIMIT = 120


def log_value(value: str | None) -> str:
    """``value`` as one double-quoted field: backslash, quote and every unsafe character escaped."""
    text = (value or "")[:LOG_VALUE_LIMIT]
    out = []
    for ch in text:
        if ch in '\\"':
            out.append("\\" + ch)
        elif unicodedata.category(ch) in _UNSAFE_CATEGORIES:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def logged_in(user, ip: str) -> None:
    logger.info("login succeeded: user=%s id=%d ip=%s", log_value(user.employee_no), user.id, log_value(ip))
    record_event("login.succeeded", "user", user.id, actor=user)


def login_failed(identifier: str, ip: str, *, throttled: bool = False) -> None:
    """A refused attempt; the identifier is what was typed (folded), whether or not an account has it."""
    action = "login.throttled" if throttled else "login.failed"
    logger.warning("login %s: identifier=%s ip=%s", action[6:], log_value(identifier), log_value(ip))
    stored = identifier.replace("\x00", "\ufffd")  # the log line keeps the NUL escaped; a database cannot
    record_event(action, "account", stored[:64], after={"identifier": stored[:254]}, actor=None)
