"""Scenario files: errors name the file, the line and the node or field; duplicates are refused."""

import shutil
from pathlib import Path

import pytest

from lms.content.files import ContentErrors
from lms.curriculum.importer import load_tree
from tests.factories import FIXTURE_CONTENT

SCENARIO = "courses/tst-201-phone/scenarios/tst-call.yaml"


@pytest.fixture
def tree(tmp_path) -> Path:
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    return tmp_path / "content"


def _problems(tree: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_tree(tree)
    return [str(e) for e in caught.value.errors]


def _line_of(text: str, fragment: str) -> int:
    return text.split("\n").index(next(line for line in text.split("\n") if fragment in line)) + 1


def test_the_fixture_tree_loads_its_scenario():
    assert [s.slug for s in load_tree(FIXTURE_CONTENT).scenarios] == ["tst-call"]


def test_an_unreachable_turn_is_refused_with_file_and_line(tree):
    path = tree / SCENARIO
    text = path.read_text(encoding="utf-8") + (
        "  - id: forgotten\n    type: customer\n    say: 還有人在嗎？\n    goto: a_close\n")
    path.write_text(text, encoding="utf-8")
    problems = _problems(tree)
    line = _line_of(text, "id: forgotten")
    assert any(p.startswith(f"{SCENARIO}:{line} [node forgotten]") and "unreachable" in p for p in problems), problems


def test_a_reply_to_an_unknown_turn_names_the_option_line(tree):
    path = tree / SCENARIO
    text = path.read_text(encoding="utf-8").replace("goto: c_complaint\n      - say: 喂？", "goto: c_nowhere\n      - say: 喂？")
    path.write_text(text, encoding="utf-8")
    problems = _problems(tree)
    line = _line_of(text, "- say: 您好，測試客服中心")
    assert any(p.startswith(f"{SCENARIO}:{line} [node greet option 1]") and "c_nowhere" in p for p in problems), problems


def test_a_criterion_citing_an_unknown_item_is_named(tree):
    path = tree / SCENARIO
    text = path.read_text(encoding="utf-8").replace("standards: [4.1.3-a]", "standards: [4.1.3-z]")
    path.write_text(text, encoding="utf-8")
    problems = _problems(tree)
    line = _line_of(text, "4.1.3-z")
    assert any(p.startswith(f"{SCENARIO}:{line} [rubric closing]") and "4.1.3-z" in p for p in problems), problems


def test_two_scenarios_with_one_slug_are_refused(tree):
    (tree / "courses/tst-101-basics/scenarios").mkdir()
    shutil.copy(tree / SCENARIO, tree / "courses/tst-101-basics/scenarios/copy.yaml")
    problems = _problems(tree)
    assert any("tst-call is also used by" in p for p in problems), problems


def test_bad_yaml_and_bad_slugs_are_named(tree):
    (tree / "courses/tst-201-phone/scenarios/broken.yaml").write_text("slug: [unclosed\n", encoding="utf-8")
    (tree / "courses/tst-201-phone/scenarios/bad-slug.yaml").write_text("slug: Bad Slug\n", encoding="utf-8")
    problems = _problems(tree)
    assert any(p.startswith("courses/tst-201-phone/scenarios/broken.yaml:") for p in problems), problems
    assert any(p.startswith("courses/tst-201-phone/scenarios/bad-slug.yaml:1 [slug]") for p in problems), problems
