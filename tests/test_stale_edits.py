"""Lost edits (issue 12, item 22): every editor posts the version it was filled from; a save based on a
version someone else has replaced since is refused, nothing is written, and the page shows what is saved
now against what was being saved. Saving again from that page replaces it deliberately."""

import html
import re

import pytest
from sqlalchemy import select

from lms import conflicts
from lms.accounts.models import Role
from lms.calls.models import Scenario
from lms.calls.scenarios import current_version
from lms.certification.models import Programme
from lms.conflicts import MAX_SHOWN, Change, differences
from lms.courses.models import Course, CourseVersion, OnboardingPath, VersionStatus
from lms.db import db
from lms.exams.models import Exam, Question

STALE = "在你編輯期間，已有其他人儲存了這個項目"
LESSON = {"title": "三聲之內", "minutes": "12", "standards": "4.1.1-a"}
COURSE = {"title": "改名", "tier": "foundation", "summary": "摘要", "duration": "30", "audience": ["learner"],
          "prerequisites": "", "standards": "", "self_enrol": "y", "description": ""}
QUESTION = {"qtype": "single", "name": "新題", "text": "三聲以內要做什麼？", "answers": "*接起電話\n再等等",
            "truefalse": "true", "standards": "4.1.1-a", "tags": "pro-201", "difficulty": "1", "points": "1"}
EXAM = {"slug": "pooled", "title": "兩個題池", "kind": "quiz", "course": "", "time_limit_minutes": "15",
        "overdue": "autosubmit", "grace_minutes": "0", "attempts": "2", "cooldown_minutes": "0", "pass_mark": "70",
        "shuffle_questions": "y", "shuffle_options": "y", "layout": "one_per_page", "review": "after_submit",
        "sections": "draw 2 from pool-a"}
PATH = {"description": "測試用", "new_hire_days": "90", "steps-0-course": "TST-101", "steps-0-due_days": "7",
        "steps-0-order": "1", "steps-1-course": "TST-201", "steps-1-due_days": "14", "steps-1-order": "2",
        "check_in_days": "7, 30", "sign_off": "4.1.1-a, 4.1.1-b"}
PROGRAMME = {"summary": "測試用的認證。", "level": "1", "validity_months": "12", "window_days": "60", "grace_days": "30",
             "reminder_days": "60, 30, 7"}
SIGNOFF = {"pass_mark": "75", "checklist-0-text": "三聲內接聽", "checklist-0-standards": "4.1.1-a"}


def based_on(page: str) -> str:
    return html.unescape(re.search(r'name="based_on" type="hidden" value="([^"]*)"', page).group(1))


def _lesson_body() -> str:
    course = db.session.scalar(select(Course).where(Course.code == "TST-101"))
    draft = db.session.scalar(select(CourseVersion).where(CourseVersion.course_id == course.id,
                                                          CourseVersion.status == VersionStatus.DRAFT))
    return next(lv.body_md for lv in (draft or course.published_version).lesson_versions if lv.lesson.slug == "pickup")


def _course_title() -> str:
    course = db.session.scalar(select(Course).where(Course.code == "TST-101"))
    return db.session.scalar(select(CourseVersion.title).where(CourseVersion.course_id == course.id)
                             .order_by(CourseVersion.number.desc()).limit(1))


def _yaml_source(page: str) -> str:
    return html.unescape(re.search(r'<textarea id="source"[^>]*>(.*?)</textarea>', page, re.S).group(1))


def _builder_definition(page: str) -> str:
    return html.unescape(re.search(r'name="definition" value="([^"]*)" data-definition', page).group(1))


