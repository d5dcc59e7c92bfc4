"""A content import and edits made in the browser (issue 12, item 8): an item whose current version was
saved in the browser since the last import is kept, and listed, unless the import is told to overwrite."""

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.calls.models import Scenario
from lms.calls.scenarios import current_version
from lms.calls.sync import save_scenario_source, source_of
from lms.courses import authoring
from lms.courses.models import Course
from lms.curriculum.importer import import_tree, load_tree
from lms.db import db
from lms.exams.models import Exam, Question, QuestionBank
from lms.exams.sync import save_exam, save_question
from tests.factories import FIXTURE_CONTENT

EDITED = ["course TST-101", "question t-single", "exam tst-fixed", "scenario tst-call"]


@pytest.fixture
def tree(tmp_path) -> Path:
    target = tmp_path / "tree"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def _edit_in_the_browser(trainer, tree: Path) -> None:
    """A trainer edits a lesson (and publishes), a question, an exam and a scenario in the browser."""
    course = db.session.scalar(select(Course).where(Course.code == "TST-101"))
    lesson = authoring.lesson_in_editor(course, "pickup")[1]
    authoring.save_lesson(authoring.open_draft(course, trainer), "pickup", new_slug="", title=lesson.title,
                          minutes=lesson.minutes, standards=list(lesson.standards), body="講師在瀏覽器改寫的課文。")
    authoring.publish_draft(course, trainer)
    files = load_tree(tree).quizzes
    bank = db.session.scalar(select(QuestionBank).where(QuestionBank.slug == "test-bank"))
    question = next(q for q in files.banks[0].questions if q.uid == "t-single")
    save_question(bank, replace(question, text="講師改寫的題目？"), trainer)
    exam = next(e for e in files.exams if e.slug == "tst-fixed")
    save_exam(replace(exam, title="講師改寫的考試"), trainer, source="editor")
    scenario = db.session.scalar(select(Scenario).where(Scenario.slug == "tst-call"))
    source = source_of(current_version(scenario)).replace("title: 測試投訴電話", "title: 講師改寫的情境")
    save_scenario_source(scenario, source, trainer)
    db.session.commit()


def _change_the_files(tree: Path) -> None:
    def edit(rel: str, old: str, new: str) -> None:
        path = tree / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, rel
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    edit("courses/tst-101-basics/lessons/01-pickup.md", "\n---\n", "\n---\n檔案裡的新段落。\n\n")
    edit("quizzes/banks/test-bank.yaml", "text: 鈴響第幾聲前要接起？", "text: 檔案裡的新題目？")
    edit("quizzes/exams/tst-fixed.yaml", "title: 固定題目與申論", "title: 檔案裡的新考試")
    edit("courses/tst-201-phone/scenarios/tst-call.yaml", "title: 測試投訴電話", "title: 檔案裡的新情境")
    edit("courses/tst-301-leads/course.md", "\n---\n", "\n---\n未在瀏覽器編輯過的課程也有新說明。\n\n")


def _current_texts() -> dict:
    course = db.session.scalar(select(Course).where(Course.code == "TST-101"))
    pickup = next(lv for lv in course.published_version.lesson_versions if lv.lesson.slug == "pickup")
    question = db.session.scalar(select(Question).where(Question.uid == "t-single"))
    exam = db.session.scalar(select(Exam).where(Exam.slug == "tst-fixed"))
    scenario = db.session.scalar(select(Scenario).where(Scenario.slug == "tst-call"))
    return {"lesson": pickup.body_md, "question": question.current_version.text_md,
            "exam": exam.current_version.title, "scenario": current_version(scenario).title}


