"""The mentoring pages, and the homes, board and to-do list with mentoring on them, run a fixed number of
statements whatever the number of mentees, entries, check-ins and sign-offs."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.db import db
from lms.mentoring import log, relations
from lms.mentoring.models import MentoringPlan
from lms.timeutil import local_today
from tests.conftest import Auth
from tests.test_query_counts import counting

# A minute turning between two builds of a page would make one count more statements (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("cache_minute_held")


def _world(make, mentees: int):
    make.content()
    manager = make.user(Role.MANAGER)
    team = make.team(managers=[manager])
    mentor = make.user(team=team, hire_date=local_today() - timedelta(days=900))
    plan = db.session.scalar(select(MentoringPlan))
    first = None
    for n in range(mentees):
        hire = make.user(team=team, hire_date=local_today() - timedelta(days=35))
        mentorship = relations.choose_mentor(hire, plan, mentor.id, manager)
        for day in range(n + 1):
            log.add_entry(mentorship, hire, "listened", local_today() - timedelta(days=day), "phone", "", ["4.1.1-a"])
        if n:
            log.record_check_in(mentorship, mentor, 7, "on_track", "好")
            log.sign_off_item(mentorship, mentor, "4.1.1-a", "")
        first = first or (hire, mentorship)
        db.session.commit()
    return {"manager": manager, "mentor": mentor, "mentee": first[0], "trainer": make.user(Role.TRAINER)}, first[1].id


def _counts(app, people, mentorship_id):
    pages = [("mentor", "/"), ("mentee", "/"), ("mentor", "/mentoring/"), ("manager", "/mentoring/"),
             ("trainer", "/mentoring/"), ("mentor", f"/mentoring/{mentorship_id}"),
             ("manager", f"/mentoring/{mentorship_id}"), ("mentor", "/todo"), ("manager", "/board/")]
    counts = {}
    for role, url in pages:
        client = app.test_client()
        Auth(client).login(people[role])
        with counting() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[(role, url.replace(str(mentorship_id), "id"))] = len(statements)
    return counts


def test_statement_counts_do_not_grow_with_mentoring(app, make):
    small = _counts(app, *_world(make, 1))
    from tests.conftest import _reset_database

    _reset_database()
    large = _counts(app, *_world(make, 6))
    assert {page: (small[page], large[page]) for page in small if large[page] > small[page]} == {}
