"""GIFT, Moodle's plain-text question format: import and export.

The contract is Moodle's own importer (question/format/gift/format.php): questions are blocks
separated by blank lines; lines starting with // are comments (our exporter writes ``[id:…]`` and
``[tag:…]`` there, as Moodle 4 does); the answer part runs from the first unescaped ``{`` to the first
unescaped ``}``; the escapes are ``\\~ \\= \\# \\{ \\} \\: \\\\`` and ``\\n``. Which type an answer
part is, and how its answers read, belongs to each question type (``gift_order``, ``gift_claims``,
``from_gift``, ``to_gift`` in lms/exams/question_types/); this module splits files into questions.
``####`` starts general feedback.

Parsing is pure: text in, questions and errors (with line numbers) out. Nothing is imported from a
file that has an error.
"""

import re
from dataclasses import dataclass, field

from flask_babel import gettext

from lms.exams.gift_text import escape, hide_escapes, unhide
from lms.exams.question_types import QUESTION_TYPES, gift_types

FORMATS = ("html", "markdown", "plain", "moodle")
COMMENT_META = re.compile(r"\[(id|tag):((?:\\.|[^\]\\])+)\]")  # \] inside stands for ]
CONTEXT_PREFIX = re.compile(r"^\$(course|system|module|coursecategory|cat)\$/?")


@dataclass
class GiftError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class GiftQuestion:
    line: int
    name: str
    text: str
    text_format: str
    qtype: str
    data: dict
    feedback: str = ""
    uid: str | None = None
    tags: list[str] = field(default_factory=list)
    category: str = ""


@dataclass
class GiftResult:
    questions: list[GiftQuestion] = field(default_factory=list)
    errors: list[GiftError] = field(default_factory=list)
    warnings: list[GiftError] = field(default_factory=list)


class _Refused(Exception):
    """A block that cannot be a question: ``position`` in the block's text locates the problem."""

    def __init__(self, message: str, position: int = 0, warning: bool = False):
        super().__init__(message)
        self.message, self.position, self.warning = message, position, warning


def _blocks(source: str):
    """Yield (first line number, lines, comment lines) for each blank-line-separated block."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    current, comments, start = [], [], None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            if current or comments:
                yield start, current, comments
            current, comments, start = [], [], None
            continue
        if start is None:
            start = number
        if line.strip().startswith("//"):
            comments.append(line.strip())
        else:
            current.append((number, line))
    if current or comments:
        yield start, current, comments


def _split_format(text: str, default: str = "moodle") -> tuple[str, str]:
    match = re.match(r"^\[(\w+)\]", text)
    if match and match.group(1) in FORMATS:
        return text[match.end():], match.group(1)
    return text, default


def _title(text: str) -> tuple[str, int]:
    """The ::title:: of a block and where its body starts."""
    if not text.startswith("::"):
        return "", 0
    end = text.find("::", 2)
    if end < 0:
        raise _Refused(gettext("the question title opened with '::' is never closed with '::'"))
    return unhide(text[2:end]).strip(), end + 2


def _answer_part(text: str, body_start: int) -> tuple[int, int]:
    """Where the answer part's braces are."""
    open_at, close_at = text.find("{", body_start), text.find("}", body_start)
    if open_at < 0 and close_at < 0:
        raise _Refused(gettext("a block without an answer part {…} is a description; it was skipped"), warning=True)
    if open_at < 0 or close_at < 0 or close_at < open_at:
        raise _Refused(gettext("expected an answer part between '{' and '}'; a brace is missing or in the wrong "
                               "order"), max(open_at, close_at))
    return open_at, close_at  # as in Moodle, braces after the answer part stay in the text


def _typed_data(answer_text: str, warnings: list[str], position: int) -> tuple[str, dict]:
    """The type Moodle's rules give an answer part, and its data."""
    question_type = next(t for t in gift_types() if t.gift_claims(answer_text))
    data, problem = question_type.from_gift(answer_text, warnings)
    if problem:
        raise _Refused(problem, position)
    errors = question_type.validate(data)
    if errors:
        raise _Refused(gettext("%(type)s question: %(problems)s", type=question_type.label,
                               problems="; ".join(errors)), position)
    return question_type.name, data


