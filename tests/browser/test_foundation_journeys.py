"""Journeys of the foundation: log in as each role, switch language, run a team and a bulk import."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.db import db
from tests.browser.conftest import check_a11y, login, nav_link

pytestmark = pytest.mark.browser


def test_login_page_is_accessible_and_chinese(page):
    page.goto("/")
    assert "/login" in page.url
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    check_a11y(page, "login")


def test_wrong_password_shows_a_field_error(page):
    page.goto("/login")
    page.get_by_label("工號或電子郵件").fill("L0001")
    page.get_by_label("密碼").fill("not-the-password")
    page.get_by_role("button", name="登入").click()
    expect(page.get_by_text("工號、電子郵件或密碼不正確。")).to_be_visible()
    check_a11y(page)


@pytest.mark.parametrize("employee_no,expected_nav", [
    ("L0001", ["首頁", "課程", "測驗", "模擬通話", "面授課程", "認證", "服務規範"]),
    # KPIs, reports and the staff pages are under the "Manage" menu (tests/browser/test_header_journeys.py).
    ("T0001", ["首頁", "課程", "測驗", "模擬通話", "面授課程", "認證", "服務規範", "認證審核"]),
    ("M0001", ["首頁", "課程", "測驗", "模擬通話", "認證", "服務規範", "我的團隊", "認證審核"]),
    ("A0001", ["首頁", "課程", "測驗", "模擬通話", "認證", "服務規範", "認證審核"]),
])
def test_each_role_logs_in_and_sees_its_navigation(page, employee_no, expected_nav):
    login(page, employee_no)
    expect(page.get_by_role("navigation", name="主選單").get_by_role("link")).to_have_text(expected_nav, use_inner_text=True)
    check_a11y(page, f"home-{employee_no}")
    page.locator(".user-link").click()
    page.get_by_role("link", name="我的帳號").click()
    check_a11y(page, f"profile-{employee_no}")
    page.get_by_role("button", name="登出").click()
    assert "/login" in page.url


def test_switching_language_changes_the_interface(page):
    login(page, "L0001")
    page.locator(".user-link").click()
    page.get_by_label("語言").select_option("en")
    page.get_by_role("button", name="切換").click()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("link", name="Home")).to_be_visible()
    check_a11y(page, "home-en")
    page.locator(".user-link").click()
    page.get_by_label("Language").select_option("zh_Hans")
    page.get_by_role("button", name="Switch").click()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    expect(page.get_by_role("link", name="首页")).to_be_visible()
    page.locator(".user-link").click()
    page.get_by_label("语言").select_option("zh_Hant")
    page.get_by_role("button", name="切换").click()
    assert page.locator("html").get_attribute("lang") == "zh-Hant"


def _csv(rows: list[str]) -> bytes:
    return ("\ufeffemployee_no,name,email,hire_date,team,roles\r\n" + "\r\n".join(rows) + "\r\n").encode()


def test_admin_creates_a_team_and_imports_users(page, live_app, tmp_path):
    login(page, "A0001")
    nav_link(page, "團隊").click()
    check_a11y(page, "admin-teams")
    page.get_by_role("link", name="新增團隊").click()
    page.get_by_label("團隊名稱").fill("瀏覽器測試組")
    page.get_by_label("說明").fill("由瀏覽器測試建立")
    check_a11y(page, "admin-team-form")
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_text("團隊「瀏覽器測試組」已儲存。")).to_be_visible()

    # A file with three bad rows: refused with three row messages, nothing written.
    rows = [f"W{i:04d},瀏覽員{i},w{i}@example.com,2026-10-01,瀏覽器測試組,learner" for i in range(1, 501)]
    bad = list(rows)
    bad[4] = "W0005,瀏覽員5,not-an-email,2026-10-01,瀏覽器測試組,learner"
    bad[99] = "W0100,瀏覽員100,w100@example.com,2026-02-30,瀏覽器測試組,learner"
    bad[449] = "W0450,瀏覽員450,w450@example.com,2026-10-01,不存在的組,learner"
    bad_file = tmp_path / "bad.csv"
    bad_file.write_bytes(_csv(bad))
    page.goto("/admin/users/import")
    check_a11y(page, "admin-import")
    page.get_by_label("CSV 檔案").set_input_files(str(bad_file))
    page.get_by_role("button", name="匯入").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("發現 3 個問題")
    expect(summary.locator("tbody tr td:first-child")).to_have_text(["6", "101", "451"], use_inner_text=True)
    check_a11y(page, "admin-import-errors")
    with live_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.employee_no.like("W%"))) == 0

    good_file = tmp_path / "good.csv"
    good_file.write_bytes(_csv(rows))
    page.get_by_label("CSV 檔案").set_input_files(str(good_file))
    # 500 people, each enrolled on the onboarding path, each told by mail: the tests run the task queue in
    # the request (immediate mode), which took over the default 30 s on a busy machine; production queues it.
    page.get_by_role("button", name="匯入").click(timeout=120_000)
    expect(page.get_by_text("已匯入 500 位使用者。")).to_be_visible(timeout=120_000)
    check_a11y(page, "admin-users")
    with live_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.employee_no.like("W%"))) == 500

    page.goto("/admin/users?q=W0001")  # other journeys may have added people who sort before it
    page.get_by_role("link", name="W0001").click()
    check_a11y(page, "admin-user-form")
    page.goto("/admin/audit/")
    expect(page.locator("td", has_text="從 CSV 檔匯入帳號").first).to_be_visible()
    check_a11y(page, "admin-audit")


def test_error_pages_are_friendly(page):
    login(page, "L0001")
    response = page.goto("/admin/users")
    assert response.status == 403
    expect(page.get_by_role("heading", name="您沒有權限檢視這個頁面")).to_be_visible()
    check_a11y(page)
    response = page.goto("/no-such-page")
    assert response.status == 404
    check_a11y(page)
    # Chromium logs the 403 and 404 documents themselves as console errors; they are the point here.
    assert all("status of 40" in e for e in page.console_errors)
    page.console_errors.clear()


def test_forgot_password_page(page):
    page.goto("/login")
    page.get_by_role("link", name="忘記密碼？").click()
    check_a11y(page, "forgot-password")
    page.get_by_label("工號或電子郵件").fill("L0001")
    page.get_by_role("button", name="寄送重設連結").click()
    assert "/login" in page.url
    expect(page.locator(".flash")).to_be_visible()
