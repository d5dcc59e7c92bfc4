"""Read the standards reference (courses/standards/*.md) into plain data, validating as it goes."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext

from lms.content.files import ContentError, read_text, relative
from lms.content.markdown import markdown_problem
from lms.standards.sources import SOURCE_KEY, SOURCE_LINE, ItemSource, parse_source

HEADING = re.compile(r"^(#{1,3}) (\d+(?:\.\d+){0,2}) (.+?)\s*$")
ITEM = re.compile(r"^- `(\d+(?:\.\d+)*-[a-z])` \*\*(.+?)\*\*[：:](.*)$")
RETIRED_MARK = "（已停用）"


@dataclass(frozen=True)
class ItemSpec:
    code: str
    title: str
    description: str
    line: int
    source: ItemSource = ItemSource.DOCUMENT  # restates the document unless a 來源 line says otherwise
    source_note: str = ""  # what an adaptation changed

    @property
    def is_retired(self) -> bool:
        return self.description.startswith(RETIRED_MARK)


@dataclass
class SectionSpec:
    number: str
    title: str
    level: int
    line: int
    body_lines: list[str] = field(default_factory=list)
    items: list[ItemSpec] = field(default_factory=list)

    @property
    def chapter(self) -> int:
        return int(self.number.split(".")[0])

    @property
    def body(self) -> str:
        return "\n".join(self.body_lines).strip() + "\n"


class _ChapterReader:
    """Reads a chapter file line by line: headings open sections, item lines open items (indented lines
    continue them), other lines are the section's body. Lines inside a code fence are body text."""

    def __init__(self, path: str):
        self.path = path
        self.sections: list[SectionSpec] = []
        self.errors: list[ContentError] = []
        self.in_fence = False
        self.item: list | None = None  # the open item: [code, title, description lines, line, source line]

    def read(self, text: str) -> tuple[list[SectionSpec], list[ContentError]]:
        for number, raw in enumerate(text.split("\n"), start=1):
            self._line(number, raw)
        if self.sections:
            self._close_item()
        return self.sections, self.errors

    def _error(self, number: int, field: str, message: str) -> None:
        self.errors.append(ContentError(self.path, number, field, message))

    def _line(self, number: int, raw: str) -> None:
        line = raw.rstrip()
        if line.startswith("```"):
            self.in_fence = not self.in_fence
        markup = not self.in_fence
        heading = markup and HEADING.match(line)
        if heading:
            self._heading(number, heading)
        elif not self.sections:
            if line.strip():
                self._error(number, "heading", gettext("text before the chapter heading '# N title'"))
        elif markup and line.startswith("- `"):
            self._item(number, line)
        elif not self._continues_item(number, line):
            self._body(number, raw, line)

    def _heading(self, number: int, heading: re.Match) -> None:
        self._close_item()
        level, section_no, title = len(heading.group(1)), heading.group(2), heading.group(3)
        if section_no.count(".") + 1 != level:
            self._error(number, "heading", gettext("'%(marks)s' does not fit section %(section)s",
                                                   marks="#" * level, section=section_no))
        self.sections.append(SectionSpec(section_no, title, level, number))

    def _item(self, number: int, line: str) -> None:
        item = ITEM.match(line)
        if item is None:
            self._error(number, "item", gettext("an item line must read: - `4.1.1-a` **title**：description"))
            return
        self._close_item()
        self.item = [item.group(1), item.group(2), [item.group(3)], number, None]

    def _continues_item(self, number: int, line: str) -> bool:
        """Whether the line belongs to the open item (an indented line, or a blank one); if not, close it.
        An indented 來源 line declares the item's source instead of continuing its description."""
        if self.item is None:
            return False
        if line.startswith("  ") and line.strip():
            if source := SOURCE_LINE.match(line):
                self._source(number, source.group(1))
            else:
                self.item[2].append(line)
            return True
        if not line.strip():
            return True
        self._close_item()
        return False

    def _source(self, number: int, value: str) -> None:
        if self.item[4] is not None:
            self._error(number, "source", gettext("a second %(key)s line for item %(code)s; an item has one source",
                                                  key=SOURCE_KEY, code=self.item[0]))
            return
        try:
            self.item[4] = parse_source(value)
        except ValueError as problem:
            self.item[4] = (ItemSource.DOCUMENT, "")
            self._error(number, "source", str(problem))

    def _body(self, number: int, raw: str, line: str) -> None:
        if self.sections[-1].items and line.strip().startswith(SOURCE_KEY):
            self._error(number, "source", gettext("indent the %(key)s line by two spaces under its item",
                                                  key=SOURCE_KEY))
        elif self.sections[-1].items and line.strip():
            self._error(number, "item", gettext("text after the item list; items end a section"))
        else:
            self.sections[-1].body_lines.append(raw)

    def _close_item(self) -> None:
        if self.item is not None:
            code, title, lines, line, source = self.item
            source, note = source or (ItemSource.DOCUMENT, "")
            self.sections[-1].items.append(
                ItemSpec(code, title.strip(), " ".join(s.strip() for s in lines).strip(), line, source, note))
            self.item = None


