"""Journeys of the question editor and the exam builder (issue 18): a trainer writes a matching question
in its own form, builds an exam from the question picker with a draw rule, previews a draw, publishes it,
and a learner takes it. axe-core runs on every editor page."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.db import db
from lms.exams.models import Exam, Question
from tests.browser.conftest import check_a11y, login

pytestmark = pytest.mark.browser

# Five problem categories (5.1.1): each caller's words and the category they belong to; 服務類 is the
# extra choice no caller here belongs to.
PAIRS = [("「我想了解這個資費方案每個月怎麼計費。」", "諮詢類"),
         ("「照著說明書設定了，路由器還是連不上網路。」", "技術類"),
         ("「如果你們的 App 能提醒繳費期限，會方便很多。」", "建議類"),
         ("「帳單重複扣了兩次款，我很不滿意，要正式投訴。」", "投訴類")]


def _trainer_writes_a_matching_question(page):
    page.goto("/exams/manage/banks/problem-classification/new")
    page.get_by_role("link", name="配對題").click()
    expect(page.get_by_role("group", name="配對")).to_be_visible()
    assert page.locator("[name=options-0-text]").count() == 0  # only the matching rows
    check_a11y(page, "question-editor-matching")
    page.get_by_label("題目代號").fill("classify-callers-journey")
    page.get_by_label("簡稱").fill("來電內容與問題類別配對")
    page.get_by_label("題目（Markdown）").fill("請把每一位客戶說的話，配對到它所屬的問題類別。")
    page.get_by_label("測驗的規範條目").fill("5.1.1-a, 5.1.1-b, 5.1.1-d, 5.1.1-e")
    page.get_by_label("標籤（題池）").fill("classification, pro-204")
    page.get_by_role("button", name="新增一組配對").click()  # four blank rows are there; a fifth for the extra choice
    for n, (caller, category) in enumerate(PAIRS, start=1):
        page.get_by_label(f"項目 {n}", exact=True).fill(caller)
        page.get_by_label(f"項目 {n} 的配對", exact=True).fill(category)
    page.get_by_label("項目 5 的配對", exact=True).fill("服務類")
    # Reorder without JavaScript: the second pair up, then back down.
    page.get_by_role("button", name="上移 配對 2").click()
    assert page.get_by_label("項目 1", exact=True).input_value() == PAIRS[1][0]
    page.get_by_role("button", name="下移 配對 1").click()
    assert page.get_by_label("項目 1", exact=True).input_value() == PAIRS[0][0]
    page.get_by_role("button", name="以學員視角預覽").click()
    preview = page.locator("#preview")
    expect(preview.locator("select")).to_have_count(4)
    expect(preview.get_by_role("combobox", name=PAIRS[0][0])).to_be_visible()
    check_a11y(page, "question-editor-preview")
    page.get_by_role("button", name="儲存為新版本").click()
    expect(page.get_by_text("題目已儲存。")).to_be_visible()
    # The editor of the saved question shows its rows and the (still empty) item analysis.
    page.goto("/exams/manage/questions/classify-callers-journey/edit")
    assert page.get_by_label("項目 4 的配對", exact=True).input_value() == "投訴類"
    expect(page.get_by_role("heading", name="本題各版本的試題分析")).to_be_visible()
    check_a11y(page, "question-editor-edit")


def _trainer_builds_the_exam(page):
    page.goto("/exams/manage/exams/new")
    page.get_by_label("測驗代號").fill("classify-journey")
    page.get_by_label("標題").fill("問題分類小測驗")
    page.get_by_label("類型").select_option("quiz")
    page.get_by_label("作答時間（分鐘，0 表示不限）").fill("0")
    page.get_by_label("可作答次數（0 表示不限）").fill("3")
    page.get_by_label("及格分數（%）").fill("60")
    page.get_by_label("版面").select_option("all_on_one")
    check_a11y(page, "exam-builder")
    # The picker: matching questions tagged classification; tick the new one and add it as fixed.
    page.get_by_label("題型", exact=True).select_option("matching")
    page.get_by_label("標籤", exact=True).select_option("classification")
    page.get_by_role("button", name="搜尋題目").click()
    page.get_by_label("來電內容與問題類別配對").check()
    page.get_by_role("button", name="把勾選的題目加為固定題目").click()
    expect(page.get_by_role("group", name=re.compile("第 1 題組"))).to_contain_text("來電內容與問題類別配對")
    # A draw rule from the filters: single-choice questions tagged classification.
    page.get_by_label("題型", exact=True).select_option("single")
    page.get_by_role("button", name="以這些篩選條件新增抽題規則").click()
    draw = page.get_by_role("group", name=re.compile("第 2 題組"))
    expect(draw).to_contain_text("隨機抽題")
    draw.get_by_label("抽出題數").fill("2")
    page.get_by_role("button", name="預覽一次抽題").click()
    sample = page.locator("#sample")
    expect(sample.locator("li")).to_have_count(3)
    expect(sample).to_contain_text("來電內容與問題類別配對")
    expect(page.get_by_role("heading", name="命題藍圖")).to_be_visible()
    check_a11y(page, "exam-builder-sample")
    page.get_by_role("button", name="儲存測驗").click()
    expect(page.get_by_text(re.compile("測驗已儲存"))).to_be_visible()
    expect(page.get_by_role("heading", name="本測驗的出題範圍")).to_be_visible()
    check_a11y(page, "exam-staff-pools")


def test_trainer_writes_a_matching_question_builds_an_exam_and_a_learner_takes_it(browser, live_server, live_app):
    trainer_context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    trainer = trainer_context.new_page()
    login(trainer, "T0001")
    _trainer_writes_a_matching_question(trainer)
    _trainer_builds_the_exam(trainer)
    with live_app.app_context():
        exam = db.session.scalar(select(Exam).where(Exam.slug == "classify-journey"))
        sections = exam.current_version.sections
        assert sections[0] == {"questions": ["classify-callers-journey"]}
        assert sections[1]["draw"]["count"] == 2 and sections[1]["draw"]["tags"] == ["classification"]
        assert db.session.scalar(select(Question).where(Question.uid == "classify-callers-journey")) is not None

    learner_context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = learner_context.new_page()
    login(page, "L0004")
    page.goto("/exams/classify-journey")
    pools = page.get_by_role("region", name="本測驗的出題範圍")
    expect(pools).to_contain_text("1 道固定題目")
    expect(pools).to_contain_text(re.compile(r"隨機抽出 2 題"))
    check_a11y(page, "exam-intro-pools")
    page.get_by_role("button", name="開始").click()
    for caller, category in PAIRS:
        page.get_by_role("combobox", name=caller).select_option(label=category)
    page.get_by_role("button", name="完成並交卷…").click()
    page.get_by_role("button", name="交卷").click()
    page.wait_for_url(re.compile(r"/review$"))
    expect(page.locator(".result-box")).to_be_visible()
    trainer_context.close()
    learner_context.close()
