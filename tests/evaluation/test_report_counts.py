"""The report pages run the same number of SQL statements whatever the number of learners behind them."""

from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.db import db
from lms.evaluation.models import ImprovementAction
from lms.timeutil import local_today
from tests.conftest import Auth
from tests.evaluation.helpers import cohort
from tests.test_query_counts import counting

# A minute turning between two builds of a page would make one count more statements (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("cache_minute_held")


def _world(make, size: int) -> dict:
    make.content()
    manager = make.user(Role.MANAGER)
    team = make.team(managers=[manager])
    learners = cohort(make, team, size=size, pre_right=1, post_right=3)
    for learner in learners:
        make.enrol(learner, "TST-101")
    trainer = make.user(Role.TRAINER)
    for i in range(size):  # one improvement action per learner, each with its own owner: lists grow too
        db.session.add(ImprovementAction(report_kind="team", report_params={"key": str(team.id)}, report_title="t",
                                         finding=f"發現{i}", action="行動", owner_id=make.user(Role.TRAINER).id,
                                         due_on=local_today() + timedelta(days=i), baseline={"learning.paired": 1}))
    db.session.commit()
    today = local_today()
    pages = [
        ("trainer", "/evaluation/manage/reports/"),
        ("trainer", "/evaluation/manage/reports/course/TST-101"),
        ("trainer", "/evaluation/manage/reports/programme/tst-cert"),
        ("trainer", f"/evaluation/manage/reports/cohort/{today:%Y-%m}"),
        ("trainer", f"/evaluation/manage/reports/period/{today:%Y}"),
        ("manager", f"/evaluation/manage/reports/team/{team.id}"),
        ("manager", f"/evaluation/manage/reports/team/{team.id}/report.csv"),
        ("manager", "/evaluation/manage/actions/"),
        ("trainer", "/evaluation/manage/actions/"),
        ("learner", "/evaluation/my-learning"),
    ]
    return {"pages": pages, "trainer": trainer, "manager": manager, "learner": learners[0], "team_id": team.id}


def _counts(app, world) -> dict:
    counts = {}
    for position, (role, url) in enumerate(world["pages"]):
        client = app.test_client()
        Auth(client).login(world[role])
        with counting() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[(position, role, url.replace(f"team/{world['team_id']}", "team/<id>"))] = len(statements)
    return counts


def test_report_statement_counts_do_not_grow_with_learners(app, make):
    small = _counts(app, _world(make, 5))
    from tests.conftest import _reset_database

    _reset_database()
    large = _counts(app, _world(make, 12))
    assert {page: (small[page], large[page]) for page in small if large[page] != small[page]} == {}
