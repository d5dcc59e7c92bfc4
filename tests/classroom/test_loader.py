"""Session templates, a path's sessions and a course's requires_session from files: errors name the file,
the line and the field; the shipped templates load and cite real items; the import writes them once."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.classroom.loader import check_template_references, load_templates, template_from_data
from lms.content.files import load_yaml
from lms.courses.loader import check_path_sessions, load_curriculum

ROOT = Path(__file__).resolve().parents[2]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "sessions"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return tmp_path


GOOD = """slug: drill
kind: drill
title: 演練
description: 模擬系統中斷
duration_minutes: 60
capacity: 10
course: TST-101
standards: [10.2.3-a]
drill_steps: [5.2.2-a]
"""


def test_a_good_template_loads(app, tmp_path):
    specs, errors = load_templates(_write(tmp_path, "drill.yaml", GOOD))
    assert errors == []
    [spec] = specs
    assert (spec.kind, spec.capacity, spec.course_code, spec.drill_steps) == ("drill", 10, "TST-101", ("5.2.2-a",))


@pytest.mark.parametrize(("change", "field", "line"), [
    (("kind: drill", "kind: party"), "kind", 2),
    (("capacity: 10", "capacity: 0"), "capacity", 6),
    (("capacity: 10", "capacity: many"), "capacity", 6),
    (("drill_steps: [5.2.2-a]\n", ""), "drill_steps", None),
    (("duration_minutes: 60", "duration_minutes: 60\ncolour: red"), "colour", 6),
])
def test_a_bad_field_is_named_with_file_and_line(app, tmp_path, change, field, line):
    _specs, errors = load_templates(_write(tmp_path, "bad.yaml", GOOD.replace(*change)))
    assert errors and errors[0].path == "sessions/bad.yaml" and errors[0].field == field
    if line:
        assert errors[0].line == line


def test_only_a_drill_has_drill_steps(app, tmp_path):
    _specs, errors = load_templates(_write(tmp_path, "w.yaml", GOOD.replace("kind: drill", "kind: workshop")))
    assert [e.field for e in errors] == ["drill_steps"]


def test_unknown_course_and_items_are_named(app, tmp_path):
    specs, _errors = load_templates(_write(tmp_path, "drill.yaml", GOOD))
    errors = check_template_references(specs, {"TST-201"}, {"10.2.3-a"})
    assert [(e.field, e.line) for e in errors] == [("course", 7), ("drill_steps", 9)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["slug", "kind", "title", "capacity", "duration_minutes", "standards",
                                        "drill_steps", "course"]),
                       st.one_of(st.text(max_size=10), st.integers(-5, 900), st.lists(st.text(max_size=6)),
                                 st.none(), st.booleans())))
def test_any_mapping_loads_or_says_why(app, data):
    import yaml

    parsed = load_yaml(yaml.safe_dump(data, allow_unicode=True), "sessions/x.yaml")
    spec, errors = template_from_data(parsed, "sessions/x.yaml")
    assert (spec is None) == bool(errors)
    assert all(e.path == "sessions/x.yaml" for e in errors)


def test_the_shipped_templates_load_and_cite_real_items(app):
    from lms.standards.loader import load_standards

    specs, errors = load_templates(ROOT / "courses")
    assert errors == []
    assert {s.kind for s in specs} == {"induction", "workshop", "outside_trainer", "law_update", "drill"}
    _chapters, _problems, items = load_standards(ROOT / "courses" / "standards")
    curriculum, _ = load_curriculum(ROOT / "courses")
    assert check_template_references(specs, {c.code for c in curriculum.courses}, items) == []
    drill = next(s for s in specs if s.kind == "drill")
    assert drill.drill_steps == tuple(f"5.2.2-{x}" for x in "abcdef")  # the six crisis steps, as PRO-206 teaches
    new_hire = next(p for p in curriculum.paths if p.slug == "new-hire")
    assert [s.template for s in new_hire.sessions] == ["induction-day"]
    assert check_path_sessions(curriculum, {s.slug for s in specs}) == []
    assert check_path_sessions(curriculum, {"other"})[0].field == "sessions"


def test_requires_session_must_be_true_or_false(app, tmp_path):
    from lms.courses.loader import load_course

    folder = tmp_path / "tst-901-x"
    (folder / "lessons").mkdir(parents=True)
    (folder / "lessons" / "01-a.md").write_text("---\ntitle: 甲\nminutes: 5\nstandards: [4.1.1-a]\n---\n內容\n",
                                                encoding="utf-8")
    head = ("---\ncode: TST-901\ntitle: 課\ntier: foundation\nsummary: 摘要\naudience: [learner]\n"
            "duration_minutes: 5\nrequires_session: {value}\n---\n說明\n")
    (folder / "course.md").write_text(head.format(value="sometimes"), encoding="utf-8")
    spec, errors, _code = load_course(folder, tmp_path)
    assert spec is None and [(e.field, e.line) for e in errors] == [("requires_session", 8)]
    (folder / "course.md").write_text(head.format(value="true"), encoding="utf-8")
    spec, errors, _code = load_course(folder, tmp_path)
    assert errors == [] and spec.requires_session and spec.as_data()["requires_session"] is True


def test_the_import_writes_templates_once(make):
    from sqlalchemy import func, select

    from lms.classroom.models import SessionTemplate
    from lms.courses.models import OnboardingPath
    from lms.db import db

    make.content(ROOT)
    assert db.session.scalar(select(func.count()).select_from(SessionTemplate)) == 5
    path = db.session.scalar(select(OnboardingPath).where(OnboardingPath.slug == "new-hire"))
    assert path.session_steps == [{"template": "induction-day", "due_days": 5}]
    report = make.content(ROOT)
    assert ("session templates", "0 new, 0 changed, 5 unchanged") in report.lines
