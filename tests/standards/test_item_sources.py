"""Where each standard item comes from: the 來源 line of the standards files, its checks, how the import
stores and revises it, and how the reference pages say it to the reader."""

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from lms.accounts.models import Role
from lms.curriculum.importer import import_tree
from lms.db import db
from lms.standards.loader import load_standards, parse_chapter
from lms.standards.models import StandardItem, StandardItemRevision
from lms.standards.sources import SOURCE_WORDS, ItemSource, parse_source, source_line
from tests.factories import FIXTURE_CONTENT, SHIPPED_CONTENT

PATH = "courses/standards/09-x.md"
HEAD = "# 9 培訓\n\n## 9.2 方式\n\n### 9.2.1 培訓方式\n\n說明。\n\n"


def _parse(items: str):
    sections, errors = parse_chapter(HEAD + items, PATH)
    return [i for s in sections for i in s.items], errors


def _where(errors) -> list[tuple]:
    return [(e.path, e.line, e.field) for e in errors]


# ---------------------------------------------------------------- the 來源 line


def test_an_item_without_a_source_line_restates_the_document():
    items, errors = _parse("- `9.2.1-a` **混合式學習**：依目標搭配方式。\n  接續的描述。\n")
    assert errors == [] and items[0].source == ItemSource.DOCUMENT and items[0].source_note == ""
    assert items[0].description == "依目標搭配方式。 接續的描述。"


@pytest.mark.parametrize(("line", "source", "note"), [
    ("來源：本中心做法", ItemSource.CENTRE, ""),
    ("來源:本中心做法", ItemSource.CENTRE, ""),
    ("來源：標準文件", ItemSource.DOCUMENT, ""),
    ("來源：改寫：文件只說要多樣化；依目標搭配是本中心的補充。", ItemSource.ADAPTED, "文件只說要多樣化；依目標搭配是本中心的補充。"),
    ("來源 ： 改寫 : 改了用語", ItemSource.ADAPTED, "改了用語"),
])
def test_the_source_line_is_read_and_kept_out_of_the_description(line, source, note):
    items, errors = _parse(f"- `9.2.1-a` **混合式學習**：第一行，\n  {line}\n  第二行。\n- `9.2.1-b` **課堂講授**：面授。\n")
    assert errors == []
    assert (items[0].source, items[0].source_note, items[0].description) == (source, note, "第一行， 第二行。")
    assert items[1].source == ItemSource.DOCUMENT


@pytest.mark.parametrize(("line", "words"), [
    ("來源：中心實務", "中心實務"),
    ("來源：centre", "centre"),
    ("來源：", "''"),
    ("來源：改寫", "改寫"),
    ("來源：改寫：   ", "改寫"),
    ("來源：本中心做法：因為文件沒寫", "本中心做法"),
    ("來源：改寫：" + "長" * 301, "300"),
])
def test_a_bad_source_is_refused_naming_file_line_and_field(line, words):
    _items, errors = _parse(f"- `9.2.1-a` **混合式學習**：描述。\n  {line}\n")
    assert _where(errors) == [(PATH, 10, "source")]
    assert words.strip("'") in errors[0].message or (words == "''" and "''" in errors[0].message)


def test_a_second_source_line_and_an_unindented_one_are_refused():
    _items, errors = _parse("- `9.2.1-a` **混合式學習**：描述。\n  來源：本中心做法\n  來源：標準文件\n")
    assert _where(errors) == [(PATH, 11, "source")] and "9.2.1-a" in errors[0].message
    _items, errors = _parse("- `9.2.1-a` **混合式學習**：描述。\n來源：本中心做法\n")
    assert _where(errors) == [(PATH, 10, "source")]


def test_load_standards_reports_a_bad_source_and_loads_nothing_of_that_file(tmp_path):
    folder = tmp_path / "courses" / "standards"
    folder.mkdir(parents=True)
    (folder / "09-x.md").write_text(HEAD + "- `9.2.1-a` **混合式學習**：描述。\n  來源：業界做法\n", encoding="utf-8")
    chapters, errors, codes = load_standards(folder)
    assert chapters == [] and codes == {"9.2.1-a"}
    assert str(errors[0]).startswith("courses/standards/09-x.md:10 [source]: unknown source '業界做法'")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_property_any_source_value_parses_or_is_refused_with_a_message(value):
    try:
        source, note = parse_source(value)
    except ValueError as problem:
        assert str(problem)
    else:
        assert source in ItemSource and (note == "") == (source != ItemSource.ADAPTED)
        # What the exporter writes reads back the same.
        line = source_line(source, note)
        assert line is None if source == ItemSource.DOCUMENT else parse_source(line.split("：", 1)[1]) == (source, note)


