"""Evaluation reports in the browser: a trainer reads a course's level-1 and level-2 report; a manager reads the team
report, downloads it as a PDF whose charts render in Chinese, and records an improvement action."""

import subprocess
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from lms.db import db
from tests.browser.conftest import check_a11y, login, nav_link

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def demo_learning(live_app):
    from lms.evaluation.learning_demo import load_demo_learning
    from lms.evaluation.levels13_demo import load_demo_levels13

    with live_app.app_context():
        assert load_demo_learning()
        with live_app.test_request_context("/"):
            assert load_demo_levels13()  # the surveys answered after PRO-205 (level 1)
        db.session.commit()
        db.session.remove()


def _logout(page):
    page.get_by_role("button", name="登出").click()


def test_trainer_reads_a_course_learning_report(page):
    login(page, "T0001")
    nav_link(page, "成效報表").click()
    page.get_by_role("link", name="PRO-205 投訴處理五步驟").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("PRO-205")
    expect(page.get_by_role("heading", name="學員反應（第一層）")).to_be_visible()  # level 1, then level 2
    expect(page.get_by_role("heading", name="學習成效（第二層）：課前與課後測驗")).to_be_visible()
    chart = page.get_by_role("img", name="分數分布", exact=False)
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 500  # drawn at a readable size, not collapsed
    expect(page.get_by_role("heading", name="課後仍答錯的規範條目")).to_be_visible()
    expect(page.get_by_text("5.2.1-c").first).to_be_visible()
    learning = page.locator("section", has=page.get_by_role("heading", name="學習成效（第二層）：課前與課後測驗"))
    learning.get_by_text("以表格呈現圖表數據").click()
    expect(page.get_by_role("table", name="各分數區間的學員人數")).to_be_visible()
    check_a11y(page, "evaluation-course-report")


def test_manager_reads_the_team_report_downloads_it_and_records_an_action(page, tmp_path):
    login(page, "M0001")
    page.goto("/evaluation/manage/reports/")
    page.get_by_role("link", name="客服一組").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("客服一組")
    expect(page.get_by_role("img", name="PRO-205", exact=False).first).to_be_visible()
    expect(page.get_by_role("img", name="選課中", exact=False)).to_be_visible()  # the completion funnel
    check_a11y(page, "evaluation-team-report")

    pdf_link = page.get_by_role("link", name="下載 PDF").get_attribute("href")
    response = page.request.get(pdf_link)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "客服一組" in text and "各課程課前與課後的平均分數" in text  # the chart's own title, drawn in the PDF
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CertTC" in fonts and "Noto-Sans-CJK" not in fonts

    page.get_by_label("發現的問題").fill("新進同仁的課前測驗平均不到五成。")
    page.get_by_label("要採取的行動").fill("每月第一週安排一次投訴處理小組演練。")
    page.get_by_label("負責人").select_option(label="李主管 (M0001)")
    page.get_by_label("完成期限").fill((date.today() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="登記這項行動").click()
    expect(page.get_by_role("status")).to_contain_text("已登記改善行動")
    expect(page.get_by_text("每月第一週安排一次投訴處理小組演練。")).to_be_visible()
    expect(page.get_by_role("rowheader", name="完成兩次測驗的學員數")).to_be_visible()  # the baseline
    check_a11y(page, "evaluation-action")
    page.get_by_role("link", name="改善行動").first.click()
    expect(page.get_by_role("link", name="新進同仁的課前測驗平均不到五成。")).to_be_visible()
    check_a11y(page, "evaluation-actions")