# Each editor: its address, the form it posts (given its page and a word to write), and what is saved now.
EDITORS = {
    "lesson": ("/courses/manage/TST-101/lessons/pickup",
               lambda page, word: {**LESSON, "body": f"## 段落\n\n共同的一行。\n\n{word}寫的一行。\n"}, _lesson_body),
    "course": ("/courses/manage/TST-101", lambda page, word: {**COURSE, "title": f"{word}的課名"}, _course_title),
    "scenario": ("/calls/manage/tst-call/edit",
                 lambda page, word: {"source": _yaml_source(page).replace("title: 測試投訴電話", f"title: {word}的情境")},
                 lambda: current_version(db.session.scalar(select(Scenario).where(Scenario.slug == "tst-call"))).title),
    "call builder": ("/calls/manage/tst-call/builder", lambda page, word: {"definition": _builder_definition(page)
                                                                         .replace("測試投訴電話", f"{word}的情境")},
                     lambda: current_version(db.session.scalar(select(Scenario).where(Scenario.slug == "tst-call"))).title),
    "question": ("/exams/manage/questions/new-q/edit", lambda page, word: {**QUESTION, "text": f"{word}的題目？"},
                 lambda: db.session.scalar(select(Question).where(Question.uid == "new-q")).current_version.text_md),
    "programme": ("/certification/programmes/tst-cert/edit",
                  lambda page, word: {"source": _yaml_source(page).replace("title: 測試一級認證", f"title: {word}的認證")},
                  lambda: db.session.scalar(select(Programme).where(Programme.slug == "tst-cert")).definition["title"]),
    "path": ("/courses/manage/paths/new-hire", lambda page, word: {**PATH, "title": f"{word}的路徑"},
             lambda: db.session.scalar(select(OnboardingPath.title).where(OnboardingPath.slug == "new-hire"))),
    "programme form": ("/certification/programmes/tst-cert/form",
                       lambda page, word: {**PROGRAMME, "title": f"{word}的認證"},
                       lambda: db.session.scalar(select(Programme).where(Programme.slug == "tst-cert")).definition["title"]),
    "requirement": ("/certification/programmes/tst-cert/initial/requirements/observed",
                    lambda page, word: {**SIGNOFF, "title": f"{word}的觀察"},
                    lambda: db.session.scalar(select(Programme).where(Programme.slug == "tst-cert"))
                    .definition["requirements"][2]["title"]),
    "exam": ("/exams/manage/exams/pooled/edit", lambda page, word: {**EXAM, "title": f"{word}的考試"},
             lambda: db.session.scalar(select(Exam).where(Exam.slug == "pooled")).current_version.title),
}


@pytest.mark.parametrize("editor", list(EDITORS))
def test_a_save_based_on_a_replaced_version_is_refused_and_shows_what_changed(client, auth, make, editor):
    url, form, saved_now = EDITORS[editor]
    make.content()
    auth.login(make.user(Role.TRAINER))
    assert client.post("/exams/manage/banks/test-bank/new", data={**QUESTION, "uid": "new-q"}).status_code == 302
    assert client.post("/exams/manage/exams/new", data=EXAM).status_code == 302
    # Two trainers open the editor on the same version.
    page = client.get(url).get_data(as_text=True)
    token = based_on(page)
    # The first saves.
    assert client.post(url, data={**form(page, "甲"), "based_on": token}).status_code == 302
    db.session.expire_all()
    first = saved_now()
    assert "甲" in first
    # The second saves from the page opened before: refused, nothing written, their save shown.
    response = client.post(url, data={**form(page, "乙"), "based_on": token})
    refused = response.get_data(as_text=True)
    assert response.status_code == 200 and STALE in refused
    db.session.expire_all()
    assert saved_now() == first
    diff = re.search(r'<pre class="diff">(.*?)</pre>', refused, re.S).group(1)
    assert re.search(r"diff__line--saved\">.*?− [^<]*甲", diff) and re.search(r"diff__line--yours\">.*?\+ [^<]*乙", diff)
    assert "乙" in refused  # the refused text is still in the form
    # Having seen the difference, saving again from that page replaces the first save deliberately.
    assert client.post(url, data={**form(page, "乙"), "based_on": based_on(refused)}).status_code == 302
    db.session.expire_all()
    assert "乙" in saved_now()


def test_differences_show_changed_lines_with_context_and_long_texts_stay_linear(monkeypatch):
    saved = "\n".join(f"第{i}行" for i in range(1, 21))
    yours = saved.replace("第10行", "你的第10行")
    changes = differences(saved, yours)
    assert [(c.kind, c.text) for c in changes if c.kind in ("saved", "yours")] == [("saved", "第10行"),
                                                                                  ("yours", "你的第10行")]
    assert [c.text for c in changes if c.kind == "same"] == ["第8行", "第9行", "第11行", "第12行"]
    # Long texts (a 200,000-character lesson of short lines, reordered) are compared by their changed middle,
    # never by a line-by-line match (quadratic: seconds for such a text).
    long_saved = "\n".join(("" if i % 2 else f"行{i}") for i in range(20000))
    long_yours = "\n".join(("" if i % 2 else f"行{i * 7 % 20011}") for i in range(20000))

    def no_line_matching(*args, **kwargs):
        raise AssertionError("a long text was matched line by line")

    monkeypatch.setattr(conflicts.difflib, "SequenceMatcher", no_line_matching)
    changes = differences(long_saved, long_yours)
    assert changes[0].kind == "gap" and changes[1] == Change("saved", "行2")  # the same first two lines are skipped
    assert sum(c.kind == "saved" for c in changes) == MAX_SHOWN and changes[-1].kind == "gap"
