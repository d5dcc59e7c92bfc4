from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from lms.accounts.models import Locale, Role, Team, User
from lms.calls.models import CallAttempt, CallMode, CallStatus, Scenario, ScenarioVersion
from lms.competitions.models import Competition
from lms.db import db
from lms.timeutil import local_today, local_zone
from tests.conftest import Auth


@dataclass
class World:
    trainer: User
    manager: User
    admin: User
    ann: User  # team A
    amy: User  # team A
    bob: User  # team B
    outsider: User  # team C, not taking part
    team_a: Team
    team_b: Team
    team_c: Team
    scenario: Scenario

    def client(self, app, who: User):
        client = app.test_client()
        Auth(client).login(who)
        return client


def local_moment(day, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=local_zone()).astimezone(UTC)


def seed_call(who: User, scenario: Scenario, percent: float, started: datetime, minutes: int = 10,
              mode=CallMode.ASSESSMENT, status=CallStatus.FINISHED) -> CallAttempt:
    version = db.session.scalar(select(ScenarioVersion).where(ScenarioVersion.scenario_id == scenario.id,
                                                              ScenarioVersion.number == scenario.current_number))
    attempt = CallAttempt(scenario_id=scenario.id, version_id=version.id, user_id=who.id, mode=mode, status=status,
                          state={}, started_at=started, finished_at=started + timedelta(minutes=minutes),
                          percent=percent, passed=percent >= 60)
    db.session.add(attempt)
    db.session.commit()
    return attempt


@pytest.fixture
def world(app, make) -> World:
    make.content()
    manager = make.user(Role.MANAGER, name="主管甲")
    team_a = make.team("甲組", managers=[manager])
    team_b = make.team("乙組")
    team_c = make.team("丙組")
    scenario = db.session.scalar(select(Scenario).where(Scenario.slug == "tst-call"))
    world = World(make.user(Role.TRAINER, name="講師"), manager, make.user(Role.ADMIN, name="管理員"),
                  make.user(team=team_a, name="安安"), make.user(team=team_a, name="艾美"),
                  make.user(team=team_b, name="小波"), make.user(team=team_c, name="局外"), team_a, team_b, team_c,
                  scenario)
    for person in (world.trainer, manager, world.admin, world.ann, world.amy, world.bob, world.outsider):
        person.locale = Locale.EN  # the tests read the English messages
    db.session.commit()
    return world


def make_competition(world: World, days_ago: int = 0, length: int = 3, show_names: bool = True) -> Competition:
    """A competition of the scenario for teams A and B starting ``days_ago`` days ago."""
    start = local_today() - timedelta(days=days_ago)
    competition = Competition(title="退費技能競賽", description="", starts_on=start,
                              ends_on=start + timedelta(days=length - 1), teams=[world.team_a, world.team_b],
                              scenarios=[world.scenario], show_names=show_names, created_by_id=world.trainer.id)
    db.session.add(competition)
    db.session.commit()
    return competition
