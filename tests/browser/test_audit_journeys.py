"""An administrator reads the audit log: failed-login bursts, a filter, the CSV export (issue 12, items 10, 17)."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y, login

pytestmark = pytest.mark.browser


def _fail_login(page, identifier: str) -> None:
    page.goto("/login")
    page.get_by_label("工號或電子郵件").fill(identifier)
    page.get_by_label("密碼").fill("not-the-password")
    page.get_by_role("button", name="登入").click()
    expect(page.get_by_text("工號、電子郵件或密碼不正確。")).to_be_visible()


def test_admin_sees_failed_login_bursts_filters_and_exports(page):
    for _ in range(5):
        _fail_login(page, "ZQ7001")
    login(page, "A0001")
    page.goto("/admin/audit/")
    panel = page.locator("section", has=page.get_by_role("heading", name="最近 60 分鐘內的登入失敗"))
    expect(panel.get_by_role("link", name="zq7001")).to_be_visible()
    check_a11y(page, "admin-audit-bursts")

    page.get_by_label("動作").select_option(label="登入失敗")
    page.get_by_role("button", name="篩選").click()
    assert "action=login.failed" in page.url
    rows = page.locator("table.table--audit tbody tr")
    expect(rows.first).to_contain_text("登入失敗")
    expect(rows.first).to_contain_text("輸入：zq7001")
    assert "login.failed" not in page.locator("main").inner_text()
    check_a11y(page, "admin-audit-filtered")

    with page.expect_download() as download:
        page.get_by_role("link", name="下載 CSV 檔").click()
    body = Path(download.value.path()).read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(body)))
    assert table[0][:4] == ["時間", "操作者", "工號", "動作"]
    assert len(table) >= 6 and {row[3] for row in table[1:]} == {"登入失敗"}
    assert any(row[5] == "zq7001" for row in table[1:])


def test_the_audit_log_reads_in_english_and_simplified_chinese(page):
    login(page, "A0001")
    try:
        for locale, switch, heading, failed in (("en", "切換", "Audit log", "Logged in"),
                                                ("zh_Hans", "Switch", None, "登录")):
            page.locator(".user-link").click()  # the language choice sits in the menu under the user's name
            page.get_by_role("combobox", name="語言" if locale == "en" else "Language").select_option(locale)
            page.get_by_role("button", name=switch).click()
            page.goto("/admin/audit/")
            if heading:  # the simplified title's wording is another piece of work (issue 12, item 18)
                expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
            expect(page.locator("table.table--audit tbody tr").first).to_contain_text(failed)
            assert "login.succeeded" not in page.locator("main").inner_text()
            check_a11y(page, f"admin-audit-{locale}")
    finally:
        page.locator(".user-link").click()
        page.get_by_role("combobox").first.select_option("zh_Hant")
        page.locator("form:has(select) button").first.click()