def test_the_shipped_items_declare_their_sources():
    chapters, errors, _codes = load_standards(SHIPPED_CONTENT / "courses" / "standards")
    assert errors == []
    by_code = {i.code: i for _p, secs in chapters for s in secs for i in s.items}
    # The document's text stops inside 9.2: what comes after is centre practice.
    after = [c for c in by_code if c.startswith(("9.2.2-", "9.3.")) or c in {f"9.2.1-{x}" for x in "bcdef"}]
    assert len(after) == 19 and all(by_code[c].source == ItemSource.CENTRE for c in after)
    for code in ("4.2.2-a", "3.3.2-a"):
        assert by_code[code].source == ItemSource.ADAPTED and "標準文件" in by_code[code].source_note
    assert set(SOURCE_WORDS.values()) == set(ItemSource)


# ---------------------------------------------------------------- import


@pytest.fixture
def tree(tmp_path) -> Path:
    target = tmp_path / "tree"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def _mark(tree: Path, code: str, line: str) -> None:
    chapter = next(p for p in (tree / "courses/standards").glob("*.md") if f"`{code}`" in p.read_text())
    lines = chapter.read_text(encoding="utf-8").split("\n")
    at = next(n for n, text in enumerate(lines) if text.startswith(f"- `{code}`"))
    lines.insert(at + 1, f"  {line}")
    chapter.write_text("\n".join(lines), encoding="utf-8")


def _item(code: str) -> StandardItem:
    return db.session.scalar(select(StandardItem).where(StandardItem.code == code))


def test_import_stores_the_source_and_a_new_source_is_a_revision(app, tree):
    with app.test_request_context():
        import_tree(tree)
        db.session.commit()
        assert (_item("4.1.1-b").source, _item("4.1.1-b").source_note) == ("adapted", "測試版只保留三個部分。")
        assert _item("5.2.1-b").source == ItemSource.DOCUMENT
        _mark(tree, "5.2.1-b", "來源：本中心做法")
        report = import_tree(tree)
        db.session.commit()
        assert ("standard items", "0 new, 1 changed, 5 unchanged") in report.lines
        item = _item("5.2.1-b")
        old = db.session.scalar(select(StandardItemRevision).where(StandardItemRevision.item_id == item.id))
        assert (item.source, item.revision) == ("centre", 2) and (old.source, old.revision) == ("document", 1)
        again = import_tree(tree)
        db.session.commit()
        assert ("standard items", "0 new, 0 changed, 6 unchanged") in again.lines


# ---------------------------------------------------------------- pages


def test_chapter_item_and_coverage_pages_say_where_items_come_from(client, auth, make, tree):
    _mark(tree, "5.2.1-b", "來源：本中心做法")
    make.content(tree)
    auth.login(make.user(Role.TRAINER))
    chapter = client.get("/standards/5").get_data(as_text=True)
    assert chapter.count("std-source--centre") == 1 and "本中心做法</span> 標準文件未規定" in chapter
    chapter4 = client.get("/standards/4").get_data(as_text=True)
    assert "依標準文件改寫</span> 測試版只保留三個部分。" in chapter4 and "std-source--centre" not in chapter4
    item = client.get("/standards/items/5.2.1-b").get_data(as_text=True)
    assert "本中心做法</span> 標準文件未規定" in item
    restated = client.get("/standards/items/5.2.1-a").get_data(as_text=True)
    assert "依標準文件</span> 以本中心的文字重述" in restated
    coverage = client.get("/standards/coverage").get_data(as_text=True)
    assert coverage.count('class="tag tag--source"') == 2
    client.post("/locale", data={"locale": "en"})
    english = client.get("/standards/5").get_data(as_text=True)
    assert "Centre practice</span> the document is silent here" in english
    english = client.get("/standards/items/4.1.1-b").get_data(as_text=True)
    assert 'Adapted from the document</span> <span lang="zh-Hant">測試版只保留三個部分。</span>' in english


def test_the_item_page_keeps_the_source_of_an_earlier_revision(client, auth, make, tree):
    _mark(tree, "5.2.1-b", "來源：本中心做法")
    make.content(tree)
    shutil.rmtree(tree)
    shutil.copytree(FIXTURE_CONTENT, tree)  # the mark taken away again: the item now restates the document
    make.content(tree)
    auth.login(make.user())
    current, earlier = client.get("/standards/items/5.2.1-b").get_data(as_text=True).split("<h2>先前的文字</h2>")
    assert "std-source--centre" not in current and "依標準文件</span>" in current
    assert "<strong>核實問題</strong>" in earlier and "std-source--centre" in earlier


# ---------------------------------------------------------------- questions

# What a question's feedback says when it tests centre practice (quizzes/README.md).
CENTRE_LABELS = ("本中心做法，標準文件未規定", "本中心做法（標準文件未規定）")
# A stem must not present centre practice as the document's text.
AS_IF_THE_DOCUMENT = ("依標準", "標準規定", "標準要求", "標準文件規定", "依規範", "規範規定", "依照標準", "按照標準")


