"""The board runs a fixed number of statements, whatever the size of the team."""

from datetime import timedelta

import pytest

from lms.accounts.models import Role, User
from lms.db import db
from lms.timeutil import local_today
from tests.board.conftest import add_people, call_result, certify, client_for, exam_result, observed
from tests.test_query_counts import counting

# A minute turning between two builds of a page would make one count more statements (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("cache_minute_held")


def _team_of(make, size: int, prefix: str):
    manager = make.user(Role.MANAGER)
    team = make.team(f"{prefix}組", managers=[manager])
    ids = add_people(team, size, prefix)
    for n, user_id in enumerate(ids):
        user = db.session.get(User, user_id)
        make.enrol(user, "TST-101", due=local_today() + timedelta(days=n - 2))
        if n % 2 == 0:
            exam_result(user, 50 + n)
            call_result(user, 60 + n)
            observed(user, 70)
            certify(user, 10 + n)
    return manager


def _statements(app, manager, url: str) -> int:
    client = client_for(app, manager)
    with counting() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_a_team_of_3_and_a_team_of_30_run_the_same_statements(app, make):
    make.content()
    small, large = _team_of(make, 3, "Q"), _team_of(make, 30, "R")
    # What every board shares (the choices of courses and programmes) is kept once read (lms/generations.py):
    # read it first, with filters not measured below, so that both teams' boards are built the same way (each
    # manager's own to-do count likewise).
    for manager in (small, large):
        _statements(app, manager, "/board/?status=complete")
    for url in ("/board/", "/board/?status=overdue&sort=expiry", "/board/?expiring=30&sort=overdue"):
        assert _statements(app, small, url) == _statements(app, large, url), url
