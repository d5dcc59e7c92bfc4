"""Journeys of the catalogue: a new hire finds, reads and resumes; a trainer edits and publishes."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y, login, nav_link

pytestmark = pytest.mark.browser


def test_new_hire_finds_reads_follows_a_standard_link_and_resumes(page):
    login(page, "L0001")
    # The onboarding courses are on the home page with their due dates.
    learning = page.get_by_role("region", name="我的學習")
    expect(learning.get_by_role("link", name=re.compile("FND-101"))).to_be_visible()
    expect(learning.get_by_text(re.compile("到期")).first).to_be_visible()
    check_a11y(page, "learner-home")

    # Search in traditional, then simplified script: the complaint-handling course comes first.
    for query in ("投訴", "投诉"):
        page.get_by_role("link", name="課程").first.click()
        page.get_by_role("searchbox", name="搜尋課程", exact=True).fill(query)
        page.locator("main").get_by_role("button", name="搜尋").click()
        first = page.locator(".cards--results .card__title a").first
        assert first.inner_text() == "投訴處理五步驟"
    check_a11y(page, "catalogue-search")
    page.locator(".cards--results .card__title a").first.click()
    # The course has tests: the tab title is still only its code and title.
    expect(page).to_have_title(re.compile(r"^PRO-205 投訴處理五步驟 · [^<>]+$"))
    expect(page.get_by_role("heading", name="測驗", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="模擬通話與文字練習", exact=True)).to_be_visible()  # the course's calls
    check_a11y(page, "course-page")
    page.get_by_role("link", name="開始").first.click()
    assert "/lessons/" in page.url
    lesson_url = page.url
    check_a11y(page, "lesson")

    # A standard link inside the lesson opens the standard item, with its title as hover text.
    link = page.locator(".lesson__body a.std-ref").first
    code = link.inner_text()
    assert code in (link.get_attribute("title") or "")
    link.click()
    assert page.locator("h1").inner_text().startswith(code)
    check_a11y(page, "standard-item")
    page.go_back()

    # Read half-way, leave, come back by "Continue": same lesson, same place.
    page.evaluate("window.scrollTo(0, (document.documentElement.scrollHeight - window.innerHeight) * 0.5)")
    with page.expect_response(lambda r: r.url.endswith("/position") and r.status == 204):
        page.wait_for_timeout(1200)
    page.goto("/")
    page.get_by_role("region", name="我的學習").get_by_role("link", name=re.compile("繼續.*投訴處理五步驟")).click()
    assert page.url == lesson_url
    page.wait_for_function("window.scrollY > 100")
    ratio = page.evaluate("window.scrollY / (document.documentElement.scrollHeight - window.innerHeight)")
    assert 0.4 < ratio < 0.6

    # Finish the lesson: the next one opens and the course page shows the progress.
    page.get_by_role("button", name=re.compile("讀完了")).click()
    assert page.url != lesson_url
    page.goto(lesson_url.split("/lessons/")[0])
    assert page.locator(".lesson-list__item--done").count() == 1

    # The course's simulated calls are one click away from its page.
    call = page.locator("main a[href^='/calls/']").first
    title = call.inner_text()
    call.click()
    assert "/calls/" in page.url and page.locator("h1").inner_text() == title


def test_standards_pages_search_both_scripts_and_are_accessible(page):
    login(page, "L0001")
    page.get_by_role("link", name="服務規範").first.click()
    check_a11y(page, "standards-index")
    page.get_by_role("link", name=re.compile("客戶接觸渠道")).click()
    expect(page.locator("#item-4\\.1\\.1-a")).to_be_visible()
    check_a11y(page, "standards-chapter")
    for query in ("投诉", "訴"):
        page.goto("/standards/")
        page.get_by_role("searchbox", name="搜尋服務規範", exact=True).fill(query)
        page.locator("main").get_by_role("button", name="搜尋").click()
        expect(page.locator("mark").first).to_be_visible()
    check_a11y(page, "standards-search")


def test_trainer_edits_previews_publishes_and_sees_the_coverage_matrix(page):
    login(page, "T0001")
    nav_link(page, "內容編輯").click()
    check_a11y(page, "authoring-index")
    page.get_by_role("link", name=re.compile("PRO-201")).click()
    check_a11y(page, "authoring-course")
    page.locator(".lesson-list__item a").first.click()
    page.wait_for_load_state("load")  # the live preview listens once app.js has run (a fill before is lost)
    title = page.get_by_label("標題")
    title.fill("三聲之內與標準問候（修訂版）")
    body = page.get_by_label("單元內容（Markdown）")
    body.fill(body.input_value() + "\n\n## 修訂補充\n\n請再讀一次 [[4.1.1-b]]。")
    page.locator("#lesson-preview h2", has_text="修訂補充").wait_for()  # the live preview
    assert page.locator("#lesson-preview a.std-ref", has_text="4.1.1-b").count() >= 1
    check_a11y(page, "authoring-lesson")
    page.get_by_role("button", name="儲存草稿").click()
    expect(page.get_by_text("單元已存入草稿。")).to_be_visible()
    page.get_by_role("link", name="PRO-201").click()
    page.get_by_role("button", name="發布草稿").click()
    expect(page.get_by_text(re.compile("PRO-201 第 2 版已發布"))).to_be_visible()
    page.goto("/standards/coverage?chapter=4")
    check_a11y(page, "coverage-matrix")
    assert page.get_by_text("PRO-201 · 三聲之內與標準問候（修訂版）").count() >= 1


def test_manager_sees_team_progress_and_assigns(page):
    login(page, "M0001")
    page.get_by_role("link", name="我的團隊").first.click()
    check_a11y(page, "team-progress")
    expect(page.get_by_role("link", name="陳新人")).to_be_visible()  # the readiness board
    page.get_by_role("link", name="指派課程").first.click()
    check_a11y(page, "assign")
    page.get_by_label("課程", exact=True).select_option("MGT-301")
    page.get_by_label("同仁（工號）").fill("L0002")
    page.get_by_role("button", name="指派").click()
    expect(page.get_by_text(re.compile("已建立或更新 1 筆選課"))).to_be_visible()


def test_a_lesson_on_centre_practice_says_so_and_tags_its_citations(page):
    """MGT-304's certification lesson is the centre's own practice (the standards document stops inside
    9.2): a note near the top says so, each citation carries a 本中心做法 tag, and both pass axe's contrast."""
    login(page, "M0001")
    page.goto("/courses/MGT-304/lessons/certification")
    note = page.get_by_role("note")
    expect(note).to_contain_text("本課有部分內容是本中心自訂的做法")
    expect(note.get_by_role("link", name="9.2.2-a", exact=True)).to_have_attribute("href", "/standards/items/9.2.2-a")
    tags = page.locator(".lesson__body .std-ref__source--centre")
    expect(tags.first).to_be_visible()
    assert tags.count() >= 6 and set(tags.all_inner_texts()) == {"本中心做法"}
    link = page.locator(".lesson__body a.std-ref", has_text="9.2.2-b").first
    assert "本中心做法" in (link.get_attribute("title") or "")
    check_a11y(page, "lesson-centre-practice")
    # The course page tags the lessons that teach centre practice: lessons 2–5, not the first.
    page.get_by_role("link", name=re.compile("^MGT-304 ")).first.click()
    tagged = page.locator(".lesson-list__item", has=page.locator(".tag--source"))
    expect(tagged).to_have_count(4)
    expect(page.locator(".lesson-list__item").first.locator(".tag--source")).to_have_count(0)
    check_a11y(page, "course-centre-practice")
