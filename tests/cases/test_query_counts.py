"""The case pages run a fixed number of SQL statements, however many cases and items there are."""

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.cases import authoring, review
from lms.cases.authoring import CaseData
from lms.db import db
from lms.standards.models import StandardItem
from tests.conftest import Auth
from tests.test_query_counts import counting

# A minute turning between two builds of a page would make one count more statements (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("cache_minute_held")


def _world(make, n: int):
    make.content()
    people = {"learner": make.user(Role.LEARNER), "trainer": make.user(Role.TRAINER),
              "reviewer": make.user(Role.TRAINER)}
    codes = list(db.session.scalars(select(StandardItem.code).order_by(StandardItem.code)))
    for i in range(n):
        data = CaseData(f"案例{i}", "phone", "professional", "客戶來電詢問", "先聆聽", "解決了", "值得學習",
                        codes[: 1 + i % len(codes)])
        case = authoring.save_case(people["learner"], None, data, submit=True)
        if i % 2:
            review.publish_case(case.id, data, people["reviewer"])
    db.session.commit()
    return people


PAGES = [("learner", "/cases/"), ("learner", "/cases/?channel=phone&item=4.1.1-a"), ("learner", "/cases/mine"),
         ("learner", "/search/?q=案例"), ("trainer", "/cases/manage/"), ("trainer", "/todo"),
         ("learner", "/cases/new")]


def _counts(app, people):
    counts = {}
    for role, url in PAGES:
        client = app.test_client()
        Auth(client).login(people[role])
        with counting() as statements:
            assert client.get(url).status_code == 200, url
        counts[url, role] = len(statements)
    return counts


@pytest.mark.parametrize("extra", [9])
def test_statement_counts_do_not_grow_with_cases(app, make, extra):
    small = _counts(app, _world(make, 1))
    from tests.conftest import _reset_database

    _reset_database()
    large = _counts(app, _world(make, 1 + extra))
    assert {page: (small[page], large[page]) for page in small if large[page] > small[page]} == {}