def parse_chapter(text: str, path: str) -> tuple[list[SectionSpec], list[ContentError]]:
    """Parse one chapter file into its sections (in document order) with their items, and errors."""
    return _ChapterReader(path).read(text)


def _item_errors(section: SectionSpec, path: str) -> list[ContentError]:
    errors = []
    for index, item in enumerate(section.items):
        expected = f"{section.number}-{chr(ord('a') + index)}"
        if item.code != expected:
            errors.append(ContentError(path, item.line, "item", gettext(
                "expected id %(expected)s here, found %(found)s", expected=expected, found=item.code)))
        if not item.title or not item.description:
            errors.append(ContentError(path, item.line, "item", gettext("an item needs a title and a description")))
        if len(item.title) > 200:
            errors.append(ContentError(path, item.line, "item", gettext("item title longer than 200 characters")))
    return errors


def _section_errors(section: SectionSpec, chapter: str, seen: set[str], path: str) -> list[ContentError]:
    errors = []
    if section.number.split(".")[0] != chapter:
        errors.append(ContentError(path, section.line, "heading", gettext(
            "section %(section)s is not in chapter %(chapter)s", section=section.number, chapter=chapter)))
    if section.number in seen:
        errors.append(ContentError(path, section.line, "heading", gettext(
            "section %(section)s appears twice", section=section.number)))
    seen.add(section.number)
    if len(section.title) > 200:
        errors.append(ContentError(path, section.line, "heading", gettext("title longer than 200 characters")))
    if problem := markdown_problem(section.body):
        errors.append(ContentError(path, section.line, "body", problem))
    return errors + _item_errors(section, path)


def validate_sections(sections: list[SectionSpec], path: str) -> list[ContentError]:
    """What is wrong with a parsed chapter: its headings' numbering and its items' ids."""
    if not sections or sections[0].level != 1:
        return [ContentError(path, 1, "heading", gettext("the file must start with the chapter heading '# N title'"))]
    errors = []
    chapter = sections[0].number
    if sum(1 for s in sections if s.level == 1) != 1:
        errors.append(ContentError(path, sections[1].line if len(sections) > 1 else 1, "heading",
                                   gettext("exactly one chapter heading per file")))
    seen: set[str] = set()
    for section in sections:
        errors += _section_errors(section, chapter, seen, path)
    return errors


def load_standards(root: Path) -> tuple[list[tuple[str, list[SectionSpec]]], list[ContentError], set[str]]:
    """Load every chapter file under ``root`` (the courses/standards folder): the valid chapters, the
    errors, and every item id seen — also in files with errors, so one typo does not turn every
    citation of that chapter into an error too."""
    chapters, errors = [], []
    seen_codes: set[str] = set()
    files = sorted(root.glob("*.md"))
    for path in files:
        if path.name.lower() == "readme.md":
            continue
        rel = relative(path, root.parent)
        try:
            sections, problems = parse_chapter(read_text(path, root.parent), rel)
        except ContentError as exc:
            errors.append(exc)
            continue
        problems += validate_sections(sections, rel)
        seen_codes.update(item.code for section in sections for item in section.items)
        errors.extend(problems)
        if not problems:
            chapters.append((rel, sections))
    numbers: dict[str, str] = {}
    for rel, sections in chapters:
        for section in sections:
            if section.number in numbers:
                errors.append(ContentError(rel, section.line, "heading",
                                           gettext("section %(section)s is also in %(other)s", section=section.number, other=numbers[section.number])))
            numbers[section.number] = rel
    return chapters, errors, seen_codes
