"""The onboarding path's mentoring section: read into plain data, every problem naming file, line and field."""

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.content.files import ContentErrors, load_yaml
from lms.courses.loader import load_path
from lms.courses.path_mentoring import load_mentoring
from lms.curriculum.importer import load_tree
from tests.factories import FIXTURE_CONTENT, SHIPPED_CONTENT

BASE = """slug: p
title: 路徑
courses:
  - {code: TST-101, due_days: 7}
"""


def _load(tmp_path: Path, extra: str):
    file = tmp_path / "paths" / "p.yaml"
    file.parent.mkdir(exist_ok=True)
    file.write_text(BASE + extra, encoding="utf-8")
    return load_path(file, tmp_path)


def test_the_shipped_new_hire_path_has_a_mentoring_plan():
    tree = load_tree(SHIPPED_CONTENT)
    path = next(p for p in tree.curriculum.paths if p.slug == "new-hire")
    assert path.mentoring.check_in_days == (7, 30, 60, 90)
    assert "4.1.1-b" in path.mentoring.sign_off and len(path.mentoring.sign_off) == 6


def test_a_path_without_mentoring_has_none(tmp_path):
    spec, errors = _load(tmp_path, "")
    assert errors == [] and spec.mentoring is None


def test_a_good_section_is_read(tmp_path):
    spec, errors = _load(tmp_path, "mentoring:\n  check_in_days: [7, 30]\n  sign_off: [4.1.1-a, 4.1.1-b]\n")
    assert errors == []
    assert spec.mentoring.check_in_days == (7, 30) and spec.mentoring.sign_off == ("4.1.1-a", "4.1.1-b")


@pytest.mark.parametrize(("section", "field", "line", "words"), [
    ("mentoring: [7]\n", "mentoring", 5, "mapping"),
    ("mentoring:\n  check_in_days: [30, 7]\n  sign_off: [4.1.1-a]\n", "mentoring.check_in_days", 6, "increasing"),
    ("mentoring:\n  check_in_days: [0]\n  sign_off: [4.1.1-a]\n", "mentoring.check_in_days", 6, "between 1"),
    ("mentoring:\n  check_in_days: [7]\n  sign_off: []\n", "mentoring.sign_off", 7, "list the standard items"),
    ("mentoring:\n  check_in_days: [7]\n  sign_off:\n    - 4.1.1-a\n    - 4.1.1-a\n", "mentoring.sign_off", 9,
     "twice"),
    ("mentoring:\n  check_in_days: [7]\n  sign_off: [4.1.1-a]\n  signoff: x\n", "mentoring.signoff", 8, "unknown"),
    ("mentoring:\n  sign_off: [4.1.1-a]\n", "mentoring.check_in_days", 5, "list the days"),
])
def test_problems_name_file_line_and_field(tmp_path, section, field, line, words):
    spec, errors = _load(tmp_path, section)
    assert spec is None
    assert [(e.path, e.field) for e in errors] == [("paths/p.yaml", field)]
    assert errors[0].line == line and words in errors[0].message


def test_an_unknown_item_is_named_with_its_line(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(FIXTURE_CONTENT, tree)
    file = tree / "courses" / "paths" / "new-hire.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("sign_off: [4.1.1-a, 4.1.1-b]",
                                                             "sign_off:\n    - 4.1.1-a\n    - 9.9.9-z"),
                    encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_tree(tree)
    (error,) = caught.value.errors
    assert (error.path, error.field, "9.9.9-z" in error.message) == ("courses/paths/new-hire.yaml",
                                                                     "mentoring.sign_off", True)
    assert file.read_text(encoding="utf-8").split("\n")[error.line - 1].strip() == "- 9.9.9-z"


values = st.one_of(st.integers(-5, 5000), st.text(max_size=8), st.booleans(), st.none(), st.floats(allow_nan=False))


@settings(max_examples=200, deadline=None)
@given(days=st.one_of(values, st.lists(values, max_size=6)), items=st.one_of(values, st.lists(values, max_size=6)))
def test_property_the_section_reader_never_crashes(days, items):
    import json

    data = load_yaml("mentoring:\n  check_in_days: " + json.dumps(days) + "\n  sign_off: " + json.dumps(items) + "\n",
                     "p.yaml")
    spec, errors = load_mentoring(data, "p.yaml")
    assert (spec is None) == bool(errors)
    if spec is not None:
        assert list(spec.check_in_days) == sorted(set(spec.check_in_days)) and spec.check_in_days
        assert all(1 <= d <= 3650 for d in spec.check_in_days) and len(set(spec.sign_off)) == len(spec.sign_off)
    assert all(e.field and e.field.startswith("mentoring") and e.line for e in errors)
