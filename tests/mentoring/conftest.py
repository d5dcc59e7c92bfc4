from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.db import db
from lms.mentoring.models import Mentorship
from lms.timeutil import local_today
from tests.conftest import Auth


@dataclass
class World:
    manager: User
    senior: User
    other_senior: User
    hire: User
    outsider: User
    other_manager: User
    trainer: User
    admin: User
    mentorship: Mentorship

    def client(self, app, who: User):
        client = app.test_client()
        Auth(client).login(who)
        return client


@pytest.fixture
def world(app, make) -> World:
    """A team with its manager, two experienced agents and a new hire hired ten days ago (on the test path,
    check-ins at days 7 and 30, items 4.1.1-a and 4.1.1-b to sign off); another team with its own manager."""
    make.content()
    manager = make.user(Role.MANAGER, name="主管甲")
    team = make.team("甲組", managers=[manager])
    other_manager = make.user(Role.MANAGER, name="主管乙")
    other_team = make.team("乙組", managers=[other_manager])
    senior = make.user(team=team, hire_date=date(2019, 3, 1), name="資深甲")
    other_senior = make.user(team=team, hire_date=date(2021, 5, 1), name="資深乙")
    hire = make.user(team=team, hire_date=local_today() - timedelta(days=10), name="新人甲")
    outsider = make.user(team=other_team, hire_date=date(2018, 1, 1), name="外組")
    mentorship = db.session.scalar(select(Mentorship).where(Mentorship.mentee_id == hire.id))
    return World(manager, senior, other_senior, hire, outsider, other_manager, make.user(Role.TRAINER, name="講師"),
                 make.user(Role.ADMIN, name="管理員"), mentorship)


@pytest.fixture
def mentored(app, world) -> World:
    """The world with 資深甲 chosen as the new hire's mentor."""
    response = world.client(app, world.manager).post(f"/mentoring/people/{world.hire.id}/mentor",
                                                     data={"mentor": world.senior.id})
    assert response.status_code == 302
    return world
