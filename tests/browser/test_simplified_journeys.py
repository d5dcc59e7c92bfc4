"""A learner who chooses 简体中文 reads the content in simplified Chinese too (issue 15): a course, a lesson,
an exam question and a call, every one without a traditional character outside the parts marked with a
language of their own, and clean for axe."""

import re

import pytest
from playwright.sync_api import expect

from lms.content.simplified import character_simplified
from tests.browser.conftest import check_a11y, login
from tests.browser.test_board_journeys import _switch_language

pytestmark = pytest.mark.browser

# The page's main text, without the parts that keep a language of their own (and what a textarea holds).
MAIN_TEXT = """() => {
  const main = document.querySelector('main').cloneNode(true);
  main.querySelectorAll('[lang], textarea, script').forEach(e => e.remove());
  return main.innerText;
}"""


def _traditional_left(page) -> list[str]:
    text = page.evaluate(MAIN_TEXT)
    return sorted({ch for ch in text if character_simplified(ch) != ch})


def test_a_learner_reads_a_course_a_lesson_an_exam_and_a_call_in_simplified_chinese(page):
    login(page, "L0004")
    page.goto("/courses/PRO-205")
    _switch_language(page, "简体中文", "切換")
    try:
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
        expect(page.get_by_role("heading", name=re.compile("投诉处理五步骤"))).to_be_visible()
        expect(page).to_have_title(re.compile(r"^PRO-205 投诉处理五步骤 · "))
        assert _traditional_left(page) == []
        check_a11y(page, "simplified-course")

        page.goto("/courses/FND-101")  # PRO-205 waits for its prerequisite: FND-101 is open to everyone
        enrol = page.locator("main form[action$='/enrol'] button")
        if enrol.count():
            enrol.first.click()
        page.locator("main a[href*='/lessons/'], main a[href$='/continue']").first.click()
        assert "/lessons/" in page.url
        assert _traditional_left(page) == []
        check_a11y(page, "simplified-lesson")

        page.goto("/exams/fnd-101-pre")
        page.get_by_role("button", name="开始").click()
        expect(page.locator(".question-block").first).to_be_visible()
        assert _traditional_left(page) == []
        check_a11y(page, "simplified-exam-question")

        page.goto("/calls/")
        page.get_by_role("link", name="月租被扣了两次！").click()
        assert _traditional_left(page) == []
        check_a11y(page, "simplified-call-briefing")
        page.get_by_role("button", name="开始练习").click()
        page.wait_for_selector(".call-timer")
        assert _traditional_left(page) == []
        check_a11y(page, "simplified-call")
    finally:
        _switch_language(page, "繁體中文", "切换")
