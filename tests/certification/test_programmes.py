"""Programme files: loaded and cross-checked like the rest of the content, errors named by file and line."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.certification.models import Programme
from lms.content.files import ContentErrors
from lms.curriculum.importer import load_tree
from lms.db import db
from tests.factories import FIXTURE_CONTENT, SHIPPED_CONTENT

FILE = "courses/programmes/tst-cert.yaml"


@pytest.fixture
def tree(tmp_path) -> Path:
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    return tmp_path / "content"


def _problems(tree: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_tree(tree)
    return [str(e) for e in caught.value.errors]


def _edit(tree: Path, old: str, new: str) -> str:
    path = tree / FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def _line(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), start=1) if fragment in line)


def test_shipped_programmes_load_and_cover_the_first_certificate():
    tree = load_tree(SHIPPED_CONTENT)
    slugs = {p.slug: p for p in tree.programmes}
    assert {"rep-level-1", "senior-rep", "team-lead-quality-coach"} <= set(slugs)
    first = slugs["rep-level-1"].definition
    assert {r["kind"] for r in first["requirements"]} == {"course", "exam", "scenario", "signoff"}
    assert slugs["senior-rep"].definition["prerequisites"] == ["rep-level-1"]


@pytest.mark.parametrize(("old", "new", "fragment", "message"), [
    ("course: TST-101", "course: TST-999", "TST-999", "[course] unknown course TST-999"),
    ("exam: tst-fixed, min_score: 60}\n  - id: observed", "exam: nope, min_score: 60}\n  - id: observed", "exam: nope",
     "[exam] unknown exam nope"),
    ("scenario: tst-call", "scenario: no-call", "no-call", "[scenario] unknown scenario no-call"),
    ("standards: [4.1.1-b]", "standards: [4.1.1-z]", "4.1.1-z", "[item] unknown standard item 4.1.1-z"),
    ("{id: basics, kind: course", "{id: written, kind: course", "id: written, kind: exam", "[id] written is used twice"),
    ("kind: signoff", "kind: gossip", "kind: gossip", "[kind] must be one of"),
    ("validity_months: 12", "validity_months: forever", "validity_months", "[validity_months] must be a whole number"),
    ("reminder_days: [60, 30, 7]", "reminder_days: [60, 60, x]", "reminder_days", "[reminder_days]"),
])
def test_errors_name_the_file_line_and_field(tree, old, new, fragment, message):
    text = _edit(tree, old, new)
    problems = _problems(tree)
    line = _line(text, fragment)
    message = message.replace("] ", "]: ")
    assert any(p.startswith(f"{FILE}:{line}") and message in p for p in problems), problems


def test_prerequisite_loops_are_refused(tree):
    _edit(tree, "prerequisites: []", "prerequisites: [tst-senior]")
    problems = _problems(tree)
    assert any("prerequisite loop" in p and "tst-cert" in p and "tst-senior" in p for p in problems), problems


def test_import_is_idempotent_and_computes_the_items_covered(app, make):
    make.content()
    programme = db.session.scalar(select(Programme).where(Programme.slug == "tst-cert"))
    # TST-101's lessons, the exam's questions, the call's criteria and the checklist all cite items.
    assert {"4.1.1-a", "4.1.1-b", "5.2.1-a", "5.2.1-b"} <= set(programme.covered_items)
    report = make.content()
    assert ("programmes", "0 new, 0 changed, 2 unchanged") in report.lines


def test_trainers_edit_a_programme_in_the_browser_with_the_importers_checks(app, make, client, auth):
    import html
    import re

    make.content()
    auth.login(make.user(Role.TRAINER))
    page = client.get("/certification/programmes/tst-cert/edit").get_data(as_text=True)
    source = html.unescape(re.search(r'<textarea id="source"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    response = client.post("/certification/programmes/tst-cert/edit",
                           data={"source": source.replace("pass_mark: 75", "pass_mark: 90")})
    assert response.status_code == 302
    programme = db.session.scalar(select(Programme).where(Programme.slug == "tst-cert"))
    assert programme.version == 2 and programme.definition["requirements"][2]["pass_mark"] == 90
    bad = source.replace("course: TST-101", "course: TST-404")
    response = client.post("/certification/programmes/tst-cert/edit", data={"source": bad})
    line = next(i for i, text in enumerate(bad.split("\n"), start=1) if "TST-404" in text)
    assert response.status_code == 422
    assert f"第 {line} 行：[course] 找不到課程 TST-404" in response.get_data(as_text=True)
    loop = source.replace("prerequisites: []", "prerequisites:\n- tst-senior")
    assert "先決條件形成循環" in client.post("/certification/programmes/tst-cert/edit",
                                              data={"source": loop}).get_data(as_text=True)
