"""An administrator creates a service token in the browser; an HR script with it provisions 50 people
through the API, and running it again changes nothing; a QA system's KPI push with one bad item is
refused whole with that item named, and the corrected push is accepted. axe-core clean throughout."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.accounts.teams import save_team
from lms.db import db
from lms.kpi.models import KpiImport
from tests.browser.conftest import check_a11y, login, nav_link

pytestmark = pytest.mark.browser
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "api_example.py"


def _script(live_server, secret: str, *args: str) -> tuple[int, dict]:
    done = subprocess.run([sys.executable, str(SCRIPT), "--base", live_server.url, *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "LMS_API_TOKEN": secret})
    return done.returncode, json.loads(done.stdout)


def _count(live_app, stmt) -> int:
    with live_app.app_context():
        return db.session.scalar(stmt)


def test_an_admin_makes_a_token_and_an_hr_script_provisions_50_people(page, live_app, live_server):
    login(page, "A0001")
    nav_link(page, "API 權杖").click()
    expect(page.get_by_role("heading", name="API 權杖", exact=True)).to_be_visible()
    check_a11y(page, "api-tokens")
    page.get_by_label("權杖名稱").fill("人資系統")
    for scope in ("users:write", "teams:read", "kpi:write"):
        page.locator(f'input[name="scopes"][value="{scope}"]').check()
    page.get_by_role("button", name="建立權杖").click()
    secret = page.get_by_test_id("new-token").input_value()
    assert secret.startswith("lms_svc_")
    row = page.get_by_role("row").filter(has_text=secret[:14])
    expect(row).to_contain_text("從未")
    check_a11y(page, "api-token-created")

    # A team of their own, so that the other journeys' teams (and their boards) stay as the demo made them.
    with live_app.app_context():
        save_team(None, "人資新進組", "", [])
        db.session.commit()
    status, answer = _script(live_server, secret, "provision", "50", "--team", "人資新進組")
    assert status == 0 and (answer["created"], answer["changed"], answer["unchanged"]) == (50, 0, 0)
    assert _count(live_app, select(func.count()).select_from(User).where(User.employee_no.like("HR%"))) == 50
    status, answer = _script(live_server, secret, "provision", "50", "--team", "人資新進組")
    assert status == 0 and (answer["created"], answer["changed"], answer["unchanged"]) == (0, 0, 50)

    imports = _count(live_app, select(func.count()).select_from(KpiImport))
    status, answer = _script(live_server, secret, "push-kpis", "2026-11", "--bad", "17")
    assert status == 1 and answer["error"]["code"] == "invalid"
    assert [(d["index"], d["field"]) for d in answer["error"]["details"]] == [(17, "values.fcr")]
    assert _count(live_app, select(func.count()).select_from(KpiImport)) == imports
    status, answer = _script(live_server, secret, "push-kpis", "2026-11")
    assert status == 0 and answer["values_written"] == 50

    page.goto("/api/manage/tokens")
    expect(row).to_contain_text("人資系統")
    expect(row).not_to_contain_text("從未")
    page.get_by_role("link", name="API 說明文件").first.click()
    expect(page.get_by_role("heading", name="API 說明文件")).to_be_visible()
    expect(page.get_by_text("PUT /api/v1/users/{employee_no}")).to_be_visible()
    check_a11y(page, "api-reference")
