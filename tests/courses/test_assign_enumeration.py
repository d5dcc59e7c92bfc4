"""The assignment form does not tell a manager which employee numbers exist (issue 12, item 11)."""

import re

import pytest
from sqlalchemy import event

from lms.accounts.models import Role
from lms.db import db


@pytest.fixture
def world(make, auth):
    make.content()
    manager = make.user(Role.MANAGER)
    team = make.team(managers=[manager])
    make.user(team=team, employee_no="MINE01")
    make.user(team=make.team(), employee_no="OUTS01")
    make.user(team=team, employee_no="GONE01", active=False)
    auth.login(manager)


def _refusal(client, number: str, shown: str | None = None) -> tuple[str, int]:
    """The message under the people field (with the number itself blanked) and the SQL statements run."""
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.post("/courses/assign", data={"course": "TST-101", "people": number})
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    errors = re.findall(r'class="field-error"[^>]*>(.*?)<', html) or re.findall(r'class="error[^"]*"[^>]*>(.*?)<', html)
    message = " ".join(errors)
    shown = shown or number
    assert shown in message, html[:3000]
    return message.replace(shown, "#"), len(statements)


def test_unknown_outsider_and_inactive_numbers_read_the_same(client, world):
    _refusal(client, "WARMUP9")  # the header's to-do count is then kept (lms/generations.py) for all three
    unknown, unknown_statements = _refusal(client, "NOBODY9")
    outsider, outsider_statements = _refusal(client, "OUTS01")
    inactive, inactive_statements = _refusal(client, "GONE01")
    assert unknown == outsider == inactive
    assert unknown_statements == outsider_statements == inactive_statements


def test_own_member_is_still_assigned(client, world):
    response = client.post("/courses/assign", data={"course": "TST-101", "people": "mine01"})
    assert response.status_code == 302


def test_control_characters_in_the_numbers_are_refused_like_any_unknown_number(client, world):
    message, _statements = _refusal(client, "MINE\x0001", shown="MINE\ufffd01")
    unknown, _statements = _refusal(client, "NOBODY9")
    assert message == unknown