def _unlabelled_centre_questions(tree) -> list[str]:
    """Questions citing only centre-practice items whose feedback does not say so, or whose stem says the
    document requires it: 'file:line id: what is wrong'."""
    sources = {i.code: i.source for _p, secs in tree.chapters for s in secs for i in s.items}
    problems = []
    for bank in tree.quizzes.banks:
        for q in bank.questions:
            if not q.standards or any(sources.get(code) != ItemSource.CENTRE for code in q.standards):
                continue
            if not any(label in (q.feedback or "") for label in CENTRE_LABELS):
                problems.append(f"{q.path}:{q.line} {q.uid}: feedback does not say 本中心做法，標準文件未規定")
            if any(words in q.text for words in AS_IF_THE_DOCUMENT):
                problems.append(f"{q.path}:{q.line} {q.uid}: the stem presents centre practice as the document's")
    return problems


def test_shipped_questions_on_centre_practice_say_so():
    from lms.curriculum.importer import load_tree

    tree = load_tree(SHIPPED_CONTENT)
    assert _unlabelled_centre_questions(tree) == []
    # 9 questions cite only centre-practice items (9.2.1-b…f, 9.2.2, 9.3): the check has something to check.
    sources = {i.code: i.source for _p, secs in tree.chapters for s in secs for i in s.items}
    assert sum(1 for b in tree.quizzes.banks for q in b.questions
               if {sources[c] for c in q.standards} == {ItemSource.CENTRE}) >= 9


def test_the_check_finds_a_question_on_centre_practice_without_the_label(tmp_path):
    from lms.curriculum.importer import load_tree

    shutil.copytree(SHIPPED_CONTENT / "courses", tmp_path / "courses")
    shutil.copytree(SHIPPED_CONTENT / "quizzes", tmp_path / "quizzes")
    bank = tmp_path / "quizzes/banks/management.yaml"
    text = bank.read_text(encoding="utf-8")
    assert "feedback: （本中心做法，標準文件未規定）績效指標" in text
    text = text.replace("feedback: （本中心做法，標準文件未規定）績效指標", "feedback: 績效指標")
    text = text.replace("text: 評估培訓的第四層「成果」時", "text: 依標準規定，評估培訓的第四層「成果」時")
    bank.write_text(text, encoding="utf-8")
    problems = _unlabelled_centre_questions(load_tree(tmp_path))
    assert len(problems) == 2 and all(" manage-012: " in p for p in problems)
    assert problems[0].startswith("quizzes/banks/management.yaml:")


# ---------------------------------------------------------------- lessons citing centre practice

CITATION = re.compile(r"\[\[\s*(\d+(?:\.\d+)*-[a-z])\s*\]\]")
SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")
# A lesson sentence citing centre practice must not attribute it to the document.
LESSON_AS_IF_THE_DOCUMENT = (*AS_IF_THE_DOCUMENT, "標準文件要求", "標準明定", "標準明訂", "根據標準", "標準中規定")


def _lessons_presenting_centre_practice_as_the_standard(tree) -> list[str]:
    """Sentences of lessons that cite a centre-practice item and say the standard requires it: 'file: sentence'.
    Only sentences holding the citation are read: whether a sentence elsewhere in the paragraph is about the
    cited item is a judgment no pattern makes reliably."""
    sources = {i.code: i.source for _p, secs in tree.chapters for s in secs for i in s.items}
    problems = []
    for course in tree.curriculum.courses:
        for lesson in course.lessons:
            for sentence in SENTENCE.findall(lesson.body):
                centre = [c for c in CITATION.findall(sentence) if sources.get(c) == ItemSource.CENTRE]
                if centre and any(words in sentence for words in LESSON_AS_IF_THE_DOCUMENT):
                    problems.append(f"{lesson.path}: {sentence.strip()}")
    return problems


def test_no_shipped_lesson_says_the_standard_requires_centre_practice():
    from lms.curriculum.importer import load_tree

    tree = load_tree(SHIPPED_CONTENT)
    assert _lessons_presenting_centre_practice_as_the_standard(tree) == []
    # the check has something to read: lessons in two courses cite centre practice
    sources = {i.code: i.source for _p, secs in tree.chapters for s in secs for i in s.items}
    citing = {c.code for c in tree.curriculum.courses for lesson in c.lessons
              if any(sources.get(code) == ItemSource.CENTRE for code in CITATION.findall(lesson.body))}
    assert {"FND-101", "MGT-304"} <= citing


def test_the_check_finds_a_lesson_saying_the_standard_requires_centre_practice(tmp_path):
    from lms.curriculum.importer import load_tree

    shutil.copytree(SHIPPED_CONTENT / "courses", tmp_path / "courses")
    shutil.copytree(SHIPPED_CONTENT / "quizzes", tmp_path / "quizzes")
    lesson = tmp_path / "courses/mgt-304-training-and-certification/lessons/03-certification.md"
    text = lesson.read_text(encoding="utf-8")
    assert "**知識筆試** [[9.2.2-b]] 考核" in text
    lesson.write_text(text.replace("**知識筆試** [[9.2.2-b]] 考核", "標準要求**知識筆試** [[9.2.2-b]] 考核"),
                      encoding="utf-8")
    problems = _lessons_presenting_centre_practice_as_the_standard(load_tree(tmp_path))
    assert len(problems) == 1 and problems[0].startswith("courses/mgt-304-training-and-certification/lessons/03-")
    assert "標準要求**知識筆試**" in problems[0]
