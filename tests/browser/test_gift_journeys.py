"""A trainer imports GIFT and reads what happened (issue 12, items 2 and 16): warnings stay on screen with
their lines after a successful import, and banks are named by their titles, never by generated ids."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y, login

pytestmark = pytest.mark.browser

WITH_WARNING = """// [tag:std:4.1.1-a]
::先掛::通話結束時，客服可以比客戶先掛斷嗎？{F}

// [tag:std:4.1.1-a]
::翻譯的關鍵字::客戶可以要求轉接主管嗎？{正確}
"""


def test_a_trainer_sees_the_warnings_of_a_successful_import_and_bank_titles(page, tmp_path):
    login(page, "T0001")
    page.goto("/exams/manage/gift")
    source = tmp_path / "warned.gift"
    source.write_text(WITH_WARNING, encoding="utf-8")
    page.get_by_label("題庫名稱").fill("旅程警告題庫")
    page.get_by_label("GIFT 檔案").set_input_files(str(source))
    page.get_by_role("button", name="檢查並匯入").click()
    expect(page.get_by_text(re.compile("已匯入 2 題到 旅程警告題庫"))).to_be_visible()
    warnings = page.locator(".flash--warning")
    expect(warnings).to_contain_text("第 5 行")
    expect(warnings).to_contain_text("正確")
    check_a11y(page, "gift-import-warnings")
    page.get_by_role("link", name="開啟題庫「旅程警告題庫」").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("旅程警告題庫")
    page.goto("/exams/manage/")
    listing = page.locator("main").inner_text()
    assert "旅程警告題庫" in listing and "電話禮儀基礎" in listing  # the shipped GIFT bank, by its title
    assert not re.search(r"\bbank-[0-9a-f]{8}\b", listing) and "moodle-phone-basics" not in listing
