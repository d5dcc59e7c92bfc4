"""Journeys of the simulated calls: a new hire plays a complaint call in practice under the ringing
timer, misses the apology and is told so with its standard item, hears the customer stay unhappy and
fails the call for it, then passes the assessment call and reads the debrief; a typed restatement with
the wrong amount is not credited and goes to a trainer, who reads why; a trainer opens the branch
diagram, edits a reply and has a broken file refused."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y, login, nav_link, reply_by_key

pytestmark = pytest.mark.browser
SLUG = "complaint-double-charge"


def _play_rest_well(page) -> None:
    for node_value in (0, 0, 0, 0, 0, 0, 0):  # verify id, facts, log, handle, feedback, follow-up, close
        reply_by_key(page, node_value)
    page.wait_for_url(re.compile(r"/debrief"))


def test_new_hire_misses_the_apology_then_passes(page):
    login(page, "L0001")
    page.get_by_role("navigation", name="主選單").get_by_role("link", name="模擬通話").click()
    check_a11y(page, "calls-index")
    page.get_by_role("link", name="月租被扣了兩次！").click()
    expect(page.get_by_text("第一時間致歉並告知已記錄")).to_be_visible()
    check_a11y(page, "call-briefing")
    page.get_by_role("button", name="開始練習").click()

    # The phone rings: the timer is shown, announced ring by ring, and runs out without a reply.
    timer = page.locator(".call-timer")
    assert timer.get_attribute("data-rings") == "3"
    announce = page.locator("[data-timer-announce]")
    assert announce.get_attribute("aria-live") == "polite" or announce.get_attribute("aria-live") == "assertive"
    page.wait_for_function("document.querySelector('[data-timer-announce]').textContent.includes('第 1 聲')")
    check_a11y(page, "call-ringing")
    page.wait_for_function("document.querySelector('[data-timer-announce]').textContent.includes('第 2 聲')",
                           timeout=6000)
    page.wait_for_url(re.compile(r"/calls/attempts/\d+#turn"), timeout=15000)
    page.wait_for_selector(".line--timeout")
    assert "沒有及時回應" in page.locator(".line--timeout").inner_text()
    assert "未達成" in page.locator(".line--timeout").inner_text()  # practice: marked at once

    # The greeting by keyboard alone: Tab to the reply and press Enter.
    greeting = page.locator('button.reply[value="0"]')
    greeting.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The angry customer; the new hire asks for the number instead of apologising.
    expect(page.get_by_text("生氣").first).to_be_visible()
    reply_by_key(page, 1)
    feedback = page.locator(".line--agent").last
    assert "未達成" in feedback.inner_text() and "5.2.1-a" in feedback.inner_text()
    check_a11y(page, "call-practice-feedback")
    _play_rest_well(page)
    debrief = page.locator("main")
    assert "第一時間致歉並告知已記錄" in debrief.inner_text()
    # The customer does not end pleased: they say the apology never came, and the call fails for it.
    last_words = page.locator(".transcript--debrief .line--customer").last
    assert "不耐煩" in last_words.inner_text()
    assert "對不起" in page.locator(".transcript--debrief").inner_text()
    critical = page.locator(".flash--error")
    assert "第一時間致歉並告知已記錄" in critical.inner_text() and "未通過" in page.locator(".result-box").inner_text()
    assert page.locator("tr.row--gap", has_text="第一時間致歉並告知已記錄").count() == 1
    expect(page.get_by_role("heading", name="建議複習的課程")).to_be_visible()
    check_a11y(page, "call-debrief-practice")

    # The assessment call: no feedback during the call, the apology this time, and a pass.
    with page.expect_navigation():
        page.get_by_role("button", name="進行正式評核").click()
    reply_by_key(page, 0)
    reply_by_key(page, 0)
    assert page.locator(".line__feedback").count() == 0
    reply_by_key(page, 0)
    check_a11y(page, "call-assessment")
    _play_rest_well(page)
    assert page.locator(".result-box__score").inner_text().startswith("100%")
    assert "通過" in page.locator(".result-box").inner_text()
    check_a11y(page, "call-debrief-assessment")
    page.get_by_role("link", name="月租被扣了兩次！").click()
    expect(page.get_by_role("heading", name="各評分項目的歷次結果")).to_be_visible()


def test_a_restatement_with_the_wrong_amount_goes_to_a_trainer_with_the_reason(page):
    login(page, "L0001")
    page.goto("/calls/communication-free-text-apology")
    page.get_by_role("button", name="開始練習").click()
    for value in (0, 0, 0):  # pick up, greet, let the customer finish
        reply_by_key(page, value)
    said = page.locator(".transcript").inner_text()
    service = re.search(r"「(.+?)」", said).group(1)
    total = int(re.search(r"加起來 (\d+) 元", said).group(1))
    wrong = total + 90

    def type_reply(text: str) -> None:
        page.get_by_label("你要對客戶說什麼？").fill(text)
        with page.expect_navigation():
            page.get_by_role("button", name="送出回覆").click()

    type_reply("真的很抱歉，讓您擔心了，我馬上幫您查。")
    type_reply(f"跟您確認一下，您是說這三個月的{service}一共被收了 {wrong} 元，對嗎？")
    feedback = page.locator(".line--agent").last
    assert f"被收取的金額不對：回覆說的是 {wrong}，這位客戶的是 {total}。" in feedback.inner_text()
    assert "這段回覆會交給培訓講師複核" in feedback.inner_text() and "未達成" in feedback.inner_text()
    check_a11y(page, "call-typed-fact-wrong")
    page.context.clear_cookies()

    login(page, "T0001")
    page.goto("/calls/manage/reviews")
    turn = page.locator("section.review-turn", has_text=f"{wrong} 元")
    expect(turn.get_by_text("為什麼需要你複核")).to_be_visible()
    assert f"回覆說的是 {wrong}，這位客戶的是 {total}" in turn.inner_text()
    check_a11y(page, "call-review-fact-reason")


def test_trainer_reads_the_diagram_edits_a_reply_and_a_broken_file_is_refused(page):
    login(page, "T0001")
    nav_link(page, "通話情境").click()
    check_a11y(page, "scenarios-admin")
    page.get_by_role("link", name="月租被扣了兩次！").click()
    diagram = page.locator("svg.call-diagram")
    expect(diagram).to_be_visible()
    assert "end_refund" in diagram.inner_html()
    expect(page.get_by_role("table", name="結局")).to_be_visible()
    check_a11y(page, "scenario-diagram")
    page.get_by_role("link", name="編輯", exact=True).click()
    source = page.get_by_label("情境內容（YAML）")
    text = source.input_value()
    assert "好，掰掰。" in text
    source.fill(text.replace("好，掰掰。", "好的，那就先這樣，再見。"))
    page.get_by_role("button", name="檢查並儲存").click()
    expect(page.get_by_text(re.compile("已儲存為第 2 版"))).to_be_visible()
    assert re.search(r"版本\s*2 ·", page.locator(".facts").inner_text())

    page.get_by_role("link", name="編輯", exact=True).click()
    text = page.get_by_label("情境內容（YAML）").input_value()
    assert "好的，那就先這樣，再見。" in text and "好，掰掰。" not in text
    indent = "  " if "\n  - id: ring" in text else ""
    broken = text.rstrip("\n") + "\n" + "\n".join(
        indent + line for line in ("- id: forgotten", "  type: customer", "  say: 還有人在嗎？", "  goto: a_close"))
    page.get_by_label("情境內容（YAML）").fill(broken)
    page.get_by_role("button", name="檢查並儲存").click()
    line = broken.split("\n").index(indent + "- id: forgotten") + 1
    summary = page.locator(".error-summary")
    assert f"第 {line} 行：[node forgotten] 無法到達" in summary.inner_text()
    summary.get_by_role("link").click()  # puts the cursor on the line named
    selected = page.evaluate("(() => { const a = document.getElementById('source');"
                             " return a.value.substring(a.selectionStart, a.selectionEnd); })()")
    assert selected.strip() == "- id: forgotten"
    check_a11y(page, "scenario-edit-refused")
