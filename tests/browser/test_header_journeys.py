"""The header at a laptop's width (1366 px): one row for every role and language, staff pages under a
"Manage" menu a keyboard can open, and a search box that understands English terms (issue 12, item 19)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y, login

pytestmark = pytest.mark.browser

ONE_ROW = """() => {
  const boxes = [...document.querySelectorAll('.site-header__inner > *')].map(e => e.getBoundingClientRect());
  return {overlap: Math.min(...boxes.map(b => b.bottom)) - Math.max(...boxes.map(b => b.top)),
          height: document.querySelector('.site-header').getBoundingClientRect().height};
}"""


def _switch_language(page, label, button):
    page.locator(".user-link").click()  # the language is in the user's own menu
    page.locator("#locale-select").select_option(label=label)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("employee_no", ["L0001", "T0001", "M0001", "A0001"])
def test_the_header_is_one_row_at_1366_px_in_every_language(page, employee_no):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, employee_no)
    try:
        for label, button in (("English", "切換"), ("简体中文", "Switch"), ("繁體中文", "切换")):
            layout = page.evaluate(ONE_ROW)
            lang = page.locator("html").get_attribute("lang")
            assert layout["overlap"] > 0 and layout["height"] < 72, (employee_no, lang, page.url, layout)
            _switch_language(page, label, button)
        page.goto("/calls/manage/" if employee_no in ("T0001", "A0001") else "/courses/")
        layout = page.evaluate(ONE_ROW)
        assert layout["overlap"] > 0 and layout["height"] < 72, (employee_no, page.url, layout)
    finally:
        if page.locator("html").get_attribute("lang") != "zh-Hant":
            _switch_language(page, "繁體中文", "Switch")


def test_the_manage_menu_opens_and_closes_with_the_keyboard(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "A0001")
    nav = page.get_by_role("navigation", name="主選單")
    assert nav.get_by_role("link").all_inner_texts() == [
        "首頁", "課程", "測驗", "模擬通話", "認證", "服務規範", "認證審核"]
    summary = nav.locator("summary", has_text="管理")
    summary.focus()
    page.keyboard.press("Enter")
    expect(nav.get_by_role("link", name="使用者")).to_be_visible()
    assert nav.locator(".nav-menu__list").get_by_role("link").all_inner_texts() == [
        "KPI", "成效報表", "準備度看板", "面授課程", "內容編輯", "題目", "通話情境", "媒體庫", "案例審閱", "技能競賽", "使用者",
        "團隊", "稽核紀錄", "Webhook", "個人資料", "API 權杖"]
    check_a11y(page, "header-manage-menu")
    page.keyboard.press("Escape")
    expect(nav.get_by_role("link", name="使用者")).to_be_hidden()
    expect(summary).to_be_focused()
    summary.click()
    nav.get_by_role("link", name="題目").click()
    page.wait_for_url("**/exams/manage/**")
    # On a page of the menu, the menu says so (its summary is marked) and the page is the current link.
    expect(nav.locator("summary.nav-menu__summary--active")).to_have_text("管理")


def test_a_learner_has_no_manage_menu_and_a_manager_finds_kpis_and_reports_there(page):
    login(page, "L0001")
    assert page.locator(".nav-menu").count() == 0
    page.locator(".user-link").click()
    page.get_by_role("button", name="登出").click()
    login(page, "M0001")
    page.locator(".nav-menu summary").click()
    assert page.locator(".nav-menu__list").get_by_role("link").all_inner_texts() == ["KPI", "成效報表", "面授課程"]


@pytest.mark.parametrize("query,expected", [("ＦＣＲ", "首次解決率"), ("complaint", "投訴"), ("FCR", "首次解決率")])
def test_the_header_search_finds_english_terms_and_acronyms(page, query, expected):
    login(page, "L0001")
    box = page.get_by_role("search", name="搜尋服務規範與課程").get_by_role("searchbox")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url("**/search/**")
    results = page.locator("ol.results mark")
    expect(results.first).to_have_text(expected)
    assert page.locator("ol.results > li.result").count() >= 2
    check_a11y(page)
