"""Read call scenarios (courses/<course>/scenarios/*.yaml), compile and validate them, with errors
that name the file, the line and the node or field."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext

from lms.calls.definition import compile_scenario, validate
from lms.calls.engine import ScenarioError
from lms.content.files import (
    SLUG,
    ContentError,
    LineDict,
    content_hash,
    load_mapping_file,
    load_unique,
    read_text,
)


@dataclass(frozen=True)
class ScenarioSpec:
    slug: str
    course_slug: str
    definition: dict = field(hash=False)
    path: str = ""
    text: str = field(default="", compare=False, repr=False)  # the YAML text it was read from, kept as it is

    @property
    def content_hash(self) -> str:
        return content_hash(self.definition)


def plain(value):
    """YAML with line numbers → plain dicts and lists (what is stored and hashed)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _line_in_node(node: LineDict, rest: str) -> int:
    """The line of an option (``option 2``) or a typed reply's fact (``criterion confirm fact 1``) of a node."""
    option = re.search(r"option (\d+)", rest)
    options = node.get("options")
    if option and isinstance(options, list) and int(option.group(1)) <= len(options):
        return getattr(options, "lines", [node.line])[int(option.group(1)) - 1]
    fact = re.search(r"criterion (\S+) fact (\d+)", rest)
    criteria = (node.get("free_text") or {}).get("criteria") if isinstance(node.get("free_text"), dict) else None
    facts = criteria.get(fact.group(1), {}).get("facts") if fact and isinstance(criteria, dict) \
        and isinstance(criteria.get(fact.group(1)), dict) else None
    if fact and isinstance(facts, list) and int(fact.group(2)) <= len(facts):
        return getattr(facts, "lines", [node.line])[int(fact.group(2)) - 1]
    return node.line


def _line_of(data: LineDict, where: str) -> int | None:
    """The line a ScenarioError's 'where' refers to (node id, rubric id or top-level field)."""
    kind, _, rest = where.partition(" ")
    if kind == "node" and isinstance(data.get("nodes"), list):
        nid = rest.split(" ")[0]
        for node in data["nodes"]:
            if isinstance(node, dict) and str(node.get("id")) == nid:
                return _line_in_node(node, rest)
    if kind == "rubric" and isinstance(data.get("rubric"), list):
        for item in data["rubric"]:
            if isinstance(item, dict) and str(item.get("id")) == rest:
                return getattr(item, "line", None)
    return data.line_of(kind) if isinstance(data, LineDict) else None


def check_definition(data: dict, path: str, known_items: set[str] | None) -> list[ContentError]:
    """Compile and validate one definition (from a file or the browser editor)."""
    try:
        scenario = compile_scenario(plain(data))
    except ScenarioError as exc:
        return [ContentError(path, _line_of(data, exc.where) if isinstance(data, LineDict) else None,
                             exc.where or None, exc.message)]
    return [ContentError(path, _line_of(data, e.where) if isinstance(data, LineDict) else None, e.where or None,
                         e.message) for e in validate(scenario, known_items)]


def load_scenario_file(path: Path, root: Path, course_slug: str,
                       known_items: set[str] | None) -> tuple[ScenarioSpec | None, list[ContentError]]:
    data, rel, errors = load_mapping_file(path, root, gettext("a scenario is a YAML mapping"))
    if errors:
        return None, errors
    slug = str(data.get("slug") or "")
    if not SLUG.match(slug):
        return None, [ContentError(rel, data.line_of("slug"), "slug", gettext("use lowercase letters, digits and '-'"))]
    errors = check_definition(data, rel, known_items)
    if errors:
        return None, errors
    return ScenarioSpec(slug, course_slug, plain(data), rel, read_text(path, root)), []


def load_scenarios(courses_root: Path, known_items: set[str] | None) -> tuple[list[ScenarioSpec], list[ContentError]]:
    return load_unique(sorted(courses_root.glob("*/scenarios/*.yaml")),
                       lambda path: load_scenario_file(path, courses_root, path.parent.parent.name, known_items))
