"""A trainer sets up a skill competition for two teams on one call scenario; a learner of each team has an
assessment call inside the window (their results are seeded: playing the calls is the call journeys' part);
the leaderboard ranks both teams; the trainer closes it and the winner's honour shows on their record and
home. axe-core clean throughout."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import check_a11y, login, nav_link

pytestmark = pytest.mark.browser
SCENARIO = "complaint-double-charge"
SECOND_TEAM = "客服競賽二組"


def _logout(page):
    page.get_by_role("button", name="登出").click()
    page.wait_for_url("**/login**")


def _second_team(live_app) -> tuple[str, str]:
    """A second team with one agent (created for this journey); the window's first and last days."""
    from lms.accounts.models import Role, Team, User
    from lms.accounts.teams import save_team
    from lms.accounts.users import UserData, create_user
    from lms.db import db
    from lms.timeutil import local_today

    with live_app.app_context():
        if db.session.scalar(select(Team).where(Team.name == SECOND_TEAM)) is None:
            team = save_team(None, SECOND_TEAM, "", [])
            create_user(UserData(employee_no="C0001", name="吳競賽", email="contest@example.com", hire_date=None,
                                 team_id=team.id, roles={Role.LEARNER}, is_active=True))
            db.session.commit()
        assert db.session.scalar(select(User).where(User.employee_no == "C0001")) is not None
        today = local_today()
        db.session.remove()
    return (today - timedelta(days=3)).isoformat(), (today - timedelta(days=1)).isoformat()


def _seed_assessment_calls(live_app, first_day: str) -> None:
    """L0003 (客服一組) scores 95 and C0001 (the second team) 70 on the scenario, on the window's first day."""
    from datetime import UTC, date, datetime, time

    from lms.accounts.models import User
    from lms.calls.models import CallAttempt, CallMode, CallStatus, Scenario, ScenarioVersion
    from lms.db import db
    from lms.timeutil import local_zone

    with live_app.app_context():
        scenario = db.session.scalar(select(Scenario).where(Scenario.slug == SCENARIO))
        version = db.session.scalar(select(ScenarioVersion).where(ScenarioVersion.scenario_id == scenario.id,
                                                                  ScenarioVersion.number == scenario.current_number))
        started = datetime.combine(date.fromisoformat(first_day), time(10), tzinfo=local_zone()).astimezone(UTC)
        for employee_no, percent in (("L0003", 95.0), ("C0001", 70.0)):
            user = db.session.scalar(select(User).where(User.employee_no == employee_no))
            db.session.add(CallAttempt(scenario_id=scenario.id, version_id=version.id, user_id=user.id,
                                       mode=CallMode.ASSESSMENT, status=CallStatus.FINISHED, state={},
                                       started_at=started, finished_at=started + timedelta(minutes=8),
                                       percent=percent, passed=True))
        db.session.commit()
        db.session.remove()


def test_a_trainer_runs_a_competition_for_two_teams(page, live_app):
    first_day, last_day = _second_team(live_app)
    login(page, "T0001")
    nav_link(page, "技能競賽").click()
    expect(page.get_by_role("heading", name="技能競賽", exact=True)).to_be_visible()
    check_a11y(page, "competitions-index")
    page.get_by_role("link", name="建立競賽").click()
    check_a11y(page, "competition-new")
    page.get_by_label("標題").fill("第四季接聽技能競賽")
    page.get_by_label("第一天").fill(first_day)
    page.get_by_label("最後一天").fill(last_day)
    page.get_by_label("客服一組").check()
    page.get_by_label(SECOND_TEAM).check()
    page.get_by_label("月租被扣了兩次！").check()
    page.get_by_role("button", name="建立競賽").click()
    expect(page.get_by_text("競賽已建立。")).to_be_visible()
    competition_url = page.url
    _seed_assessment_calls(live_app, first_day)

    page.reload()
    teams = page.get_by_role("region", name="團隊")
    rows = teams.locator("tbody tr")
    # 客服競賽二組's only agent took part (70); 客服一組's average counts its members who did not (95 / 4).
    expect(rows.nth(0)).to_contain_text(SECOND_TEAM)
    expect(rows.nth(0)).to_contain_text("70.0")
    expect(rows.nth(1)).to_contain_text("客服一組")
    people = page.get_by_role("region", name="同仁")
    expect(people.locator("tbody tr").nth(0)).to_contain_text("黃雅婷")
    check_a11y(page, "competition-leaderboard")

    page.get_by_role("button", name="結束競賽並頒發榮譽").click()
    expect(page.get_by_text("競賽已結束，榮譽已記錄。")).to_be_visible()
    check_a11y(page, "competition-closed")
    _logout(page)

    login(page, "L0003")
    honours = page.get_by_role("region", name="技能競賽")
    expect(honours).to_contain_text("第一名")
    expect(honours).to_contain_text("第四季接聽技能競賽")
    check_a11y(page, "competition-honour-home")
    page.goto(competition_url)
    expect(page.get_by_role("region", name="同仁")).to_contain_text("黃雅婷")
    _logout(page)

    login(page, "M0001")
    page.goto("/board/")
    page.get_by_role("link", name="黃雅婷").first.click()
    record = page.locator("section", has=page.get_by_role("heading", name="榮譽"))
    expect(record).to_contain_text("第一名")
    expect(record).to_contain_text("第四季接聽技能競賽")
    check_a11y(page, "competition-honour-record")
