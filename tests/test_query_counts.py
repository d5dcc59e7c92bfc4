"""Pages run a fixed number of SQL statements, whatever the amount of data behind them."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from lms.accounts.models import Role
from lms.db import db
from lms.timeutil import local_today
from tests.conftest import Auth

# A minute turning between two builds of a page would make one count more statements (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("cache_minute_held")

PAGES = [
    ("learner", "/"),
    ("learner", "/courses/"),
    ("learner", "/courses/?q=投訴"),
    ("learner", "/courses/?tier=foundation"),
    ("learner", "/courses/mine"),
    ("learner", "/courses/TST-101"),
    ("learner", "/courses/TST-101/lessons/pickup"),
    ("learner", "/standards/"),
    ("learner", "/standards/4"),
    ("learner", "/standards/items/4.1.1-a"),
    ("learner", "/standards/search?q=投訴"),
    ("manager", "/courses/team"),
    ("manager", "/standards/coverage"),
    ("trainer", "/courses/manage/"),
    ("trainer", "/courses/manage/TST-101"),
    ("learner", "/certification/"),
    ("learner", "/certification/programmes/tst-cert"),
    ("manager", "/certification/team"),
    ("trainer", "/certification/team"),
    ("trainer", "/certification/reviews"),
    ("admin", "/admin/users"),
    ("admin", "/admin/teams"),
    ("admin", "/admin/audit/"),
    ("trainer", "/kpi/"),
    ("manager", "/kpi/import"),
    ("manager", "/kpi/team"),
    ("learner", "/todo"),
    ("trainer", "/todo"),
    ("manager", "/todo"),
    ("learner", "/classroom/"),
    ("trainer", "/classroom/"),
]


@contextmanager
def counting():
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _world(make, extra_members: int):
    make.content()
    manager = make.user(Role.MANAGER)
    team = make.team(managers=[manager])
    learner = make.user(team=team)
    people = {"learner": learner, "manager": manager, "trainer": make.user(Role.TRAINER),
              "admin": make.user(Role.ADMIN)}
    members = [learner] + [make.user(team=team) for _ in range(extra_members)]
    for i, member in enumerate(members):
        for code in ("TST-101", "TST-201")[: 1 + (i % 2) if extra_members else 1]:
            make.enrol(member, code, due=local_today() + timedelta(days=i - 3))
    return people


def _counts(app, people):
    counts = {}
    for role, url in PAGES:
        client = app.test_client()
        Auth(client).login(people[role])
        with counting() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[(role, url)] = len(statements)
    return counts


@pytest.mark.parametrize("extra", [12])
def test_statement_counts_do_not_grow_with_data(app, make, extra):
    small = _counts(app, _world(make, 0))
    from tests.conftest import _reset_database

    _reset_database()
    large = _counts(app, _world(make, extra))
    grown = {page: (small[page], large[page]) for page in small if large[page] > small[page]}
    assert grown == {}
