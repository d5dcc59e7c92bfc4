"""Shared parts of the content loaders: errors that name file, line and field; YAML that remembers
where each value came from; Markdown front matter; content hashes."""

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from flask_babel import gettext

MAX_FILE_BYTES = 2 * 1024 * 1024
# Slugs of files' records (exams, call scenarios, programmes, paths): what URLs and file names carry.
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


@dataclass
class ContentError(Exception):
    path: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "")
        what = f" [{self.field}]" if self.field else ""
        return f"{where}{what}: {self.message}"


class ContentErrors(Exception):
    """Every problem found in a content tree; nothing is imported while any remain."""

    def __init__(self, errors: list[ContentError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


class LineDict(dict):
    """A YAML mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    lines: dict

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
    line: int = 0
    lines: list


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value", key_node.start_mark) from None
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader, node):
    seq = LineList(loader.construct_object(child, deep=True) for child in node.value)
    seq.line = node.start_mark.line + 1
    seq.lines = [child.start_mark.line + 1 for child in node.value]
    return seq


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates and times stay strings: content never needs YAML's implicit timestamps.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, regexp) for tag, regexp in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str, path: str, first_line: int = 1):
    """Parse YAML, keeping line numbers; raise ContentError naming the line on a syntax error."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        raise ContentError(path, line, None, gettext("YAML: %(problem)s", problem=exc.problem or exc.context)) from None
    except yaml.YAMLError as exc:
        raise ContentError(path, first_line, None, gettext("YAML: %(problem)s", problem=exc)) from None
    if first_line != 1:
        _shift_lines(data, first_line - 1)
    return data


def _shift_lines(value, offset: int) -> None:
    if isinstance(value, LineDict):
        value.line += offset
        value.lines = {k: v + offset for k, v in value.lines.items()}
        for child in value.values():
            _shift_lines(child, offset)
    elif isinstance(value, LineList):
        value.line += offset
        value.lines = [v + offset for v in value.lines]
        for child in value:
            _shift_lines(child, offset)


def read_text(path: Path, root: Path) -> str:
    """Read a UTF-8 content file, refusing oversize or non-UTF-8 files with a named error."""
    rel = relative(path, root)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ContentError(rel, None, None, gettext("file is %(size)s bytes; the limit is %(limit)s", size=f"{size:,}", limit=f"{MAX_FILE_BYTES:,}"))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ContentError(rel, line, None, gettext("not UTF-8 text")) from None
    if "\x00" in text:
        raise ContentError(rel, text[: text.index("\x00")].count("\n") + 1, None, gettext("contains a NUL character"))
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n"))


def split_front_matter(text: str, path: str) -> tuple[LineDict, str, int]:
    """Split '---' YAML front matter from a Markdown body; return (metadata, body, body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, 1, None, gettext("the file must start with '---' and YAML front matter"))
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ContentError(path, 1, None, gettext("the front matter has no closing '---' line")) from None
    meta = load_yaml("\n".join(lines[1:end]), path, first_line=2)
    if not isinstance(meta, dict):
        raise ContentError(path, 2, None, gettext("the front matter must be a YAML mapping"))
    return meta, "\n".join(lines[end + 1:]).strip("\n") + "\n", end + 2


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent if root.name in ("courses", "quizzes") else root))
    except ValueError:
        return str(path)


def content_hash(value) -> str:
    """A stable hash of plain data (dicts, lists, strings, numbers)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


class Fields:
    """Typed access to a mapping's fields with errors naming the file, line and field."""

    def __init__(self, data: LineDict, path: str):
        self.data, self.path = data, path
        self.errors: list[ContentError] = []

    def error(self, key: str | None, message: str, line: int | None = None) -> None:
        if line is None:
            line = self.data.line_of(key) if isinstance(self.data, LineDict) and key else getattr(self.data, "line", None)
        self.errors.append(ContentError(self.path, line, key, message))

    def unknown(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                self.error(str(key), gettext("unknown field; expected one of %(fields)s", fields=", ".join(sorted(allowed))))

    def text(self, key: str, required: bool = True, max_len: int = 10000, default: str = "") -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.error(key, gettext("is required"), line=self.data.line)
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(key, gettext("must be text"))
            return default
        value = str(value).strip()
        if len(value) > max_len:
            self.error(key, gettext("is longer than %(n)d characters", n=max_len))
        return value

    def integer(self, key: str, required: bool = True, minimum: int | None = None, maximum: int | None = None,
                default: int = 0) -> int:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(key, gettext("is required"), line=self.data.line)
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, gettext("must be a whole number"))
            return default
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.error(key, gettext("must be between %(low)s and %(high)s", low=minimum, high=maximum))
            return default
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.error(key, gettext("must be true or false"))
            return default
        return value

    def string_list(self, key: str, required: bool = False) -> list[str]:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(key, gettext("is required"), line=self.data.line)
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str | int | float) and not isinstance(v, bool)
                                                  for v in value):
            self.error(key, gettext("must be a list of values"))
            return []
        return [str(v).strip() for v in value]

    def choice(self, key: str, options, required: bool = True, default=None):
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(key, gettext("is required"), line=self.data.line)
            return default
        allowed = [str(o) for o in options]
        if str(value) not in allowed:
            self.error(key, gettext("must be one of %(values)s", values=", ".join(allowed)))
            return default
        return str(value)


def load_unique(paths, load_one) -> tuple[list, list[ContentError]]:
    """Load every file with ``load_one(path) -> (spec or None, errors)``; a slug used twice is an error
    naming the file that has it already."""
    specs, errors, seen = [], [], {}
    for path in paths:
        spec, problems = load_one(path)
        errors += problems
        if spec is None:
            continue
        if spec.slug in seen:
            errors.append(ContentError(spec.path, None, "slug", gettext("%(slug)s is also used by %(other)s", slug=spec.slug, other=seen[spec.slug])))
            continue
        seen[spec.slug] = spec.path
        specs.append(spec)
    return specs, errors


def load_mapping_file(path: Path, root: Path, not_a_mapping: str) -> tuple["LineDict | None", str, list[ContentError]]:
    """A YAML file that must hold a mapping: its data and path relative to ``root``, or why it cannot be read."""
    rel = relative(path, root)
    try:
        data = load_yaml(read_text(path, root), rel)
    except ContentError as exc:
        return None, rel, [exc]
    if not isinstance(data, dict):
        return None, rel, [ContentError(rel, 1, None, not_a_mapping)]
    return data, rel, []


def open_mapping(data, rel: str, allowed: set[str], not_a_mapping: str) -> tuple[Fields | None, str, list[ContentError]]:
    """The checks every top-level content mapping opens with (programmes, surveys, observation plans): it is
    a mapping, it has no unknown field, its slug is lowercase letters, digits and '-'. Returns its Fields
    (any problem so far in ``errors``) and the slug; or no Fields and the error ``not_a_mapping``."""
    if not isinstance(data, LineDict):
        return None, "", [ContentError(rel, 1, None, not_a_mapping)]
    fields = Fields(data, rel)
    fields.unknown(allowed)
    slug = fields.text("slug", max_len=100)
    if slug and not SLUG.match(slug):
        fields.error("slug", gettext("use lowercase letters, digits and '-'"))
    return fields, slug, []
