"""The call builder's definition written back as YAML, changing no more of the text than the data did.

The data unchanged, the text the version was made from comes back byte for byte (a scenario opened in
the builder and saved unchanged gives its file). Changed, the text is spliced: every top-level field
whose data is unchanged keeps its lines as written (comments, flow mappings, blank lines), and so does
every unchanged item of a list of items with an ``id`` (the nodes, the rubric); what changed is written
in the style of the content export (lms.curriculum.exporter). The shipped files are not in one style
(comments, one-line mappings), so writing the whole file in one style would rewrite every line of it
for a one-word change, and a reviewer could no longer see what changed. Whatever does not read back as
the same data falls back to the export's style for the whole file."""

import re

import yaml

from lms.calls.loader import plain
from lms.content.files import ContentError, LineDict, LineList, load_yaml


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper, value):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str_presenter)
_OPENING_COMMENT = re.compile(r"\A(?:#[^\n]*\n|[ \t]*\n)*")


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def _read(text: str | None):
    if not text:
        return None
    try:
        return load_yaml(text, "builder")
    except ContentError:
        return None


def data_of(text: str | None) -> dict | None:
    """The plain definition a YAML text holds, or None when it does not read as a mapping."""
    data = _read(text)
    return plain(data) if isinstance(data, dict) else None


def _trailing(span: list[str]) -> int:
    """How many lines at the end of a span are blank or comments (they stay when the item is rewritten)."""
    count = 0
    while count < len(span) and (not span[-1 - count].strip() or span[-1 - count].lstrip().startswith("#")):
        count += 1
    return count


def _indented(text: str, indent: int) -> list[str]:
    return [(" " * indent + line) if line.strip() else line for line in text.splitlines(keepends=True)]


def _list_lines(items: list, written: LineList, lines: list[str], start: int, end: int) -> list[str] | None:
    """A list of items with ids: unchanged items as written, the others in the export's style."""
    starts = written.lines
    if not starts or starts[0] <= start or not all(isinstance(i, dict) for i in items):
        return None
    first = lines[starts[0] - 1]
    indent = len(first) - len(first.lstrip(" "))
    spans = {}
    for index, item in enumerate(written):
        stop = starts[index + 1] - 1 if index + 1 < len(starts) else end
        if isinstance(item, dict) and "id" in item:
            spans[str(item["id"])] = (plain(item), lines[starts[index] - 1:stop])
    first_span = lines[starts[0] - 1:(starts[1] - 1 if len(starts) > 1 else end)]
    gap = ["\n"] * sum(1 for line in first_span[len(first_span) - _trailing(first_span):] if not line.strip())
    out = lines[start - 1:starts[0] - 1]
    for number, item in enumerate(items, start=1):
        data, span = spans.get(str(item.get("id")), (None, None))
        if span is not None and data == item:
            out += span
        elif span is not None:  # changed: rewritten, with the blank lines and comments that followed it
            out += _indented(_dump([item]), indent) + span[len(span) - _trailing(span):]
        else:  # new: set apart like the others
            before = gap if out and out[-1].strip() else []
            out += before + _indented(_dump([item]), indent) + (gap if number < len(items) else [])
    return out


def _spliced(definition: dict, original: str) -> str | None:
    data = _read(original)
    if not isinstance(data, LineDict) or not data:
        return None
    lines = original.splitlines(keepends=True)
    if not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    starts = sorted((data.line_of(key), key) for key in data)
    spans = {key: (start, starts[i + 1][0] - 1 if i + 1 < len(starts) else len(lines))
             for i, (start, key) in enumerate(starts)}
    out = lines[:starts[0][0] - 1]
    for key, value in definition.items():
        if key in data and plain(data[key]) == value:
            out += lines[spans[key][0] - 1:spans[key][1]]
            continue
        spliced = _list_lines(value, data[key], lines, *spans[key]) \
            if key in data and isinstance(value, list) and isinstance(data[key], LineList) else None
        out += spliced if spliced is not None else _dump({key: value}).splitlines(keepends=True)
    text = "".join(out)
    return text if data_of(text) == definition else None


def dump_definition(definition: dict, original: str | None = None) -> str:
    """The definition as YAML: ``original`` itself when it holds the same data; else ``original`` with
    only what changed written anew (the module's docstring); else in the export's style, under
    ``original``'s opening comment."""
    if original and data_of(original) == definition:
        return original
    if original and (spliced := _spliced(definition, original)) is not None:
        return spliced
    opening = _OPENING_COMMENT.match(original or "").group(0).rstrip("\n \t")
    body = _dump(definition)
    return f"{opening}\n{body}" if opening else body
