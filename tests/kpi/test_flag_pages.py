"""The KPI flags and thresholds pages by role: learners are refused, managers see and assign within their own
teams only, the assignment creates enrolments with the due date and records the flag it answered, and a
refused assignment or threshold writes nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.courses.models import Course, CourseAssignment, Enrolment
from lms.db import db
from lms.kpi.models import KpiDefinition, KpiFlagAssignment, KpiRecord, KpiThreshold, PeriodKind
from lms.timeutil import local_today
from tests.conftest import Auth
from tests.kpi.helpers import MONTHS, kpi_world


@pytest.fixture
def world(make):
    world = kpi_world(make)  # fcr threshold 70: the six untrained agents (60–62) are flagged, the trained are not
    world.other_manager = make.user(Role.MANAGER, name="別組主管")
    other = make.team("另一組", managers=[world.other_manager])
    world.stranger = make.user(team=other, name="別組客服")
    fcr = db.session.scalar(select(KpiDefinition).where(KpiDefinition.code == "fcr"))
    db.session.add(KpiRecord(user_id=world.stranger.id, kpi_id=fcr.id, period_kind=PeriodKind.MONTH,
                             period_start=MONTHS[-1], value=50))
    db.session.commit()
    world.other_team = other
    return world


def _client(app, user):
    client = app.test_client()
    Auth(client).login(user)
    return client


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _written() -> tuple[int, int, int, int]:
    return _count(Enrolment), _count(KpiFlagAssignment), _count(CourseAssignment), _count(KpiThreshold)


@pytest.mark.parametrize("url", ["/kpi/flags", "/kpi/thresholds"])
def test_learners_are_refused(app, world, url):
    client = _client(app, world.untrained[0])
    assert client.get(url).status_code == 403
    assert client.post("/kpi/flags/assign", data={}).status_code == 403


def test_a_manager_sees_the_own_teams_flags_with_names_not_codes(app, world):
    before = _written()
    page = _client(app, world.manager).get("/kpi/flags").get_data(as_text=True)
    for agent in world.untrained:
        assert agent.name in page
    assert world.trained[0].name not in page and world.stranger.name not in page
    assert "首次解決率" in page and "測試投訴處理" in page and "70.0%" in page
    assert ">fcr<" not in page and "fcr</" not in page
    assert _written() == before


def test_a_manager_cannot_open_another_team(app, world):
    assert _client(app, world.manager).get(f"/kpi/flags?team_id={world.other_team.id}").status_code == 404


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_trainers_and_admins_see_every_team_and_filter_by_team(app, world, role):
    client = _client(app, getattr(world, role))
    page = client.get("/kpi/flags").get_data(as_text=True)
    assert world.stranger.name in page and world.untrained[0].name in page
    page = client.get(f"/kpi/flags?team_id={world.other_team.id}").get_data(as_text=True)
    assert world.stranger.name in page and world.untrained[0].name not in page


def _assign(client, agents, due, code="fcr"):
    return client.post("/kpi/flags/assign", data={"flags": [f"{a.id}:{code}" for a in agents],
                                                  "due_date": due.isoformat() if due else ""})


def test_one_post_assigns_the_recommended_courses_with_the_due_date(app, world):
    client = _client(app, world.manager)
    due = local_today() + timedelta(days=14)
    chosen = world.untrained[:2]
    response = _assign(client, chosen, due)
    assert response.status_code == 302 and response.headers["Location"].endswith("/kpi/flags")
    enrolments = list(db.session.scalars(select(Enrolment).where(Enrolment.user_id.in_([a.id for a in chosen]))))
    codes = {db.session.get(Course, e.course_id).code for e in enrolments}
    assert len(enrolments) == 4 and codes == {"TST-101", "TST-201"} and {e.due_date for e in enrolments} == {due}
    records = list(db.session.scalars(select(KpiFlagAssignment)))
    assert len(records) == 4 and {r.enrolment_id for r in records} == {e.id for e in enrolments}
    assert {(r.value, r.threshold, r.period_start, r.assigned_by_id) for r in records} == {
        (60.0, 70.0, MONTHS[-1], world.manager.id), (61.0, 70.0, MONTHS[-1], world.manager.id)}
    page = client.get("/kpi/flags").get_data(as_text=True)
    assert "指派訓練之後" in page and "尚未因 KPI 未達門檻而指派任何課程" not in page
    assert page.count("測試投訴處理") >= 2  # now listed as assigned and in the outcomes


def test_the_outcome_counts_recovery_after_completion(app, world):
    client = _client(app, world.manager)
    agent = world.untrained[0]
    _assign(client, [agent], local_today() + timedelta(days=7))
    from lms.db import utcnow

    for enrolment in db.session.scalars(select(Enrolment).where(Enrolment.user_id == agent.id)):
        enrolment.completed_at = utcnow() - timedelta(days=400)  # well before the last months' values
    db.session.commit()
    page = client.get("/kpi/flags").get_data(as_text=True)
    assert "完成課程的 2 項中有 0 項回到門檻內；共指派 2 項" in page
    fcr = db.session.scalar(select(KpiDefinition).where(KpiDefinition.code == "fcr"))
    db.session.add(KpiRecord(user_id=agent.id, kpi_id=fcr.id, period_kind=PeriodKind.MONTH,
                             period_start=MONTHS[-1].replace(year=2027, month=1), value=75))
    db.session.commit()
    page = client.get("/kpi/flags").get_data(as_text=True)
    assert "完成課程的 2 項中有 2 項回到門檻內" in page
    assert f'value="{agent.id}:fcr"' not in page  # the flag cleared by itself


@pytest.mark.parametrize("data, field", [
    ({"due_date": "2099-01-01"}, "flags"),  # nobody chosen
    ({"flags": "AGENT:fcr", "due_date": "2020-01-01"}, "due_date"),  # in the past
    ({"flags": "AGENT:fcr", "due_date": ""}, "due_date"),
    ({"flags": "AGENT:fcr", "due_date": "明天"}, "due_date"),
])
def test_a_bad_assignment_is_refused_and_writes_nothing(app, world, data, field):
    client = _client(app, world.manager)
    before = _written()
    data = {k: v.replace("AGENT", str(world.untrained[0].id)) for k, v in data.items()}
    response = client.post("/kpi/flags/assign", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="{field}-error"' in page
    assert _written() == before


def test_a_manager_cannot_assign_another_teams_agent(app, world):
    client = _client(app, world.manager)
    before = _written()
    response = _assign(client, [world.untrained[0], world.stranger], local_today() + timedelta(days=7))
    assert response.status_code == 200 and 'id="flags-error"' in response.get_data(as_text=True)
    assert _written() == before


def test_the_threshold_page_by_role(app, world):
    before = _written()
    assert _client(app, world.manager).get("/kpi/thresholds").status_code == 200
    page = _client(app, world.trainer).get("/kpi/thresholds").get_data(as_text=True)
    assert "首次解決率" in page and "70.0%" in page
    assert _written() == before


def _set(client, team_id, value, kpi="fcr"):
    return client.post("/kpi/thresholds", data={"kpi": kpi, "team_id": str(team_id), "value": value})


def test_trainers_set_the_centres_threshold_and_managers_their_teams(app, world):
    assert _set(_client(app, world.trainer), 0, "65").status_code == 302
    manager = _client(app, world.manager)
    assert _set(manager, world.team.id, "62").status_code == 302
    rows = {(r.team_id, r.value) for r in db.session.scalars(select(KpiThreshold))}
    assert rows == {(None, 65.0), (world.team.id, 62.0)}
    page = manager.get("/kpi/flags").get_data(as_text=True)
    assert world.untrained[0].name in page and world.untrained[2].name not in page  # 60 and 61 < 62 ≤ 62
    assert _set(manager, world.team.id, "70").status_code == 302  # changed in place, not a second row
    assert _count(KpiThreshold) == 2


@pytest.mark.parametrize("who, team, value, field", [
    ("manager", "centre", "65", "team_id"),
    ("manager", "other", "65", "team_id"),
    ("trainer", "centre", "120", "value"),
    ("trainer", "centre", "很多", "value"),
    ("trainer", "centre", "", "value"),
])
def test_a_bad_threshold_is_refused_under_its_field(app, world, who, team, value, field):
    team_id = {"centre": 0, "other": world.other_team.id}[team]
    response = _set(_client(app, getattr(world, who)), team_id, value)
    assert response.status_code == 200 and f'id="{field}-error"' in response.get_data(as_text=True)
    assert _count(KpiThreshold) == 0


def test_a_threshold_is_removed_only_by_who_may_set_it(app, world):
    _set(_client(app, world.other_manager), world.other_team.id, "55")
    row = db.session.scalar(select(KpiThreshold))
    assert _client(app, world.manager).post("/kpi/thresholds/remove",
                                            data={"threshold_id": str(row.id)}).status_code == 404
    assert _client(app, world.other_manager).post("/kpi/thresholds/remove",
                                                  data={"threshold_id": str(row.id)}).status_code == 302
    assert _count(KpiThreshold) == 0
