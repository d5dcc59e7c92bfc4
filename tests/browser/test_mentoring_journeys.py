"""A manager chooses a mentor for a new hire from the readiness board; the mentor logs three shadowing
entries and signs off every item the onboarding path lists; the new hire sees their mentor and the progress
on their home page; the board shows the mentoring complete. axe-core clean throughout."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y, login

pytestmark = pytest.mark.browser
NOTE_LABEL = "備註"

ENTRIES = [("旁聽師傅接聽電話", "電話", "旁聽帳單查詢，師傅先複述問題再查詢。", ["4.1.2-a"]),
           ("在師傅陪聽下接聽電話", "電話", "自己接聽；轉接前先說明原因並徵得同意。", ["4.1.1-b", "4.1.1-d"]),
           ("其他練習", "線上客服", "演練無法當場解決時，說明原因並承諾時間。", ["4.1.2-c"])]


def _logout(page):
    page.get_by_role("button", name="登出").click()
    page.wait_for_url("**/login**")


def test_a_new_hires_mentor_logs_shadowing_and_signs_off_the_path(page):
    login(page, "M0001")
    page.goto("/board/")
    page.get_by_role("row", name="陳新人").get_by_role("link", name="指定師傅").click()
    expect(page.get_by_role("heading", name="為 陳新人 指定師傅")).to_be_visible()
    check_a11y(page, "mentoring-choose")
    page.get_by_label("師傅").select_option(label=page.get_by_label("師傅").locator("option", has_text="林資深")
                                            .inner_text())
    page.get_by_role("button", name="儲存師傅").click()
    expect(page.get_by_text("已儲存 陳新人 的師傅。")).to_be_visible()
    _logout(page)

    login(page, "L0002")
    home = page.get_by_role("region", name="我帶的新人")
    expect(home).to_contain_text("陳新人")
    check_a11y(page, "mentoring-mentor-home")
    home.get_by_role("link", name="陳新人").click()
    expect(page.get_by_role("heading", name="陳新人 的師徒帶領")).to_be_visible()
    for kind, channel, notes, items in ENTRIES:
        page.get_by_label("進行的內容", exact=True).select_option(label=kind)
        page.get_by_label("管道", exact=True).select_option(label=channel)
        page.locator("#log").get_by_label("筆記", exact=True).fill(notes)
        page.locator("summary", has_text="練習的標準項目").click()
        for code in items:
            page.locator(f'#log input[name="items"][value="{code}"]').check()
        page.get_by_role("button", name="新增紀錄").click()
        expect(page.get_by_text("已加入跟學紀錄。")).to_be_visible()
    expect(page.locator("article.mentoring-entry")).to_have_count(3)
    check_a11y(page, "mentoring-log")
    sign_off = page.locator("#sign-off")
    while sign_off.get_by_role("button", name="簽核").count():
        sign_off.get_by_label(NOTE_LABEL, exact=True).fill("陪聽時確認做到。")
        sign_off.get_by_role("button", name="簽核").click()
        expect(page.get_by_text("已簽核。")).to_be_visible()
    expect(page.get_by_text("師徒帶領已完成")).to_be_visible()
    check_a11y(page, "mentoring-signed-off")
    _logout(page)

    login(page, "L0001")
    mine = page.get_by_role("region", name="我的師傅")
    expect(mine).to_contain_text("林資深 是您在「新進客服人員到職路徑」的師傅。")
    expect(mine).to_contain_text("已簽核 6 / 6 項")
    expect(mine).to_contain_text("3 筆跟學紀錄")
    check_a11y(page, "mentoring-new-hire-home")
    _logout(page)

    login(page, "M0001")
    page.goto("/board/")
    row = page.get_by_role("row", name="陳新人")
    expect(row).to_contain_text("師傅：林資深")
    expect(row).to_contain_text("已簽核 6 / 6 項")
    check_a11y(page)
