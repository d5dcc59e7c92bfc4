"""A trainer uploads a recorded call with its transcript (after the form refuses it without one), puts it in a
lesson and on a call scenario's customer line, and publishes both; a learner reads the lesson, sees the
player, loads the clip and opens its transcript. axe-core clean on every page."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.accounts.models import User
from lms.courses.models import Course, Enrolment, EnrolmentSource
from lms.db import db
from tests.browser.conftest import check_a11y, login, nav_link
from tests.media import samples

pytestmark = pytest.mark.browser
COURSE, SCENARIO, LINE = "FND-103", "satisfaction-follow-up-call", "c_relative_confused"
TRANSCRIPT = "家屬：喂？你找誰？\n客服：您好，這裡是恆通電訊客戶服務中心，想找王先生做報修後的回訪。"


def _enrolled(live_app, employee_no: str) -> None:
    with live_app.app_context():
        user = db.session.scalar(select(User).where(User.employee_no == employee_no))
        course = db.session.scalar(select(Course).where(Course.code == COURSE))
        if not db.session.scalar(select(Enrolment.id).where(Enrolment.user_id == user.id,
                                                            Enrolment.course_id == course.id)):
            db.session.add(Enrolment(user_id=user.id, course_id=course.id, source=EnrolmentSource.SELF))
            db.session.commit()


def _upload(page, clip) -> str:
    """Upload the clip; the first try, without a transcript, is refused under that field. Its reference."""
    nav_link(page, "媒體庫").click()
    check_a11y(page, "media-library")
    page.get_by_role("link", name="上傳檔案").first.click()
    page.get_by_label("檔案", exact=True).set_input_files(str(clip))
    page.get_by_label("標題", exact=True).fill("回訪電話：家屬接聽（已去識別化）")
    page.get_by_role("button", name="上傳").click()
    expect(page.locator("#transcript-error")).to_contain_text("聽不到的人")
    check_a11y(page, "media-upload-refused")
    page.get_by_label("檔案", exact=True).set_input_files(str(clip))  # a refused form does not keep the file
    page.get_by_label("逐字稿（音訊）").fill(TRANSCRIPT)
    page.get_by_role("button", name="上傳").click()
    expect(page.get_by_text("檔案已加入媒體庫")).to_be_visible()
    expect(page.locator("figure audio")).to_be_visible()
    check_a11y(page, "media-detail")
    reference = page.get_by_label("要貼上的引用語法").input_value()
    assert re.fullmatch(r"!\[回訪電話：家屬接聽（已去識別化）\]\(media:[^)]+\.wav\)", reference)
    return reference


def _put_in_the_lesson(page, reference: str) -> None:
    page.goto(f"/courses/manage/{COURSE}")
    page.locator(".lesson-list__item a").first.click()
    page.wait_for_load_state("load")  # the live preview listens once app.js has run
    body = page.get_by_label("單元內容（Markdown）")
    body.fill(body.input_value() + f"\n\n## 聽一通回訪電話\n\n{reference}\n")
    page.locator("#lesson-preview audio").wait_for()  # the preview plays it already
    page.get_by_role("button", name="儲存草稿").click()
    expect(page.get_by_text("單元已存入草稿。")).to_be_visible()
    page.get_by_role("link", name=COURSE).click()
    page.get_by_role("button", name="發布草稿").click()
    expect(page.get_by_text(re.compile(f"{COURSE} 第 \\d+ 版已發布"))).to_be_visible()


def _put_on_the_call(page, title: str) -> None:
    """In the call builder: the customer line's form offers the library's clips by title (no YAML)."""
    page.goto(f"/calls/manage/{SCENARIO}/builder")
    line = page.locator(f"#node-{LINE}")
    line.get_by_label("這句話的錄音（選填）").select_option(label=title)
    line.get_by_role("button", name=f"套用 {LINE} 的變更").click()
    page.evaluate("window.callBuilder.settled()")
    expect(page.locator(f"#node-{LINE}").get_by_label("這句話的錄音（選填）")).to_have_value(re.compile(r"\.wav$"))
    check_a11y(page, "media-call-builder")
    page.get_by_role("button", name="檢查並儲存").click()
    expect(page.get_by_text(re.compile("已儲存為第 \\d+ 版"))).to_be_visible()
    page.goto("/media/manage/")
    row = page.get_by_role("row").filter(has_text="回訪電話：家屬接聽")
    expect(row).to_contain_text("電話回訪：修好了，可是……")  # where it is used: the call …
    expect(row).to_contain_text(COURSE)  # … and the lesson


def test_a_trainer_puts_a_recorded_call_in_a_lesson_and_a_call_and_a_learner_hears_it(
        page, browser, live_server, live_app, tmp_path):
    clip = tmp_path / "回訪錄音.wav"
    clip.write_bytes(samples.wav(seconds=1.0))
    login(page, "T0001")
    reference = _upload(page, clip)
    _put_in_the_lesson(page, reference)
    _put_on_the_call(page, "回訪電話：家屬接聽（已去識別化）")

    _enrolled(live_app, "L0001")
    learner = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url, bypass_csp=True)
    try:
        reader = learner.new_page()
        login(reader, "L0001")
        reader.goto(f"/courses/{COURSE}")
        reader.locator(".lesson-list a").first.click()
        audio = reader.locator(".lesson__body figure.media--audio audio")
        expect(audio).to_be_visible()
        duration = reader.evaluate("""a => new Promise(done => {
            if (a.readyState >= 1) return done(a.duration);
            a.addEventListener('loadedmetadata', () => done(a.duration)); a.load();
            setTimeout(() => done(-1), 5000); })""", audio.element_handle())
        assert 0.9 < duration < 1.1  # the player loaded the clip the trainer uploaded
        transcript = reader.locator(".lesson__body details.media__transcript")
        transcript.locator("summary").click()
        expect(transcript).to_contain_text("客服：您好，這裡是恆通電訊客戶服務中心")
        check_a11y(reader, "media-lesson-learner")
    finally:
        learner.close()
