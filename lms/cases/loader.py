"""Read the shipped example cases (courses/cases/*.yaml) into plain specs, with errors that name the file, the
line and the field. A case file holds what a staff member would submit: title, channel, training tier, the
standard items, and the four texts, which the personal-data check reads like a submission."""

from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext

from lms.calls.channels import CHANNELS
from lms.cases.labels import personal_data_message
from lms.cases.models import TEXT_FIELDS
from lms.cases.privacy import find_personal_data
from lms.content.files import ContentError, content_hash, load_mapping_file, load_unique, open_mapping
from lms.courses.models import Tier

TOP_FIELDS = {"slug", "title", "channel", "tier", "items", *TEXT_FIELDS}
TEXT_LIMITS = {"title": 200, "situation": 4000, "actions": 4000, "outcome": 4000, "lessons": 4000}


@dataclass(frozen=True)
class CaseSpec:
    slug: str
    definition: dict = field(hash=False)  # title, channel, tier, items and the texts
    path: str = ""
    items_line: int | None = field(default=None, compare=False)

    @property
    def content_hash(self) -> str:
        return content_hash(self.definition)


def case_from_data(data, rel: str) -> tuple[CaseSpec | None, list[ContentError]]:
    f, slug, errors = open_mapping(data, rel, TOP_FIELDS, gettext("a case is a YAML mapping"))
    if f is None:
        return None, errors
    definition = {name: f.text(name, max_len=TEXT_LIMITS[name]) for name in TEXT_FIELDS}
    definition["channel"] = f.choice("channel", list(CHANNELS))
    definition["tier"] = f.choice("tier", [t.value for t in Tier])
    definition["items"] = sorted(set(f.string_list("items", required=True)))
    if not definition["items"] and "items" in data:
        f.error("items", gettext("list at least one standard item"))
    for name in TEXT_FIELDS:
        if findings := find_personal_data(definition[name]):
            f.error(name, personal_data_message(name, findings))
    if f.errors:
        return None, f.errors
    return CaseSpec(slug, definition, rel, data.line_of("items")), []


def load_case_file(path: Path, root: Path) -> tuple[CaseSpec | None, list[ContentError]]:
    data, rel, errors = load_mapping_file(path, root, gettext("a case is a YAML mapping"))
    return (None, errors) if data is None else case_from_data(data, rel)


def load_cases(courses_root: Path) -> tuple[list[CaseSpec], list[ContentError]]:
    folder = courses_root / "cases"
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return load_unique(paths, lambda path: load_case_file(path, courses_root))


def check_case_references(specs: list[CaseSpec], item_codes: set[str]) -> list[ContentError]:
    """Every standard item a case names must exist."""
    return [ContentError(spec.path, spec.items_line, "items", gettext("unknown standard item %(value)s", value=code))
            for spec in specs for code in spec.definition["items"] if code not in item_codes]
