"""API reads run a fixed number of SQL statements, whatever the number of rows on the page."""

import pytest

from lms.accounts.models import Role
from lms.db import db
from tests.api.conftest import Api
from tests.test_query_counts import counting

# A minute turning between two builds of a page would make one count more statements (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("cache_minute_held")

READS = ["/users", "/teams", "/teams/甲組/members", "/assignments", "/progress", "/results/exams",
         "/results/calls", "/results/observations", "/certificates", "/surveys/results"]


def _members(make, team, n: int) -> None:
    for _ in range(n):
        make.enrol(make.user(Role.LEARNER, team=team), "TST-101")
    db.session.commit()


def _counts(client, secret):
    api, counts = Api(client, secret), {}
    for path in READS:
        api.get(path)  # the first request of a process loads what every later one reuses
        with counting() as statements:
            assert api.get(path).status_code == 200, path
        counts[path] = len(statements)
    return counts


def test_reads_do_not_grow_with_the_rows(client, make, token_for):
    make.content()
    team = make.team("甲組", managers=[make.user(Role.MANAGER)])
    secret = token_for(make.user(Role.ADMIN))
    _members(make, team, 2)
    few = _counts(client, secret)
    _members(make, team, 12)
    assert _counts(client, secret) == few
    assert max(few.values()) <= 12, few