def test_items_edited_in_the_browser_are_kept_and_listed_unless_overwritten(app, make, tree):
    make.content(tree)
    _edit_in_the_browser(make.user(Role.TRAINER), tree)
    _change_the_files(tree)
    with app.test_request_context():
        report = import_tree(tree)
        db.session.commit()
    assert report.edits.kept == EDITED and report.edits.overwritten == []
    lines = dict(report.lines)
    assert lines["courses"] == "0 new, 1 changed, 1 unchanged, 1 kept as edited in the browser"
    assert lines["call scenarios"].endswith("1 kept as edited in the browser")
    db.session.expire_all()
    assert _current_texts() == {"lesson": "講師在瀏覽器改寫的課文。", "question": "講師改寫的題目？",
                                "exam": "講師改寫的考試", "scenario": "講師改寫的情境"}
    other = db.session.scalar(select(Course).where(Course.code == "TST-301")).published_version
    assert "未在瀏覽器編輯過的課程也有新說明" in other.description_md  # the rest of the files are imported

    with app.test_request_context():
        report = import_tree(tree, overwrite_edited=True)
        db.session.commit()
    assert report.edits.overwritten == EDITED and report.edits.kept == []
    db.session.expire_all()
    texts = _current_texts()
    assert texts["lesson"].startswith("檔案裡的新段落。") and texts["question"] == "檔案裡的新題目？"
    assert (texts["exam"], texts["scenario"]) == ("檔案裡的新考試", "檔案裡的新情境")
    with app.test_request_context():  # now from the files again: nothing left to keep
        report = import_tree(tree)
    assert report.edits.kept == [] and report.edits.overwritten == []


def test_the_command_lists_what_it_kept_and_what_it_overwrote(runner, make, tree):
    make.content(tree)
    _edit_in_the_browser(make.user(Role.TRAINER), tree)
    _change_the_files(tree)
    result = runner.invoke(args=["lms", "content", "import", str(tree)])
    assert result.exit_code == 0, result.output
    assert "Kept 4 item(s) edited in the browser since the last import" in result.output
    assert all(f"  {what}\n" in result.output for what in EDITED)
    result = runner.invoke(args=["lms", "content", "import", "--overwrite-edited", str(tree)])
    assert result.exit_code == 0, result.output
    assert "Overwrote 4 item(s) edited in the browser since the last import:" in result.output
    assert "Kept" not in result.output


def test_a_browser_edit_equal_to_the_file_is_simply_unchanged(app, make, tree):
    make.content(tree)
    trainer = make.user(Role.TRAINER)
    scenario = db.session.scalar(select(Scenario).where(Scenario.slug == "tst-call"))
    save_scenario_source(scenario, source_of(current_version(scenario)).replace("title: 測試投訴電話", "title: 同步"),
                         trainer)
    db.session.commit()
    path = tree / "courses/tst-201-phone/scenarios/tst-call.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: 測試投訴電話", "title: 同步"), encoding="utf-8")
    with app.test_request_context():
        report = import_tree(tree)
    assert report.edits.kept == [] and dict(report.lines)["call scenarios"] == "0 new, 0 changed, 1 unchanged"


def test_a_draft_open_in_the_browser_keeps_its_course_until_overwritten(app, make, tree):
    make.content(tree)
    trainer = make.user(Role.TRAINER)
    course = db.session.scalar(select(Course).where(Course.code == "TST-101"))
    lesson = authoring.lesson_in_editor(course, "pickup")[1]
    authoring.save_lesson(authoring.open_draft(course, trainer), "pickup", new_slug="", title=lesson.title,
                          minutes=lesson.minutes, standards=list(lesson.standards), body="草稿中的課文。")
    db.session.commit()
    _change_the_files(tree)
    with app.test_request_context():
        report = import_tree(tree)
        db.session.commit()
    assert "course TST-101" in report.edits.kept
    db.session.expire_all()
    assert authoring.get_draft(course) is not None and _current_texts()["lesson"] != "草稿中的課文。"
    assert "檔案裡的新段落" not in _current_texts()["lesson"]  # the published version stays too
    with app.test_request_context():
        report = import_tree(tree, overwrite_edited=True)
        db.session.commit()
    assert "course TST-101" in report.edits.overwritten
    db.session.expire_all()
    assert authoring.get_draft(course) is None and _current_texts()["lesson"].startswith("檔案裡的新段落。")
