"""Logins reach the server log (one escaped line each) and the audit log (issue 12, item 10)."""

import logging
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from lms.accounts.login_log import log_value
from lms.audit.models import AuditEvent
from lms.db import db
from tests.factories import Factory

FIELD = r'"((?:[^"\\]|\\.)*)"'
FAILED_LINE = re.compile(rf"^login (failed|throttled): identifier={FIELD} ip={FIELD}$")


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.extend(self.format(record).splitlines() or [""])


@pytest.fixture
def log_lines():
    handler = _Lines()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("lms.logins")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def _events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_successful_login_is_one_line_and_an_audit_event_by_the_user(client, make, log_lines):
    user = make.user(employee_no="A777")
    assert client.post("/login", data={"identifier": "a777", "password": Factory.PASSWORD}).status_code == 302
    assert log_lines == [f'login succeeded: user="A777" id={user.id} ip="127.0.0.1"']
    [event] = _events("login.succeeded")
    assert event.actor_id == user.id and event.object_id == str(user.id) and event.ip == "127.0.0.1"


def test_a_failed_login_cannot_forge_a_log_line(client, make, log_lines):
    make.user(employee_no="A001")
    forged = 'x" ip="10.0.0.1"\nlogin succeeded: user="A001" id=1 ip="127.0.0.1"\u2028\u202e'
    response = client.post("/login", data={"identifier": forged, "password": "wrong-password"})
    assert response.status_code == 200
    assert len(log_lines) == 1
    match = FAILED_LINE.match(log_lines[0])
    assert match and match.group(3) == "127.0.0.1"
    assert "\\x0a" in match.group(2) and "\\u2028" in match.group(2) and "\\u202e" in match.group(2)
    [event] = _events("login.failed")
    assert event.actor_id is None and event.after["identifier"].startswith('x" ip=')


def test_throttled_attempts_are_logged_and_kept_in_the_audit_log(app, client, make, log_lines):
    user = make.user()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"identifier": user.employee_no, "password": "wrong-password"})
    assert client.post("/login", data={"identifier": user.employee_no, "password": Factory.PASSWORD}).status_code == 429
    assert len(_events("login.failed")) == app.config["LOGIN_MAX_FAILURES"]
    assert [e.object_id for e in _events("login.throttled")] == [user.employee_no.casefold()]
    assert log_lines[-1].startswith("login throttled: ")
    assert len(log_lines) == app.config["LOGIN_MAX_FAILURES"] + 1


@given(st.text(max_size=200))
def test_a_logged_value_is_one_quoted_field_on_one_line(text):
    field = log_value(text)
    assert field.splitlines() == [field]
    assert not any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp", "Cs"} for ch in field)
    line = f"login failed: identifier={field} ip={log_value('1.2.3.4')}"
    match = FAILED_LINE.match(line)
    assert match and match.group(3) == "1.2.3.4"
    # Unescaping the field gives back what was typed (up to the length limit).
    unescaped = re.sub(r'\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|.)',
                       lambda m: chr(int(m.group(1)[1:], 16)) if len(m.group(1)) > 1 else m.group(1), match.group(2))
    assert unescaped == text[:120]


def test_a_nul_in_the_login_name_is_a_failed_login_not_an_error(client, make, log_lines):
    response = client.post("/login", data={"identifier": "A\x00001", "password": "wrong-password"})
    assert response.status_code == 200
    assert log_lines and "\\x00" in log_lines[-1]
