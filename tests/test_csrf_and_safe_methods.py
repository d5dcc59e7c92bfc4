"""Every state-changing route refuses a missing or wrong CSRF token, and no GET changes state."""

import pytest
from sqlalchemy import select

from lms.access import rule_for_endpoint
from lms.db import db
from tests.conftest import Auth
from tests.test_access_matrix import _url, world  # noqa: F401  (fixture)


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def _post_rules(app):
    for rule in app.url_map.iter_rules():
        access = rule_for_endpoint(rule.endpoint)
        if "POST" in rule.methods and access is not None and access.kind != "token":
            yield rule


def test_posts_without_or_with_a_wrong_token_are_refused(csrf_app, world):  # noqa: F811
    people, values = world
    client = csrf_app.test_client()
    # Log in with a real token first (the login form itself is protected too).
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert client.post("/login", data={"identifier": "nobody", "password": "x"}).status_code == 400
    response = client.post("/login", data={"identifier": people["admin"].employee_no,
                                           "password": "correct-horse-battery", "csrf_token": token})
    assert response.status_code == 302
    checked = 0
    for rule in _post_rules(csrf_app):
        url = _url(csrf_app, rule, values)
        for data in ({}, {"csrf_token": "forged"}):
            status = client.post(url, data=data).status_code
            assert status == 400, f"POST {url} with {data}: {status}"
            checked += 1
    assert checked >= 10


# Reading someone else's results is audited by rule: those rows are the only writes a GET may make.
AUDITED_READS = {"attempt.viewed", "certification.transcript_read", "audit.exported", "board.person_read",
                 "board.exported", "privacy.exported"}


def _fingerprint():
    state = {}
    for table in db.metadata.sorted_tables:
        stmt = select(table)
        if table.name == "audit_events":
            stmt = stmt.where(table.c.action.not_in(AUDITED_READS))
        rows = db.session.execute(stmt).all()
        state[table.name] = sorted(map(repr, rows))
    return state


@pytest.mark.parametrize("who", ["learner", "trainer", "manager", "admin"])
def test_no_get_changes_state(app, world, who):  # noqa: F811
    people, values = world
    client = app.test_client()
    Auth(client).login(people[who])
    db.session.rollback()
    # The issuer's first signing key is made once, on first need, in a transaction of its own (a task that
    # pages signing a credential run): made here first, so every GET below must leave everything alone.
    from lms.certification.credential_signing import signing_key

    signing_key()
    db.session.rollback()
    before = _fingerprint()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if rule_for_endpoint(rule.endpoint).kind == "token":
            continue
        client.get(_url(app, rule, values))
    db.session.rollback()
    assert _fingerprint() == before
