"""An administrator exports a departed agent's personal data (JSON and PDF), erases it, and finds the team's
report adding up as before (issue 16, privacy)."""

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.accounts.demo import DEMO_TEAM
from lms.accounts.models import Team
from lms.accounts.users import UserData, create_user
from lms.db import db
from lms.kpi.models import KpiDefinition, KpiRecord, PeriodKind
from tests.browser.conftest import check_a11y, login

pytestmark = pytest.mark.browser


def _departed_agent(live_app) -> int:
    """A former member of the demo team with a year of KPI values, deactivated (a person of this test's own:
    the other journeys keep using the demo people)."""
    with live_app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == DEMO_TEAM))
        person = create_user(UserData(employee_no="X0901", name="吳離職", email="wu.left@example.com",
                                      team_id=team.id, roles={"learner"}, is_active=False))
        kpi = db.session.scalar(select(KpiDefinition).order_by(KpiDefinition.position).limit(1))
        for month in range(1, 13):
            db.session.add(KpiRecord(user_id=person.id, kpi_id=kpi.id, period_kind=PeriodKind.MONTH,
                                     period_start=datetime(2026, month, 1, tzinfo=UTC).date(), value=70 + month))
        db.session.commit()
        team_id = team.id
        db.session.remove()
    return team_id


def _report_numbers(page, team_id: int) -> list[str]:
    page.goto(f"/evaluation/manage/reports/team/{team_id}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return re.findall(r"\d+(?:\.\d+)?%?", page.locator("main").inner_text())


def test_admin_exports_then_erases_a_departed_person_and_the_report_is_unchanged(page, live_app):
    team_id = _departed_agent(live_app)
    login(page, "A0001")
    before = _report_numbers(page, team_id)
    assert before

    page.goto("/admin/privacy/")
    expect(page.get_by_role("heading", name="個人資料", exact=True)).to_be_visible()
    check_a11y(page, "privacy-index")
    page.get_by_role("link", name="吳離職").click()
    expect(page.get_by_role("heading", name="吳離職")).to_be_visible()
    check_a11y(page, "privacy-person")

    with page.expect_download() as download:
        page.get_by_role("link", name="下載完整資料（JSON）").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["person"]["employee_no"] == "X0901"
    kpis = next(t for t in data["tables"] if t["table"] == "kpi_records")["rows"]
    assert len(kpis) == 12 and kpis[0]["period_start"] == "2026-01-01"
    with page.expect_download() as download:
        page.get_by_role("link", name="下載摘要（PDF）").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="清除個人資料…").click()
    expect(page.get_by_role("heading", name="查驗證書的人會看到什麼")).to_be_visible()
    check_a11y(page, "privacy-erase-confirm")
    page.get_by_label("輸入此人的工號以確認").fill("X0902")
    page.get_by_role("button", name="清除個人資料").click()
    expect(page.locator("#employee_no-error")).to_have_text("請依畫面所示輸入此人的工號以確認。")
    page.get_by_label("輸入此人的工號以確認").fill("X0901")
    page.get_by_role("button", name="清除個人資料").click()
    expect(page.get_by_text(re.compile(r"個人資料已清除；此人現以「已刪除的人員 #\d+」呈現。"))).to_be_visible()
    assert "吳離職" not in page.locator("main").inner_text()
    check_a11y(page, "privacy-erased")

    assert _report_numbers(page, team_id) == before
    page.goto("/admin/audit/")
    expect(page.locator("table.table--audit tbody tr").first).to_contain_text("個人資料已清除")
