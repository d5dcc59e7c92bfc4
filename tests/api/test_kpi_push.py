"""KPI records pushed through the API: all or none, each problem naming its item and field."""

from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.db import db
from lms.kpi.models import KpiRecord
from tests.api.conftest import assert_error


def _month(agents, month="2026-03"):
    return [{"employee_no": a.employee_no, "period": month, "values": {"fcr": 70.5 + i, "aht": 300 + i}}
            for i, a in enumerate(agents)]


def _records():
    return db.session.scalar(select(func.count()).select_from(KpiRecord))


def test_a_month_is_pushed_then_replaced(api, make):
    make.content()
    agents = [make.user(Role.LEARNER) for _ in range(3)]
    body = api.post("/kpi/records", json={"items": _month(agents)}).get_json()
    assert (body["rows"], body["values_written"], body["values_replaced"]) == (3, 6, 0)
    assert body["first_period"] == "2026-03-01"
    body = api.post("/kpi/records", json={"items": _month(agents)}).get_json()
    assert (body["values_written"], body["values_replaced"]) == (6, 6)
    assert _records() == 6


def test_one_bad_item_refuses_the_whole_push_and_is_named(api, make):
    make.content()
    agents = [make.user(Role.LEARNER) for _ in range(3)]
    items = _month(agents)
    items[1]["values"]["fcr"] = 170  # a rate above 100 %
    items[2]["employee_no"] = "NOBODY"
    error = assert_error(api.post("/kpi/records", json={"items": items}), 422, "invalid")
    assert {(d["index"], d["field"]) for d in error["details"]} == {(1, "values.fcr"), (2, "employee_no")}
    assert _records() == 0


def test_unknown_codes_bad_periods_and_duplicates(api, make):
    make.content()
    agent = make.user(Role.LEARNER)
    items = [{"employee_no": agent.employee_no, "period": "2026-13", "values": {"fcr": 0.5}},
             {"employee_no": agent.employee_no, "period": "2026-03", "values": {"speed": 1}}]
    error = assert_error(api.post("/kpi/records", json={"items": items}), 422)
    assert [(d["index"], d["field"]) for d in error["details"]] == [(1, "values.speed")]
    items = [{"employee_no": agent.employee_no, "period": "2026-13", "values": {"fcr": 0.5}},
             {"employee_no": agent.employee_no, "period": "2026-03", "values": {"fcr": 0.5}},
             {"employee_no": agent.employee_no, "period": "2026-03", "values": {"fcr": 0.6}}]
    error = assert_error(api.post("/kpi/records", json={"items": items}), 422)
    assert {(d["index"], d["field"]) for d in error["details"]} == {(0, "period"), (2, "period")}
    assert _records() == 0


def test_a_manager_pushes_only_their_teams(api_as, make):
    make.content()
    manager = make.user(Role.MANAGER)
    team = make.team("甲組", managers=[manager])
    mine, other = make.user(Role.LEARNER, team=team), make.user(Role.LEARNER)
    api = api_as(manager, ["kpi:write"], kind="personal")
    assert api.post("/kpi/records", json={"items": _month([mine])}).status_code == 200
    error = assert_error(api.post("/kpi/records", json={"items": _month([mine, other])}), 422)
    assert [(d["index"], d["field"]) for d in error["details"]] == [(1, "employee_no")]
