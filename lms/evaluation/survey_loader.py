"""Read reaction surveys (courses/surveys/*.yaml) into plain definitions, with errors that name the file,
the line and the field. A survey has Likert items (1–5), at most one 0–10 recommendation question and
free comments, and says when it is offered: after a course, after a block of practice calls, or both."""

import re
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

ITEM_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
ITEM_KINDS = ("likert", "nps", "comment")
OFFER_AFTER = ("course", "calls")
TOP_FIELDS = {"slug", "title", "offer", "items"}
ITEM_FIELDS = {"id", "kind", "text", "required"}
MAX_ITEMS = 40


@dataclass(frozen=True)
class SurveySpec:
    slug: str
    definition: dict = field(hash=False)  # {"title", "offer": {...}, "items": [...]}
    path: str = ""
    course_lines: dict = field(default_factory=dict, hash=False, compare=False)  # course code → line

    @property
    def content_hash(self) -> str:
        return content_hash(self.definition)


def _item(raw, f: Fields, seen: set[str]) -> dict | None:
    if not isinstance(raw, LineDict):
        f.error("items", gettext("each item is a mapping with id, kind and text"), line=getattr(raw, "line", None))
        return None
    r = Fields(raw, f.path)
    r.unknown(ITEM_FIELDS)
    item_id = r.text("id", max_len=40)
    if item_id and not ITEM_ID.match(item_id):
        r.error("id", gettext("use lowercase letters, digits, '-' and '_'"))
    elif item_id in seen:
        r.error("id", gettext("%(id)s is used twice in this survey", id=item_id))
    seen.add(item_id)
    kind = r.choice("kind", ITEM_KINDS)
    item = {"id": item_id, "kind": kind, "text": r.text("text", max_len=300),
            "required": r.boolean("required", kind != "comment")}
    f.errors += r.errors
    return None if r.errors else item


def _items(data: LineDict, f: Fields) -> list[dict]:
    raw = data.get("items")
    if not isinstance(raw, list) or not raw:
        f.error("items", gettext("list at least one item"))
        return []
    if len(raw) > MAX_ITEMS:
        f.error("items", gettext("at most %(n)d items", n=MAX_ITEMS))
        return []
    seen: set[str] = set()
    items = [item for item in (_item(r, f, seen) for r in raw) if item is not None]
    if sum(1 for i in items if i["kind"] == "nps") > 1:
        f.error("items", gettext("a survey has at most one recommendation (nps) question"))
    if not any(i["kind"] in ("likert", "nps") for i in items) and len(items) == len(raw):
        f.error("items", gettext("a survey needs at least one rated item (likert or nps)"))
    return items


def _offer(data: LineDict, f: Fields, course_lines: dict) -> dict:
    raw = data.get("offer")
    if not isinstance(raw, LineDict):
        f.error("offer", gettext("say when the survey is offered: after (course, calls) and courses (all or a list)"))
        return {}
    o = Fields(raw, f.path)
    o.unknown({"after", "courses"})
    after = o.string_list("after", required=True)
    if not after or any(a not in OFFER_AFTER for a in after):
        o.error("after", gettext("list one or both of %(values)s", values=", ".join(OFFER_AFTER)))
    courses = raw.get("courses", "all")
    if courses != "all":
        courses = o.string_list("courses", required=True)
        for code in courses:
            course_lines[code] = raw.line_of("courses")
    f.errors += o.errors
    return {"after": sorted(set(after)), "courses": courses}


def survey_from_data(data, rel: str) -> tuple[SurveySpec | None, list[ContentError]]:
    f, slug, errors = open_mapping(data, rel, TOP_FIELDS, gettext("a survey is a YAML mapping"))
    if f is None:
        return None, errors
    course_lines: dict = {}
    definition = {"title": f.text("title", max_len=200), "offer": _offer(data, f, course_lines),
                  "items": _items(data, f)}
    if f.errors:
        return None, f.errors
    return SurveySpec(slug, definition, rel, course_lines), []


def load_survey_file(path: Path, root: Path) -> tuple[SurveySpec | None, list[ContentError]]:
    data, rel, errors = load_mapping_file(path, root, gettext("a survey is a YAML mapping"))
    return (None, errors) if data is None else survey_from_data(data, rel)


def load_surveys(courses_root: Path) -> tuple[list[SurveySpec], list[ContentError]]:
    folder = courses_root / "surveys"
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return load_unique(paths, lambda path: load_survey_file(path, courses_root))


def check_survey_references(specs: list[SurveySpec], course_codes: set[str]) -> list[ContentError]:
    """Every course a survey names must exist."""
    return [ContentError(spec.path, line, "offer.courses", gettext("unknown course %(value)s", value=code))
            for spec in specs for code, line in spec.course_lines.items() if code not in course_codes]
