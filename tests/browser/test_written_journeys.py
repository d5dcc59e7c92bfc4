"""Journeys of the written exercises (4.2, 4.3): a new hire answers an online chat about a bill and an
e-mail complaint in their own words, and reads each debrief. At 1366 px, the width of the centre's
screens; every page is checked with axe and kept as a screenshot."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y, login, reply_by_key

pytestmark = pytest.mark.browser

EMAIL_BODY = """{salute}您好：

非常抱歉，這次派工單的地址少登記了樓層，工程人員當天沒能到府，也沒有事先聯絡您，這是我們的疏失。
我們已補正地址，並為您改約 {date}上午 9 點到 12 點裝機，工程人員出發前會先來電；本次裝機費用也將免收。

如有任何問題，歡迎回覆本信或撥打客服專線，並告知案件編號，我們會盡快為您處理。

恆通電訊客戶服務中心
客服專員"""


def _start_practice(page, title: str) -> None:
    page.goto("/calls/")
    page.get_by_role("link", name=title).click()
    with page.expect_navigation():
        page.get_by_role("button", name="開始練習").click()


def _send(page, text: str, subject: str | None = None) -> None:
    if subject is not None:
        page.get_by_label("主旨").fill(subject)
    page.get_by_label("你的回覆").fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="送出").click()


def test_new_hire_answers_a_chat_and_an_email_and_reads_the_debriefs(page):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "L0001")
    page.goto("/calls/")
    expect(page.locator(".channel-tag", has_text="線上客服").first).to_be_visible()
    check_a11y(page, "written-index")

    # An online chat about a bill: bubbles with the time each was sent.
    page.get_by_role("link", name="帳單怎麼多了四百多元？（線上客服）").click()
    expect(page.get_by_role("button", name="開始練習")).to_be_visible()
    assert "你的練習紀錄" not in page.locator("main").inner_text()
    check_a11y(page, "written-chat-briefing")
    with page.expect_navigation():
        page.get_by_role("button", name="開始練習").click()
    expect(page.locator(".transcript--chat time").first).to_be_visible()
    reply_by_key(page, 0)  # greet and say what happens next
    reply_by_key(page, 0)  # ask for the name and the last four digits
    # The variant is drawn at random: read the amounts the turn's prompt gives.
    prompt = page.locator(".line--narration").last.inner_text()
    usual, days, roaming = (re.search(pattern, prompt).group(1) for pattern in (
        r"月租 ([\d,]+) 元", r"漫遊日租 (\d+) 天", r"共 ([\d,]+) 元"))
    check_a11y(page, "written-chat-typed-turn")
    _send(page, f"您好，這個月除了月租 {usual} 元，還有您在日本使用的國際漫遊日租 {days} 天，每天 149 元，共 {roaming} 元。")
    feedback = page.locator(".line--agent").last
    assert "依帳單明細正確說明金額的來由" in feedback.inner_text() and "未達成" not in feedback.inner_text()
    reply_by_key(page, 0)  # transfer to the mobile network team
    check_a11y(page, "written-chat-practice")
    reply_by_key(page, 0)  # keep the whole record
    page.wait_for_url(re.compile(r"/debrief"))
    expect(page.get_by_role("heading", name="逐則回顧這次練習")).to_be_visible()
    assert page.locator(".result-box__score").inner_text().startswith("100%")
    check_a11y(page, "written-chat-debrief")

    # An e-mail complaint: the reply has a subject line and the customer's facts.
    _start_practice(page, "請了半天假，裝機人員卻沒來（電子郵件）")
    expect(page.locator(".mail-head").first).to_be_visible()
    reply_by_key(page, 0)  # answer today that the mail arrived and when the answer comes
    prompt = page.locator(".line--narration").last.inner_text()
    new_date = re.search(r"保留 (\d+ 月 \d+ 日)", prompt).group(1)
    customer = page.locator(".mail-head dd").first.inner_text().split(" ")[0]
    check_a11y(page, "written-email-compose")
    _send(page, EMAIL_BODY.format(salute=customer, date=new_date), subject="【恆通電訊】裝機時間改約與致歉")
    reply_by_key(page, 0)  # check the recipient and the attachment before sending
    page.wait_for_url(re.compile(r"/debrief"))
    main = page.locator("main").inner_text()
    assert "主旨：【恆通電訊】裝機時間改約與致歉" in main and "寄出前核對收件人、附件與數字" in main
    assert page.locator(".result-box__score").inner_text().startswith("100%")
    check_a11y(page, "written-email-debrief")


def test_the_social_page_and_the_sms_are_drawn_as_their_channels(page):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "L0001")
    _start_practice(page, "報修三天沒人來！（粉絲專頁留言）")
    expect(page.locator(".thread__public")).to_contain_text("公開")
    expect(page.locator(".social-post__page")).to_have_text("恆通電訊 官方粉絲專頁")
    reply_by_key(page, 0)  # answer now
    expect(page.locator("#reply-hint")).to_contain_text("所有造訪粉絲專頁的人都會看到")
    check_a11y(page, "written-social")

    _start_practice(page, "到府檢修的確認簡訊（簡訊）")
    reply_by_key(page, 0)  # send it now
    box = page.get_by_label("你的回覆")
    assert box.get_attribute("maxlength") == "70"
    box.fill("【恆通電訊】工程人員將依約到府檢修")
    expect(page.locator("#reply-count")).to_have_text("已輸入 17／70 字")
    check_a11y(page, "written-sms")
