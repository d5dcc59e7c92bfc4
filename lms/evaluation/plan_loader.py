"""Read observation plans (courses/observations/*.yaml) into plain definitions, with errors that name the
file, the line and the field. A plan says after which course or certification programme real calls are
observed, on which call scenario's rubric, at how many days, and who observes."""

from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext

from lms.content.files import (
    ContentError,
    Fields,
    LineDict,
    content_hash,
    load_mapping_file,
    load_unique,
    open_mapping,
)

OBSERVERS = ("trainer", "manager", "quality")
TOP_FIELDS = {"slug", "title", "after", "scenario", "days", "observer"}


@dataclass(frozen=True)
class PlanSpec:
    slug: str
    source_kind: str  # course | certification
    source_key: str  # course code | programme slug
    definition: dict = field(hash=False)  # {"title", "scenario", "days", "observer"}
    path: str = ""
    lines: dict = field(default_factory=dict, hash=False, compare=False)  # (kind, value) → line

    @property
    def content_hash(self) -> str:
        return content_hash({"source": [self.source_kind, self.source_key], **self.definition})


def _after(data: LineDict, f: Fields, lines: dict) -> tuple[str, str]:
    raw = data.get("after")
    if not isinstance(raw, LineDict) or len(raw) != 1 or next(iter(raw)) not in ("course", "programme"):
        f.error("after", gettext("give either course: <code> or programme: <slug>"))
        return "", ""
    key = next(iter(raw))
    value = Fields(raw, f.path).text(key, max_len=100)
    lines[(key, value)] = raw.line_of(key)
    return ("course" if key == "course" else "certification"), value


def _days(f: Fields) -> list[int]:
    days = f.string_list("days", required=True)
    numbers = sorted({int(d) for d in days if d.isdigit() and 1 <= int(d) <= 365})
    if not days or len(numbers) != len(days):
        f.error("days", gettext("whole numbers of days after the event, from 1 to 365, each once"))
    return numbers


def plan_from_data(data, rel: str) -> tuple[PlanSpec | None, list[ContentError]]:
    f, slug, errors = open_mapping(data, rel, TOP_FIELDS, gettext("an observation plan is a YAML mapping"))
    if f is None:
        return None, errors
    lines: dict = {}
    kind, key = _after(data, f, lines)
    scenario = f.text("scenario", max_len=100)
    lines[("scenario", scenario)] = data.line_of("scenario")
    definition = {"title": f.text("title", max_len=200), "scenario": scenario, "days": _days(f),
                  "observer": f.choice("observer", OBSERVERS)}
    if f.errors:
        return None, f.errors
    return PlanSpec(slug, kind, key, definition, rel, lines), []


def load_plan_file(path: Path, root: Path) -> tuple[PlanSpec | None, list[ContentError]]:
    data, rel, errors = load_mapping_file(path, root, gettext("an observation plan is a YAML mapping"))
    return (None, errors) if data is None else plan_from_data(data, rel)


def load_plans(courses_root: Path) -> tuple[list[PlanSpec], list[ContentError]]:
    folder = courses_root / "observations"
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return load_unique(paths, lambda path: load_plan_file(path, courses_root))


def check_plan_references(specs: list[PlanSpec], known: dict[str, set[str] | None]) -> list[ContentError]:
    """Every course, programme and scenario a plan names must exist (None: that kind is not checked)."""
    messages = {"course": gettext("unknown course %(value)s"), "programme": gettext("unknown programme %(value)s"),
                "scenario": gettext("unknown scenario %(value)s")}
    return [ContentError(spec.path, line, kind, messages[kind] % {"value": value})
            for spec in specs for (kind, value), line in spec.lines.items()
            if known.get(kind) is not None and value not in known[kind]]
