"""An agent shares a service case with a customer's phone number in it: the case is refused with the field named
and the number masked, nothing is kept; the agent takes the number out and sends it. A trainer finds it in the
review queue and publishes it; a learner finds it by search and reads it with its standard items, and the
trainer turns it into a draft call scenario. axe-core clean throughout."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from lms.cases.models import Case
from lms.db import db
from tests.browser.conftest import check_a11y, login, nav_link

pytestmark = pytest.mark.browser

TITLE = "帳單疑問轉接前先徵得客戶同意"


def _cases(live_app, title: str) -> int:
    with live_app.app_context():
        return db.session.scalar(select(func.count()).select_from(Case).where(Case.title == title))


def test_a_case_is_shared_refused_for_a_phone_number_published_and_found(page, live_app):
    login(page, "L0002")
    nav_link(page, "服務規範").click()
    page.get_by_role("link", name="案例庫").click()
    expect(page.get_by_role("heading", name="案例庫")).to_be_visible()
    check_a11y(page, "case-library")
    page.get_by_role("link", name="分享案例").first.click()
    page.get_by_label("標題").fill(TITLE)
    page.get_by_label("管道", exact=True).select_option(label="電話")
    page.get_by_label("情況").fill("客戶來電說帳單多了一筆費用，留下手機 0912-345-678 請我們回電。")
    page.get_by_label("處理經過").fill("先聽完並複述確認，說明需要帳務組核對，徵得同意後才轉接，並告知轉接對象。")
    page.get_by_label("結果").fill("客戶在同一通電話裡得到答覆，沒有再來電。")
    page.get_by_label("值得學習之處").fill("轉接前先說明原因、取得同意並告知對象，客戶就不會覺得被推來推去。")
    page.get_by_label("示範的規範條目").select_option(["4.1.1-d", "4.1.1-e"])
    page.get_by_role("button", name="送出審閱").click()

    error = page.locator("#situation-error")
    expect(error).to_contain_text("情況")
    expect(error).to_contain_text("電話號碼")
    expect(error).to_contain_text("****-***-678")
    expect(page.locator(".error-summary")).to_contain_text("情況")
    check_a11y(page, "case-refused")
    assert _cases(live_app, TITLE) == 0

    page.get_by_label("情況").fill("客戶來電說帳單多了一筆費用，希望我們查清楚後回電。")
    page.get_by_role("button", name="送出審閱").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator(".flash--success")).to_contain_text("已送出審閱")
    check_a11y(page, "case-sent")
    assert _cases(live_app, TITLE) == 1

    page.context.clear_cookies()
    login(page, "T0001")
    nav_link(page, "案例審閱").click()
    expect(page.get_by_role("heading", name="待審閱的服務案例")).to_be_visible()
    check_a11y(page, "case-queue")
    page.get_by_role("link", name=TITLE).click()
    check_a11y(page, "case-review")
    page.get_by_role("button", name="發布到案例庫").click()
    expect(page.locator(".flash--success")).to_contain_text("已發布")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()

    page.context.clear_cookies()
    login(page, "L0001")
    page.goto("/search/?q=徵得同意")
    results = page.locator("ol.results").nth(2)
    results.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_role("link", name="4.1.1-d", exact=False)).to_be_visible()
    check_a11y(page, "case-page")

    page.context.clear_cookies()
    login(page, "T0001")
    page.goto(page.url.split("/cases/")[0] + "/cases/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="做成通話情境草稿").click()
    expect(page.locator(".flash--info")).to_contain_text("學員還看不到這個情境")
    expect(page.get_by_label("情境內容（YAML）")).to_have_value(re.compile("TODO"))
    check_a11y(page, "case-scenario-draft")
