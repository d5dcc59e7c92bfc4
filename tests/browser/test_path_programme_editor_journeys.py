"""Issue 18 without YAML: a trainer builds an onboarding path with forms and reorders its steps, changes a
certification programme's requirement, and finds on their home page a draft, a review waiting and a
question item analysis flags, each a link to where it is dealt with. axe-core clean on every page."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.db import db
from tests.browser.conftest import check_a11y, login

pytestmark = pytest.mark.browser


def _step_courses(page) -> list[str]:
    rows = page.locator("select[id^='steps-'][id$='-course']")
    return [v for v in (rows.nth(i).input_value() for i in range(rows.count())) if v]


def test_a_trainer_builds_a_path_of_three_courses_and_reorders_them(page):
    login(page, "T0001")
    page.goto("/courses/manage/")
    page.get_by_role("link", name="到職路徑", exact=True).click()
    check_a11y(page, "paths-list")
    page.get_by_role("link", name="新增到職路徑").click()
    page.get_by_label("網址名稱").fill("chat-new-hire")
    page.get_by_label("標題", exact=True).fill("線上客服新人路徑")
    page.get_by_label("適用於到職未滿幾天的學員").fill("60")
    # Courses every new hire already gets from the shipped path: the other journeys' new hires see no change.
    for n, (code, days) in enumerate((("FND-101", "3"), ("FND-104", "10"), ("FND-102", "30")), start=1):
        page.get_by_label(f"課程（第 {n} 步）", exact=True).select_option(code)
        page.get_by_label(f"期限（到職後天數）（第 {n} 步）", exact=True).fill(days)
    check_a11y(page, "path-new")
    page.get_by_role("button", name="儲存路徑").click()
    expect(page.get_by_text("已儲存到職路徑，之後的新人都會被指派。")).to_be_visible()
    assert _step_courses(page) == ["FND-101", "FND-104", "FND-102"]

    # The last course first: its order number becomes 1, the others follow.
    page.get_by_label("順序（第 3 步）", exact=True).fill("1")
    page.get_by_label("順序（第 1 步）", exact=True).fill("2")
    page.get_by_label("順序（第 2 步）", exact=True).fill("3")
    page.get_by_role("button", name="儲存路徑").click()
    expect(page.get_by_text("已儲存到職路徑。")).to_be_visible()
    assert _step_courses(page) == ["FND-102", "FND-101", "FND-104"]
    expect(page.get_by_label("期限（到職後天數）（第 1 步）", exact=True)).to_have_value("30")
    check_a11y(page, "path-edit")

    # A step without its days is named under its own field, and nothing is saved.
    page.get_by_label("期限（到職後天數）（第 2 步）", exact=True).fill("")
    page.get_by_role("button", name="儲存路徑").click()
    expect(page.locator("#steps-1-due_days-error")).to_have_text("請填寫到職後的天數。")
    check_a11y(page, "path-error")
    assert page.console_errors and all("status of 422" in e for e in page.console_errors)  # the refused save
    page.console_errors.clear()


def test_a_trainer_changes_a_programmes_exam_requirement(page):
    login(page, "T0001")
    page.goto("/certification/programmes/team-lead-quality-coach")
    page.get_by_role("link", name="編輯", exact=True).click()
    page.wait_for_url("**/form")
    version = page.locator(".status-bar .tag").first.inner_text()
    check_a11y(page, "programme-form")
    page.locator("a[href$='/initial/requirements/written']").click()
    score = page.get_by_label("最低及格分數（%）")
    expect(score).to_have_value("80")
    check_a11y(page, "programme-requirement")
    score.fill("85")
    page.get_by_role("button", name="儲存條件").click()
    expect(page.get_by_text("已存為認證方案的新版本。")).to_be_visible()
    assert page.locator(".status-bar .tag").first.inner_text() != version
    page.locator("a[href$='/initial/requirements/written']").click()
    expect(page.get_by_label("最低及格分數（%）")).to_have_value("85")


def _home_world(app) -> None:
    """A course draft, a service case waiting for a trainer, and five first attempts all right on a pre-test
    (every question it drew is then very easy)."""
    from lms.accounts.models import User
    from lms.accounts.users import UserData, create_user
    from lms.cases import authoring as cases
    from lms.cases.authoring import CaseData
    from lms.courses import authoring
    from lms.exams import answers, attempts, grading
    from lms.exams.models import Exam
    from lms.exams.question_types import QUESTION_TYPES

    with app.app_context(), app.test_request_context("/"):
        trainer = db.session.scalar(select(User).where(User.employee_no == "T0001"))
        learner = db.session.scalar(select(User).where(User.employee_no == "L0003"))
        authoring.open_draft(authoring.get_course("DEV-404"), trainer)
        cases.save_case(learner, None, CaseData("深夜斷網的耐心說明", "phone", "professional", "客戶深夜來電說家中斷網",
                                                "先致歉並查詢區域狀態", "約定隔天回電", "主動回報讓客戶安心", ["4.1.1-a"]),
                        submit=True)
        exam = db.session.scalar(select(Exam).where(Exam.slug == "dev-403-pre"))
        for n in range(5):
            taker = create_user(UserData(employee_no=f"P18{n:02d}", name=f"作答者{n}", email=f"p18{n}@example.com",
                                         hire_date=None), password=None)
            attempt = attempts.start_attempt(taker, exam, seed=3)
            for aq in grading.questions_of(attempt):
                answers.save_answer(attempt.id, taker, aq.position,
                                    QUESTION_TYPES[aq.version.qtype].correct_response(aq.version.data), 1)
            attempts.submit_attempt(attempt.id, taker)
        db.session.commit()
        db.session.remove()


def test_a_trainers_home_shows_a_draft_a_waiting_review_and_a_flagged_question(page, live_app):
    _home_world(live_app)
    login(page, "T0001")
    drafts = page.locator("section", has=page.locator("#drafts-h"))
    expect(drafts.locator("a[href='/courses/manage/DEV-404']")).to_be_visible()
    queues = page.locator("section", has=page.locator("#queues-h"))
    cases_row = queues.locator("tr", has=page.locator("a[href='/cases/manage/']"))
    expect(cases_row.locator("a[href^='/cases/manage/']:not([href='/cases/manage/'])").first).to_be_visible()
    flagged = page.locator("section", has=page.locator("#flagged-h"))
    expect(flagged.locator("a[href^='/exams/manage/exams/'][href$='/analysis']").first).to_be_visible()
    expect(flagged.get_by_text("過於簡單").first).to_be_visible()
    check_a11y(page, "trainer-home")
    flagged.locator("a[href^='/exams/manage/questions/']").first.click()
    page.wait_for_url("**/edit")
    page.goto("/")
    waiting = page.locator("section", has=page.locator("#queues-h")).locator("tr", has=page.locator(
        "a[href='/cases/manage/']")).locator("a[href^='/cases/manage/']:not([href='/cases/manage/'])").first
    waiting.click()
    page.wait_for_url("**/cases/manage/*")
