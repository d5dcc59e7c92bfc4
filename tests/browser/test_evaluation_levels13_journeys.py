"""Journeys of evaluation levels 1 and 3: a learner finishes a course and answers its reaction survey;
an observer fills a 30-day scorecard from the task list, and the learner reads it beside the simulated
call of the same scenario."""

import re

import pytest
from playwright.sync_api import expect

from lms.db import db
from tests.browser.conftest import check_a11y, login

pytestmark = pytest.mark.browser


def _pass_post_test(live_app, employee_no: str, slug: str) -> None:
    """The course's post-test answered right through the services a learner's answers go through (completing a
    course takes its post-test; this journey is about the survey that follows)."""
    from sqlalchemy import select

    from lms.accounts.models import User
    from lms.exams import answers, attempts, grading, queries
    from lms.exams.question_types import QUESTION_TYPES

    with live_app.app_context():
        user = db.session.scalar(select(User).where(User.employee_no == employee_no))
        attempt = attempts.start_attempt(user, queries.get_exam(slug), seed=7)
        for question in grading.questions_of(attempt):
            response = QUESTION_TYPES[question.version.qtype].correct_response(question.version.data)
            answers.save_answer(attempt.id, user, question.position, response, question.sequence + 1)
        assert attempts.submit_attempt(attempt.id, user).passed
        db.session.commit()
        db.session.remove()


def test_learner_answers_the_survey_after_completing_a_course(page, live_app):
    login(page, "L0004")
    page.goto("/courses/DEV-401")
    page.get_by_role("button", name="選課").click()
    _pass_post_test(live_app, "L0004", "dev-401-post")
    page.get_by_role("link", name="開始").first.click()
    for _lesson in range(2):
        page.get_by_role("button", name=re.compile("讀完了，下一單元")).click()
    page.get_by_role("button", name=re.compile("讀完了，完成課程")).click()
    page.goto("/")
    surveys = page.get_by_role("region", name="待填的問卷")
    link = surveys.get_by_role("link", name=re.compile("課程回饋問卷 · 市場分析與行業動態"))
    expect(link).to_be_visible()
    check_a11y(page, "home-open-survey")
    link.click()
    expect(page.get_by_role("heading", name="課程回饋問卷")).to_be_visible()
    check_a11y(page, "survey-form")
    # Sent with one statement left out: the error names it and the answers given are kept.
    groups = page.locator("form.survey-form").get_by_role("group")
    for index in range(groups.count() - 2):
        groups.nth(index).get_by_role("radio", name=re.compile("^4・同意")).check()
    page.get_by_role("button", name="送出問卷").click()
    expect(page.locator(".error-summary")).to_contain_text("請回答這一題")
    check_a11y(page, "survey-form-error")
    page.get_by_role("group", name="課程的份量與長度安排得剛好").get_by_role("radio", name=re.compile("^5・")).check()
    page.get_by_role("group", name=re.compile("推薦給其他同仁")).get_by_role("radio", name="9", exact=True).check()
    page.get_by_label("有哪些地方可以改得更好？（請不要寫出任何人的姓名）").fill("希望多一些實際數據的練習。")
    page.get_by_role("button", name="送出問卷").click()
    expect(page.get_by_role("status")).to_contain_text("你的回答已經記錄")
    page.goto("/")
    expect(page.get_by_role("region", name="待填的問卷").get_by_text("市場分析與行業動態")).to_have_count(0)


def test_observer_fills_a_30_day_scorecard_and_the_learner_sees_it_beside_the_simulated_call(page):
    login(page, "T0001")
    page.get_by_role("link", name="待辦的實地觀察").first.click()
    check_a11y(page, "observation-tasks")
    row = page.locator("tr", has_text="林資深").filter(has_text="第 30 天")
    row.get_by_role("link", name="填寫評分表").click()
    expect(page.get_by_role("heading", name="評分表：林資深")).to_be_visible()
    page.get_by_label("來電編號（錄音或案件編號）").fill("REC-20261130-08")
    criteria = page.locator("fieldset.scorecard-criterion")
    rubric_size = criteria.count()
    assert rubric_size >= 5
    for index in range(rubric_size):
        criteria.nth(index).get_by_role("radio", name="達成", exact=True).check()
    criteria.nth(1).get_by_role("radio", name="部分達成").check()
    page.get_by_label("給學員的回饋").fill("問候語完整，結束前記得再確認一次需求。")
    check_a11y(page, "scorecard")
    page.get_by_role("button", name="送出評分表").click()
    expect(page.get_by_role("status")).to_contain_text("評分表已記錄")
    page.get_by_role("button", name="登出").click()

    login(page, "L0002")
    page.get_by_role("link", name="我的實地觀察").first.click()
    page.get_by_role("link", name=re.compile("完整")).first.click()
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name=re.compile("真實來電 · 第 30 天"))).to_be_visible()
    expect(table.get_by_role("columnheader", name=re.compile("模擬通話"))).to_have_count(1)
    expect(table.locator("tbody tr")).to_have_count(rubric_size)  # criterion by criterion
    expect(page.get_by_text("問候語完整，結束前記得再確認一次需求。")).to_be_visible()
    check_a11y(page, "observation-beside-simulated")
