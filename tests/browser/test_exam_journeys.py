"""Journeys of the exam engine: a trainer imports GIFT and builds an exam from two pools; a learner
takes it under a timer, loses the connection, resumes and is submitted at the deadline; the trainer
reads the item analysis."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.db import db, utcnow
from lms.exams.models import Attempt, AttemptQuestion
from tests.browser.conftest import check_a11y, login, nav_link

pytestmark = pytest.mark.browser
GIFT = Path(__file__).resolve().parents[1] / "fixtures" / "gift" / "other-lms-export.gift"


def _trainer_builds_exam(page, tmp_path):
    login(page, "T0001")
    nav_link(page, "題目").click()
    check_a11y(page, "quizzes-admin")
    page.get_by_role("link", name="匯入 GIFT").click()
    # A malformed file is refused with the line of its first error, and nothing is imported.
    broken = tmp_path / "broken.gift"
    broken.write_text("::ok::好題目 {T}\n\n::壞::這一題少了右括號 {=a ~b\n", encoding="utf-8")
    page.get_by_label("題庫名稱").fill("其他平台匯出")
    page.get_by_label("GIFT 檔案").set_input_files(str(broken))
    page.get_by_label("沒有引用規範的題目所引用的條目").fill("4.1.1-a")
    page.get_by_role("button", name="檢查並匯入").click()
    summary = page.locator(".error-summary")
    assert "第 3 行" in summary.inner_text()
    check_a11y(page, "gift-import-error")
    # The real export: imported, tagged as a pool.
    page.get_by_label("GIFT 檔案").set_input_files(str(GIFT))
    page.get_by_label("為每一題加上的標籤").fill("imported")
    page.get_by_label("沒有引用規範的題目所引用的條目").fill("4.1.1-a, 4.1.3-c")
    page.get_by_role("button", name="檢查並匯入").click()
    expect(page.get_by_text(re.compile("已匯入 10 題"))).to_be_visible()
    check_a11y(page, "gift-bank")
    # An exam drawing 20 questions from two pools, under a timer.
    page.goto("/exams/manage/exams/new?builder=text")  # the builder's advanced view: sections as lines of text
    page.get_by_label("測驗代號").fill("phone-mixed")
    page.get_by_label("標題").fill("電話禮儀綜合測驗")
    page.get_by_label("類型").select_option("exam")
    page.get_by_label("作答時間（分鐘，0 表示不限）").fill("10")
    page.get_by_label("可作答次數（0 表示不限）").fill("3")
    page.get_by_label("及格分數（%）").fill("60")
    page.get_by_label("題目（以文字逐行撰寫）", exact=True).fill("draw 10 from imported\ndraw 10 from pro-201 only single truefalse multiple")
    check_a11y(page, "exam-builder")
    page.get_by_role("button", name="儲存測驗").click()
    expect(page.get_by_text(re.compile("測驗已儲存"))).to_be_visible()


def test_trainer_imports_builds_learner_takes_under_timer_and_trainer_analyses(browser, live_server, live_app,
                                                                              tmp_path):
    trainer_context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    trainer = trainer_context.new_page()
    _trainer_builds_exam(trainer, tmp_path)

    learner_context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = learner_context.new_page()
    login(page, "L0002")
    page.goto("/exams/phone-mixed")
    check_a11y(page, "exam-intro")
    page.get_by_role("button", name="開始").click()
    assert re.search(r"/exams/attempts/\d+$", page.url)
    attempt_id = int(page.url.rsplit("/", 1)[1])
    timer = page.locator(".timer__clock")
    assert re.fullmatch(r"\d+:\d\d", timer.inner_text())
    assert page.get_by_role("timer").count() == 1
    check_a11y(page, "exam-question")

    # Answer the first question; it is saved without leaving the page.
    first = page.locator(".question-block input, .question-block select, .question-block textarea").first
    if first.get_attribute("type") in ("radio", "checkbox"):
        first.check()
    elif first.evaluate("e => e.tagName") == "SELECT":
        first.select_option(index=1)
    else:
        first.fill("3")
        first.blur()
    page.wait_for_function("document.querySelector('[data-save-status]').dataset.state === 'saved'")

    # The connection drops: the change is queued and the page says it is not saved …
    learner_context.set_offline(True)
    control = page.locator(".question-block input[type=radio], .question-block input[type=checkbox]").last
    field = page.locator(".question-block input:not([type=hidden]), .question-block textarea").first
    if control.count():
        control.check()
    elif field.count():
        field.fill("5")
        field.blur()
    else:  # matching or ordering: drop-down lists
        page.locator(".question-block select").last.select_option(index=2)
    page.wait_for_function("document.querySelector('[data-save-status]').dataset.state === 'offline'")
    assert "連線中斷" in page.locator("[data-save-status]").inner_text()
    # … and re-sent with the same number when it comes back: stored exactly once.
    learner_context.set_offline(False)
    page.evaluate("window.lmsExam.flush()")
    page.wait_for_function("document.querySelector('[data-save-status]').dataset.state === 'saved'", timeout=20000)
    with live_app.app_context():
        aq = db.session.scalar(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id,
                                                             AttemptQuestion.position == 1))
        assert aq.response is not None and aq.sequence == 2

    # Resume: a fresh page of the same attempt shows the saved answer.
    page.reload()
    # Whatever the drawn question's type: a ticked box, a chosen option or typed text is back.
    assert page.evaluate("""() => [...document.querySelectorAll(
        '.question-block input:not([type=hidden]), .question-block select, .question-block textarea')]
        .some(e => (e.type === 'radio' || e.type === 'checkbox') ? e.checked : e.value !== '')""")

    # The deadline (brought close for the test) submits the attempt from the server's count.
    with live_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.deadline_at = utcnow() + timedelta(seconds=6)
        db.session.commit()
    page.reload()
    page.wait_for_url(re.compile(r"/review$"), timeout=30000)
    expect(page.locator(".result-box")).to_be_visible()
    check_a11y(page, "exam-review")
    with live_app.app_context():
        assert db.session.get(Attempt, attempt_id).closed_by in ("learner", "deadline")

    # The trainer reads the item analysis.
    trainer.goto("/exams/manage/exams/phone-mixed/analysis")
    expect(trainer.get_by_role("heading", name="試題分析")).to_be_visible()
    assert trainer.locator("table tbody tr").count() >= 10
    check_a11y(trainer, "item-analysis")
    trainer_context.close()
    learner_context.close()


def test_learner_without_javascript_saves_by_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    login(page, "L0003")
    page.goto("/exams/fnd-101-pre")
    page.get_by_role("button", name="開始").click()
    choice = page.locator(".question-block input[type=radio], .question-block input[type=checkbox]").first
    if choice.count():
        choice.check()
    page.get_by_role("button", name=re.compile("下一題")).click()
    assert "page=2" in page.url
    page.get_by_role("button", name=re.compile("完成並交卷")).click()
    assert "/submit" in page.url
    page.get_by_role("button", name="交卷").click()
    assert page.url.endswith("/review")
    context.close()