def _question(text: str, start: int, warnings: list[str]) -> GiftQuestion:
    """One block's question (escapes hidden in ``text``); meta data and category are added by the caller."""
    name, body_start = _title(text)
    open_at, close_at = _answer_part(text, body_start)
    answer_text = text[open_at + 1:close_at].strip()
    before, after = text[body_start:open_at].strip(), text[close_at + 1:].strip()
    # Moodle leaves a blank (missing-word format) unless the block ends with a closing brace.
    general, separator = "", answer_text.rfind("####")
    if separator >= 0:
        general, answer_text = unhide(answer_text[separator + 4:].strip()), answer_text[:separator].strip()
    blank = " _____ " if after and not text.rstrip().endswith("}") else " "
    question_text, text_format = _split_format((before + (blank + after if after else "")).strip())
    general, _fmt = _split_format(general, text_format)
    question_text = unhide(question_text).strip()
    if not question_text:
        raise _Refused(gettext("the question has no text"), open_at)
    qtype, data = _typed_data(answer_text, warnings, open_at)
    # A generated name is trimmed, so that exporting and importing it again changes nothing.
    name = name or " ".join(question_text.split())[:60].strip()
    return GiftQuestion(start, name, question_text, text_format, qtype, data, general)


def category_name(path: str) -> str:
    """A $CATEGORY path without Moodle's context prefix ($course$/, $system$/ …) and its 'top' level."""
    path = CONTEXT_PREFIX.sub("", path.strip()).strip()
    return re.sub(r"^top(/|$)", "", path).strip()


def _parse_block(lines: list[tuple[int, str]], result: GiftResult, meta: dict, category: str) -> str:
    """Add a block's question (or its error) to ``result``; returns the category in force after it."""
    start = lines[0][0]  # errors count from the first line of the question itself, not its comments
    text = hide_escapes("\n".join(line for _n, line in lines).strip())
    if text.startswith("$CATEGORY:"):
        return category_name(unhide(text[len("$CATEGORY:"):]))
    if re.match(r"^\$(类别|類別|CATEGORY)\s*[：:]", text):
        result.warnings.append(GiftError(start, gettext(
            "a category line must read exactly '$CATEGORY:' (ASCII colon); this line was taken as question text")))
    warnings: list[str] = []
    try:
        question = _question(text, start, warnings)
    except _Refused as refused:
        problems = result.warnings if refused.warning else result.errors
        problems.append(GiftError(start if refused.warning else start + text[:refused.position].count("\n"),
                                  refused.message))
        return category
    result.warnings += [GiftError(start, w) for w in warnings]
    question.tags = [t.strip() for t in meta.get("tag", []) if t.strip()]
    if category and category not in question.tags:
        question.tags.append(category)
    question.uid, question.category = (meta.get("id") or [None])[-1], category
    result.questions.append(question)
    return category


def parse_gift(source: str) -> GiftResult:
    """Parse a GIFT file into questions; every problem is reported with its line number."""
    result = GiftResult()
    category = ""
    pending_meta: dict[str, list[str]] = {}
    for _start, lines, comments in _blocks(source):
        meta = {k: list(v) for k, v in pending_meta.items()}
        for comment in comments:
            for key, value in COMMENT_META.findall(comment):
                meta.setdefault(key, []).append(value.replace("\\]", "]").strip())
        if not lines:
            pending_meta = meta  # a comment-only block describes the next question
            continue
        pending_meta = {}
        category = _parse_block(lines, result, meta, category)
    return result


# ---------------------------------------------------------------- export


def export_question(q: GiftQuestion) -> str:
    """One question as a GIFT block (with its id and tags in a comment line)."""
    question_type = QUESTION_TYPES[q.qtype]
    if question_type.gift_order is None:
        raise ValueError(f"GIFT cannot express {q.qtype} questions")
    meta = ([f"[id:{q.uid}]"] if q.uid else []) + ["[tag:" + tag.replace("]", "\\]") + "]" for tag in q.tags]
    header = f"// {' '.join(meta)}\n" if meta else ""
    general = f"####{escape(q.feedback)}" if q.feedback else ""
    text_format = f"[{q.text_format}]" if q.text_format and q.text_format != "moodle" else ""
    return (f"{header}::{escape(q.name)}::{text_format}{escape(q.text)}"
            f"{{{question_type.to_gift(q.data)}{general}}}\n")


def can_export(qtype: str) -> bool:
    return QUESTION_TYPES[qtype].gift_order is not None


def export_gift(questions: list[GiftQuestion], category: str = "") -> str:
    """A GIFT file of the questions GIFT can express (ordering questions cannot be)."""
    blocks = [f"$CATEGORY: {category}\n"] if category else []
    blocks += [export_question(q) for q in questions if can_export(q.qtype)]
    return "\n".join(blocks)
