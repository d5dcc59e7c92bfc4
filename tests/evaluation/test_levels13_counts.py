"""The survey and observation pages run the same number of SQL statements whatever the number of
learners, invitations and observations behind them."""

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.db import db
from lms.evaluation.calibration import start_calibration
from lms.evaluation.models import Observation, SurveyInvitation
from lms.evaluation.observations import submit_scorecard
from lms.evaluation.surveys import answer_survey
from lms.timeutil import local_today
from tests.conftest import Auth
from tests.evaluation.helpers import finish_course
from tests.test_query_counts import counting

# A minute turning between two builds of a page would make one count more statements (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("cache_minute_held")

RATINGS = {"pickup": "met", "greeting": "partly", "apology": "met"}


def _world(make, learners: int):
    make.content()
    manager, trainer = make.user(Role.MANAGER), make.user(Role.TRAINER)
    team = make.team(managers=[manager])
    people = [make.user(team=team) for _ in range(learners)]
    for n, learner in enumerate(people):
        finish_course(make, learner, assigned_by=trainer)
        invitation = db.session.scalar(select(SurveyInvitation).where(SurveyInvitation.user_id == learner.id))
        if n:  # the first learner's survey stays open
            answer_survey(invitation.id, learner, {"clear": 4, "useful": 5, "recommend": 9, "comments": "好"})
        first = db.session.scalar(select(Observation).where(Observation.learner_id == learner.id)
                                  .order_by(Observation.offset_days))
        submit_scorecard(first.id, manager, RATINGS, f"R{n}", local_today(), "")
        second = start_calibration(first.id, trainer)
        submit_scorecard(second.id, trainer, RATINGS | {"greeting": "met"}, f"R{n}", local_today(), "")
    db.session.commit()
    learner = people[0]
    invitation = db.session.scalar(select(SurveyInvitation).where(SurveyInvitation.user_id == learner.id))
    done = db.session.scalars(select(Observation).where(Observation.learner_id == learner.id)
                              .order_by(Observation.id)).all()
    first, open_one, second = done[0], done[1], done[-1]
    pages = [
        (learner, "/"), (learner, "/evaluation/surveys"), (learner, f"/evaluation/surveys/{invitation.id}"),
        (learner, "/evaluation/observations"), (learner, f"/evaluation/observations/{first.id}"),
        (manager, "/"), (manager, "/evaluation/manage/observations"), (manager, "/evaluation/manage/surveys"),
        (manager, "/evaluation/manage/surveys?by=cohort"), (trainer, "/evaluation/manage/surveys?by=trainer"),
        (manager, f"/evaluation/manage/observations/{open_one.id}/scorecard"),
        (trainer, "/evaluation/manage/calibration"), (trainer, f"/evaluation/manage/calibration/{second.id}"),
        (trainer, f"/evaluation/observations/{first.id}"),
    ]
    return pages


def _counts(app, pages) -> list[int]:
    counts = []
    for user, url in pages:
        client = app.test_client()
        Auth(client).login(user)
        with counting() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(statements))
    return counts


def test_statement_counts_do_not_grow_with_learners(app, make):
    small = _counts(app, _world(make, 1))
    from tests.conftest import _reset_database

    _reset_database()
    pages = _world(make, 6)
    large = _counts(app, pages)
    grown = [(url, a, b) for (_u, url), a, b in zip(pages, small, large, strict=True) if b > a]
    assert grown == []
