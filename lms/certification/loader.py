"""Read certification programmes (courses/programmes/*.yaml) into plain definitions, with errors that
name the file, the line and the field. References to courses, exams, scenarios, standard items and
other programmes are checked against what the rest of the content tree defines."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from lms.certification.requirement_kinds import REQUIREMENT_KINDS, file_kind_names
from lms.content.files import (
    ContentError,
    Fields,
    LineDict,
    content_hash,
    load_unique,
    load_yaml,
    open_mapping,
    read_text,
    relative,
)
from lms.pdf import printable_problem

REQUIREMENT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
TOP_FIELDS = {"slug", "title", "summary", "level", "validity_months", "prerequisites", "requirements",
              "recertification"}
RECERT_FIELDS = {"window_days", "grace_days", "reminder_days", "requirements"}


@dataclass(frozen=True)
class ProgrammeSpec:
    slug: str
    definition: dict = field(hash=False)
    path: str = ""
    lines: dict = field(default_factory=dict, hash=False, compare=False)  # reference → line, for cross-checks

    @property
    def content_hash(self) -> str:
        return content_hash(self.definition)


@dataclass
class References:
    """What the rest of the content tree defines (None: do not check that kind)."""

    course_codes: set[str] | None = None
    exam_slugs: set[str] | None = None
    scenario_slugs: set[str] | None = None
    item_codes: set[str] | None = None
    path_slugs: set[str] | None = None  # onboarding paths (a mentor's sign-off of one)


def _requirement(raw, f: Fields, where: str, seen: set[str], lines: dict) -> dict | None:
    """One requirement: its id and kind here, the rest of its fields by its kind (requirement_kinds.py)."""
    if not isinstance(raw, dict):
        f.error(where, gettext("each requirement is a mapping with id and kind"), line=getattr(raw, "line", None))
        return None
    r = Fields(raw, f.path)
    rid = r.text("id")
    if rid and not REQUIREMENT_ID.match(rid):
        r.error("id", gettext("use lowercase letters, digits, '-' and '_'"))
    elif rid in seen:
        r.error("id", gettext("%(id)s is used twice in this programme", id=rid))
    seen.add(rid)
    name = r.choice("kind", file_kind_names())
    out = {"id": rid, "kind": name}
    if name:
        kind = REQUIREMENT_KINDS[name]
        r.unknown({"id", "kind"} | kind.fields)
        out |= kind.load(raw, r, lines)
    f.errors += r.errors
    return out if not r.errors else None


def _requirements(raw, f: Fields, key: str, lines: dict, required: bool = True) -> list[dict]:
    if raw is None and not required:
        return []
    if not isinstance(raw, list) or not raw:
        f.error(key, gettext("list at least one requirement"))
        return []
    seen: set[str] = set()
    found = [_requirement(item, f, key, seen, lines) for item in raw]
    return [r for r in found if r is not None]


def load_programme_file(path: Path, root: Path) -> tuple[ProgrammeSpec | None, list[ContentError]]:
    rel = relative(path, root)
    try:
        data = load_yaml(read_text(path, root), rel)
    except ContentError as exc:
        return None, [exc]
    return programme_from_data(data, rel)


def programme_from_data(data, rel: str) -> tuple[ProgrammeSpec | None, list[ContentError]]:
    """Check one programme mapping (from a file or the browser editor) into its plain definition."""
    f, slug, errors = open_mapping(data, rel, TOP_FIELDS, gettext("a programme is a YAML mapping"))
    if f is None:
        return None, errors
    lines: dict = {}
    definition = {
        "slug": slug, "title": f.text("title", max_len=200), "summary": f.text("summary", max_len=2000),
        "level": f.integer("level", minimum=1, maximum=9),
        "validity_months": f.integer("validity_months", minimum=1, maximum=120),
        "prerequisites": f.string_list("prerequisites"),
        "requirements": _requirements(data.get("requirements"), f, "requirements", lines),
    }
    if problem := printable_problem(definition["title"]):  # the title prints on every certificate
        f.error("title", problem)
    for slug_ in definition["prerequisites"]:
        lines[("programme", slug_)] = data.line_of("prerequisites")
    recert = data.get("recertification")
    if not isinstance(recert, LineDict):
        f.error("recertification", gettext("give window_days, grace_days, reminder_days and requirements"))
    else:
        r = Fields(recert, rel)
        r.unknown(RECERT_FIELDS)
        days = r.string_list("reminder_days")
        ladder = sorted({int(d) for d in days if d.isdigit() and 0 < int(d) <= 365}, reverse=True)
        if len(ladder) != len(days):
            r.error("reminder_days", gettext("whole numbers of days before expiry, from 1 to 365, each once"))
        definition["recertification"] = {
            "window_days": r.integer("window_days", minimum=0, maximum=365),
            "grace_days": r.integer("grace_days", minimum=0, maximum=365),
            "reminder_days": ladder,
            "requirements": _requirements(recert.get("requirements"), r, "recertification.requirements", lines),
        }
        f.errors += r.errors
    if f.errors:
        return None, f.errors
    return ProgrammeSpec(slug, definition, rel, lines), []


# What a reference to something that does not exist says, by the kind of thing named.
UNKNOWN = {"course": _l("unknown course %(value)s"), "exam": _l("unknown exam %(value)s"),
           "scenario": _l("unknown scenario %(value)s"), "item": _l("unknown standard item %(value)s"),
           "programme": _l("unknown programme %(value)s"), "path": _l("unknown onboarding path %(value)s")}


def check_programme_references(specs: list[ProgrammeSpec], refs: References) -> list[ContentError]:
    """Every course, exam, scenario, standard item and prerequisite named must exist; no prerequisite loops."""
    errors = []
    slugs = {s.slug for s in specs}
    known = {"course": refs.course_codes, "exam": refs.exam_slugs, "scenario": refs.scenario_slugs,
             "item": refs.item_codes, "programme": slugs, "path": refs.path_slugs}
    for spec in specs:
        for (kind, value), line in spec.lines.items():
            if known.get(kind) is not None and value not in known[kind]:  # a kind's own references: unchecked
                errors.append(ContentError(spec.path, line, kind, UNKNOWN[kind] % {"value": value}))
            if kind == "programme" and value == spec.slug:
                errors.append(ContentError(spec.path, line, "prerequisites", gettext("a programme cannot require itself")))
    graph = {s.slug: set(s.definition["prerequisites"]) & slugs for s in specs}
    done: set[str] = set()
    for start in sorted(graph):
        path, stack = [], [(start, iter(sorted(graph[start])))]
        on_path = {start}
        path.append(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                on_path.discard(node)
                path.pop()
                done.add(node)
                continue
            if child in on_path:
                spec = next(s for s in specs if s.slug == start)
                loop = " → ".join(path[path.index(child):] + [child])
                errors.append(ContentError(spec.path, spec.lines.get(("programme", path[1] if len(path) > 1
                                                                      else child)), "prerequisites",
                                           gettext("prerequisite loop: %(loop)s", loop=loop)))
                return errors
            if child not in done:
                on_path.add(child)
                path.append(child)
                stack.append((child, iter(sorted(graph[child]))))
    return errors


def load_programmes(courses_root: Path) -> tuple[list[ProgrammeSpec], list[ContentError]]:
    folder = courses_root / "programmes"
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return load_unique(paths, lambda path: load_programme_file(path, courses_root))
