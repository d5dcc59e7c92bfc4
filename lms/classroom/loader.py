"""Read session templates (courses/sessions/*.yaml) into plain definitions, every problem naming the file, the
line and the field. A template is a session the centre runs again and again: its kind, title, description,
length, room size, the course it belongs to (if any), the standard items it covers and, for an emergency
drill, the crisis steps its observed actions are checked against."""

from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext

from lms.classroom.models import SessionKind
from lms.content.files import ContentError, content_hash, load_mapping_file, load_unique, open_mapping

TOP_FIELDS = {"slug", "kind", "title", "description", "duration_minutes", "capacity", "course", "standards",
              "drill_steps"}
NOT_A_MAPPING = "a session template is a YAML mapping"


@dataclass(frozen=True)
class TemplateSpec:
    slug: str
    kind: str
    title: str
    description: str
    duration_minutes: int
    capacity: int
    course_code: str | None
    standards: tuple[str, ...]
    drill_steps: tuple[str, ...]
    path: str = ""
    lines: dict = field(default_factory=dict, hash=False, compare=False)  # field → line

    @property
    def content_hash(self) -> str:
        return content_hash({"kind": self.kind, "title": self.title, "description": self.description,
                             "duration_minutes": self.duration_minutes, "capacity": self.capacity,
                             "course": self.course_code, "standards": list(self.standards),
                             "drill_steps": list(self.drill_steps)})


def template_from_data(data, rel: str) -> tuple[TemplateSpec | None, list[ContentError]]:
    f, slug, errors = open_mapping(data, rel, TOP_FIELDS, gettext(NOT_A_MAPPING))
    if f is None:
        return None, errors
    kind = f.choice("kind", [k.value for k in SessionKind])
    steps = f.string_list("drill_steps")
    if kind == SessionKind.DRILL and not steps:
        f.error("drill_steps", gettext("an emergency drill lists the crisis steps its actions are checked against"))
    if kind and kind != SessionKind.DRILL and steps:
        f.error("drill_steps", gettext("only an emergency drill has drill steps"))
    spec = TemplateSpec(
        slug=slug, kind=kind or "", title=f.text("title", max_len=200),
        description=f.text("description", max_len=4000),
        duration_minutes=f.integer("duration_minutes", minimum=15, maximum=720),
        capacity=f.integer("capacity", minimum=1, maximum=500), course_code=f.text("course", required=False,
                                                                                    max_len=16) or None,
        standards=tuple(f.string_list("standards", required=True)), drill_steps=tuple(steps), path=rel,
        lines={key: data.line_of(key) for key in ("course", "standards", "drill_steps") if key in data})
    if f.errors:
        return None, f.errors
    return spec, []


def load_template_file(path: Path, root: Path) -> tuple[TemplateSpec | None, list[ContentError]]:
    data, rel, errors = load_mapping_file(path, root, gettext(NOT_A_MAPPING))
    return (None, errors) if data is None else template_from_data(data, rel)


def load_templates(courses_root: Path) -> tuple[list[TemplateSpec], list[ContentError]]:
    folder = courses_root / "sessions"
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return load_unique(paths, lambda path: load_template_file(path, courses_root))


def check_template_references(specs: list[TemplateSpec], course_codes: set[str],
                              item_codes: set[str]) -> list[ContentError]:
    """The course a template names and the standard items it cites must exist."""
    errors = []
    for spec in specs:
        if spec.course_code and spec.course_code not in course_codes:
            errors.append(ContentError(spec.path, spec.lines.get("course"), "course",
                                       gettext("unknown course %(value)s", value=spec.course_code)))
        for key, codes in (("standards", spec.standards), ("drill_steps", spec.drill_steps)):
            errors += [ContentError(spec.path, spec.lines.get(key), key,
                                    gettext("unknown standard item %(value)s", value=code))
                       for code in codes if code not in item_codes]
    return errors


def check_programme_sessions(programmes, template_slugs: set[str]) -> list[ContentError]:
    """Every session template a certification programme's "session" requirement names must exist."""
    return [ContentError(spec.path, line, "session", gettext("unknown session template %(value)s", value=value))
            for spec in programmes for (kind, value), line in spec.lines.items()
            if kind == "session" and value not in template_slugs]
