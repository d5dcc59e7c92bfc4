"""Journeys of issue 12 (items 9, 15, 16) as people see them: a learner reads when an exam's results are
shown (no closing date invented); a trainer who types a closing time the clocks skip is told so under the
field; a programme names what it needs first by title, as a link."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y, login

pytestmark = pytest.mark.browser


def test_a_learner_reads_when_the_results_of_an_exam_without_a_closing_date_are_shown(page):
    login(page, "L0003")
    page.goto("/exams/cert-senior-rep")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("成績要等培訓師公布後才會顯示")
    expect(facts).not_to_contain_text("考試截止後")
    check_a11y(page, "exam-release-note")


def test_a_trainer_is_told_a_closing_time_does_not_exist_when_the_clocks_go_forward(page, live_app):
    zone = live_app.config["DEFAULT_TIMEZONE"], live_app.config["BABEL_DEFAULT_TIMEZONE"]
    live_app.config["DEFAULT_TIMEZONE"] = live_app.config["BABEL_DEFAULT_TIMEZONE"] = "America/New_York"
    try:
        login(page, "T0001")
        page.goto("/exams/manage/exams/cert-senior-rep/edit")
        page.get_by_label("截止時間").fill("2026-03-08T02:30")
        page.get_by_role("button", name="儲存測驗").click()
        field_error = page.locator("#available_until").locator("xpath=..")
        expect(field_error).to_contain_text("時鐘撥快")
        check_a11y(page, "exam-dst-refused")
        page.get_by_label("截止時間").fill("2026-11-01T01:30")
        page.get_by_role("button", name="儲存測驗").click()
        expect(page.get_by_text(re.compile("出現兩次.*UTC−4"))).to_be_visible()
        # Put the exam back as it was, for the other journeys.
        page.goto("/exams/manage/exams/cert-senior-rep/edit")
        page.get_by_label("截止時間").fill("")
        page.get_by_role("button", name="儲存測驗").click()
        expect(page.get_by_text(re.compile("測驗已儲存"))).to_be_visible()
    finally:
        live_app.config["DEFAULT_TIMEZONE"], live_app.config["BABEL_DEFAULT_TIMEZONE"] = zone


def test_a_programme_names_what_it_needs_first_by_its_title(page):
    login(page, "L0003")
    page.goto("/certification/programmes/senior-rep")
    needs = page.locator("dl.facts")
    expect(needs).to_contain_text("須先取得")
    expect(needs.get_by_role("link", name="客服專員一級認證")).to_be_visible()
    expect(needs).not_to_contain_text("rep-level-1")
