"""Two trainers edit the same lesson in two pages (issue 12, item 22): the second save is refused, shows
what the first saved against their own text, and saving again replaces it deliberately."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y, login

pytestmark = pytest.mark.browser


def _open_lesson(page) -> None:
    page.goto("/courses/manage/DEV-402")
    page.locator(".lesson-list__item a").first.click()
    page.wait_for_load_state("load")  # the live preview listens once app.js has run


def test_a_second_save_from_an_older_page_is_refused_and_shows_the_first(page, browser, live_server):
    other_context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url,
                                        bypass_csp=True)
    other = other_context.new_page()
    try:
        login(page, "T0001")
        login(other, "T0001")
        _open_lesson(page)
        _open_lesson(other)  # both pages show the same version of the lesson

        body = page.get_by_label("單元內容（Markdown）")
        body.fill(body.input_value() + "\n\n甲補充的一段。\n")
        page.get_by_role("button", name="儲存草稿").click()
        expect(page.get_by_text("單元已存入草稿。")).to_be_visible()

        other_body = other.get_by_label("單元內容（Markdown）")
        other_body.fill(other_body.input_value() + "\n\n乙補充的一段。\n")
        other.get_by_role("button", name="儲存草稿").click()
        alert = other.get_by_role("alert").filter(has_text="在你編輯期間，已有其他人儲存了這個項目")
        expect(alert).to_be_visible()
        expect(alert.locator(".diff__line--saved", has_text="甲補充的一段。")).to_be_visible()
        expect(alert.locator(".diff__line--yours", has_text="乙補充的一段。")).to_be_visible()
        expect(other.get_by_label("單元內容（Markdown）")).to_have_value(re.compile("乙補充的一段。"))
        check_a11y(other, "authoring-lesson-stale")

        # The first trainer's text is what is saved; the second takes it over and saves again.
        page.reload()
        expect(page.get_by_label("單元內容（Markdown）")).to_have_value(re.compile("甲補充的一段。"))
        merged = other.get_by_label("單元內容（Markdown）")
        merged.fill(merged.input_value() + "\n甲補充的一段。\n")
        other.get_by_role("button", name="儲存草稿").click()
        expect(other.get_by_text("單元已存入草稿。")).to_be_visible()
        value = other.get_by_label("單元內容（Markdown）").input_value()
        assert "甲補充的一段。" in value and "乙補充的一段。" in value
    finally:
        other_context.close()
