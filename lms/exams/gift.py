"""GIFT, Moodle's plain-text question format: import and export.

The contract is Moodle's own importer (question/format/gift/format.php): questions are blocks
separated by blank lines; lines starting with // are comments (our exporter writes ``[id:…]`` and
``[tag:…]`` there, as Moodle 4 does); the answer part runs from the first unescaped ``{`` to the first
unescaped ``}``; the escapes are ``\\~ \\= \\# \\{ \\} \\: \\\\`` and ``\\n``; the type is decided in
Moodle's order (no braces → description, ``{}`` → essay, leading ``#`` → numerical, any ``~`` →
multiple choice (multiple answer if no ``=``), ``=`` with ``->`` → matching, exactly T/TRUE/F/FALSE →
true/false, else short answer). Weights are ``%n%``; ``#`` starts feedback; ``####`` general feedback.

Parsing is pure: text in, questions and errors (with line numbers) out. Nothing is imported from a
file that has an error.
"""

import re
from dataclasses import dataclass, field

from flask_babel import gettext

from lms.exams.question_types import QUESTION_TYPES, TYPE_LABELS, parse_number

# Private-use placeholders for escaped characters while the block is being taken apart.
_ESCAPES = {"\\:": "\ue001", "\\#": "\ue002", "\\=": "\ue003", "\\{": "\ue004", "\\}": "\ue005", "\\~": "\ue006",
            "\\n": "\ue007"}
_PLACEHOLDER_TO_CHAR = {"\ue001": ":", "\ue002": "#", "\ue003": "=", "\ue004": "{", "\ue005": "}", "\ue006": "~",
                        "\ue007": "\n", "\ue000": "\\"}
WEIGHT = re.compile(r"^%(-?\d{1,3}(?:\.\d+)?)%")
FORMATS = ("html", "markdown", "plain", "moodle")
COMMENT_META = re.compile(r"\[(id|tag):([^\]]+)\]")
# Keywords from translated help pages that Moodle does not understand.
TRANSLATED_TF = {"对", "错", "對", "錯", "正确", "错误", "正確", "錯誤", "真", "假", "是", "否"}


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


def _pre(text: str) -> str:
    text = text.replace("\\\\", "\ue000")
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return text


def _post(text: str) -> str:
    for placeholder, char in _PLACEHOLDER_TO_CHAR.items():
        text = text.replace(placeholder, char)
    return text


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


def _weight(answer: str, default: float) -> tuple[float, str]:
    match = WEIGHT.match(answer)
    if not match:
        return default, answer
    return float(match.group(1)) / 100, answer[match.end():]


def _feedback(answer: str) -> tuple[str, str]:
    text, _, feedback = answer.partition("#")
    return _post(text.strip()), _post(feedback.strip())


def _split_answers(answer_text: str, markers: str) -> list[str]:
    """Split at each unescaped marker character, keeping the marker with its answer."""
    parts, current = [], ""
    for ch in answer_text:
        if ch in markers and current.strip():
            parts.append(current.strip())
            current = ""
        current += ch
    if current.strip():
        parts.append(current.strip())
    return parts


def _parse_block(start: int, lines: list[tuple[int, str]], result: GiftResult, meta: dict,
                 category: str) -> str:
    start = lines[0][0]  # errors count from the first line of the question itself, not its comments
    raw = "\n".join(line for _n, line in lines).strip()
    text = _pre(raw)

    def line_at(position: int) -> int:
        return start + text[:position].count("\n")

    def error(message: str, position: int = 0) -> None:
        result.errors.append(GiftError(line_at(position), message))

    if text.startswith("$CATEGORY:"):
        return _post(text[len("$CATEGORY:"):]).strip()
    if re.match(r"^\$(类别|類別|CATEGORY)\s*[：:]", text):
        result.warnings.append(GiftError(start, gettext(
            "a category line must read exactly '$CATEGORY:' (ASCII colon); this line was taken as question text")))
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            error(gettext("the question title opened with '::' is never closed with '::'"))
            return category
        name = _post(text[2:end]).strip()
        body_start = end + 2
    else:
        body_start = 0
    open_at, close_at = text.find("{", body_start), text.find("}", body_start)
    if open_at < 0 and close_at < 0:
        result.warnings.append(GiftError(start, gettext(
            "a block without an answer part {…} is a description; it was skipped")))
        return category
    if open_at < 0 or close_at < 0 or close_at < open_at:
        error(gettext("expected an answer part between '{' and '}'; a brace is missing or in the wrong order"),
              max(open_at, close_at))
        return category
    if text.find("{", close_at + 1) >= 0:
        error(gettext("a question may have only one answer part {…}; escape other braces as \\{ and \\}"),
              text.find("{", close_at + 1))
        return category
    answer_text = text[open_at + 1:close_at].strip()
    before, after = text[body_start:open_at].strip(), text[close_at + 1:].strip()
    question_text = before + (" _____ " + after if after else "")
    general = ""
    separator = answer_text.rfind("####")
    if separator >= 0:
        general = _post(answer_text[separator + 4:].strip())
        answer_text = answer_text[:separator].strip()
    question_text, text_format = _split_format(question_text.strip())
    general, _fmt = _split_format(general, text_format)
    question_text = _post(question_text).strip()
    if not question_text:
        error(gettext("the question has no text"), open_at)
        return category

    qtype, data, problem = _answers(answer_text, lambda pos: line_at(open_at + 1 + pos), result, start)
    if problem:
        error(problem, open_at)
        return category
    errors = QUESTION_TYPES[qtype].validate(data)
    if errors:
        error(gettext("%(type)s question: %(problems)s", type=TYPE_LABELS[qtype], problems="; ".join(errors)), open_at)
        return category
    tags = [t.strip() for t in meta.get("tag", []) if t.strip()]
    if category and category not in tags:
        tags.append(category)
    result.questions.append(GiftQuestion(start, name or question_text[:60], question_text, text_format, qtype, data,
                                         general, (meta.get("id") or [None])[-1], tags, category))
    return category


def _answers(answer_text: str, line_of, result: GiftResult, start: int) -> tuple[str, dict, str | None]:
    """Decide the type as Moodle does and parse the answers into our data shape."""
    if answer_text == "":
        return "essay", {"rubric": "", "min_words": 0}, None
    if answer_text.startswith("#"):
        return _numerical(answer_text[1:])
    if "~" in answer_text:
        return _choice(answer_text)
    if "=" in answer_text and "->" in answer_text:
        return _matching(answer_text)
    check = answer_text.split("#", 1)[0].strip()
    if check in ("T", "TRUE", "F", "FALSE"):
        parts = [_post(p.strip()) for p in answer_text.split("#", 2)]
        wrong = parts[1] if len(parts) > 1 else ""
        right = parts[2] if len(parts) > 2 else ""
        answer = check in ("T", "TRUE")
        data = {"answer": answer, "feedback_true": right if answer else wrong,
                "feedback_false": wrong if answer else right}
        return "truefalse", data, None
    if check in TRANSLATED_TF or check.lower() in ("true", "false", "t", "f"):
        result.warnings.append(GiftError(start, gettext(
            "'{%(answer)s}' is read as a short answer; Moodle's true/false is written {T} or {F} in capitals",
            answer=check)))
    return _short(answer_text)


def _choice(answer_text: str) -> tuple[str, dict, str | None]:
    single = "=" in answer_text
    options = []
    for index, part in enumerate(_split_answers(answer_text, "~="), start=0):
        # As Moodle reads it, text before the first marker is a wrong choice.
        marker, body = (part[0], part[1:].strip()) if part[0] in "~=" else ("~", part)
        weight, body = _weight(body, 1.0 if marker == "=" else 0.0)
        text, feedback = _feedback(body)
        options.append({"id": chr(ord("a") + index) if index < 26 else f"o{index}", "text": text,
                        "weight": weight, "feedback": feedback})
    if len(options) < 2:
        return "single", {}, gettext("a multiple-choice question needs at least two choices")
    return ("single" if single else "multiple"), {"options": options}, None


def _matching(answer_text: str) -> tuple[str, dict, str | None]:
    pairs = []
    for part in _split_answers(answer_text, "="):
        part = part[1:] if part.startswith("=") else part
        if "->" not in part:
            return "matching", {}, gettext("every matching pair needs '->' between the item and its match")
        left, right = part.split("->", 1)
        pairs.append({"left": _post(left.strip()), "right": _post(right.strip())})
    return "matching", {"pairs": pairs}, None


def _short(answer_text: str) -> tuple[str, dict, str | None]:
    answers = []
    for part in _split_answers(answer_text, "="):
        weight, body = _weight((part[1:] if part.startswith("=") else part).strip(), 1.0)
        text, feedback = _feedback(body)
        answers.append({"text": text, "weight": weight, "feedback": feedback})
    if not answers:
        return "short", {}, gettext("a short-answer question needs at least one answer")
    return "short", {"answers": answers}, None


def _numerical(answer_text: str) -> tuple[str, dict, str | None]:
    wrong_feedback = ""
    if "~" in answer_text:
        answer_text, _, wrong = answer_text.partition("~")
        wrong_feedback = _feedback(wrong)[1] or _post(wrong.strip())
    body = answer_text.strip()
    parts = _split_answers(body, "=") if body.startswith("=") else [body]
    answers = []
    for part in parts:
        part = part[1:].strip() if part.startswith("=") else part
        weight, part = _weight(part, 1.0)
        value_text, feedback = part.partition("#")[0].strip(), _post(part.partition("#")[2].strip())
        value_text = _post(value_text)
        if ".." in value_text:
            low, high = (parse_number(v) for v in value_text.split("..", 1))
            if low is None or high is None or high < low:
                return "numerical", {}, gettext("'%(value)s' is not a range like 1..5", value=value_text)
            value, tolerance = (low + high) / 2, (high - low) / 2
        elif ":" in value_text:
            value, tolerance = (parse_number(v) for v in value_text.split(":", 1))
            if value is None or tolerance is None or tolerance < 0:
                return "numerical", {}, gettext("'%(value)s' is not a number with a margin like 3:0.5", value=value_text)
        else:
            value, tolerance = parse_number(value_text), 0.0
            if value is None:
                return "numerical", {}, gettext("'%(value)s' is not a number", value=value_text)
        answers.append({"value": value, "tolerance": tolerance, "weight": weight, "feedback": feedback})
    data = {"answers": answers}
    if wrong_feedback:
        data["wrong_feedback"] = wrong_feedback
    return "numerical", data, None


def parse_gift(source: str) -> GiftResult:
    """Parse a GIFT file into questions; every problem is reported with its line number."""
    result = GiftResult()
    category = ""
    pending_meta: dict[str, list[str]] = {}
    for start, lines, comments in _blocks(source):
        meta = {k: list(v) for k, v in pending_meta.items()}
        for comment in comments:
            for key, value in COMMENT_META.findall(comment):
                meta.setdefault(key, []).append(value.strip())
        if not lines:
            pending_meta = meta  # a comment-only block describes the next question
            continue
        pending_meta = {}
        category = _parse_block(start, lines, result, meta, category)
    return result


# ---------------------------------------------------------------- export


def _escape(text: str) -> str:
    text = str(text).replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def _pct(weight: float) -> str:
    value = round(weight * 100, 5)
    return f"%{value:g}%"


def _with_feedback(text: str, feedback: str) -> str:
    return _escape(text) + (f"#{_escape(feedback)}" if feedback else "")


def export_question(q: GiftQuestion) -> str:
    """One question as a GIFT block (with its id and tags in a comment line)."""
    meta = []
    if q.uid:
        meta.append(f"[id:{q.uid}]")
    meta += [f"[tag:{tag}]" for tag in q.tags]
    header = f"// {' '.join(meta)}\n" if meta else ""
    data = q.data
    if q.qtype in ("single", "multiple"):
        parts = []
        for option in data["options"]:
            if q.qtype == "single" and option["weight"] >= 1:
                marker = "="
            else:
                marker = "~" + (_pct(option["weight"]) if option["weight"] else "")
            parts.append(marker + _with_feedback(option["text"], option.get("feedback", "")))
        answers = " ".join(parts)
        if q.qtype == "multiple" and not any(option["weight"] for option in data["options"]):
            answers += ""
    elif q.qtype == "truefalse":
        right = data.get("feedback_true" if data["answer"] else "feedback_false", "")
        wrong = data.get("feedback_false" if data["answer"] else "feedback_true", "")
        answers = ("T" if data["answer"] else "F") + (f"#{_escape(wrong)}#{_escape(right)}" if wrong or right else "")
    elif q.qtype == "short":
        answers = " ".join("=" + (_pct(a["weight"]) if a["weight"] != 1 else "") + _with_feedback(a["text"], a.get("feedback", ""))
                           for a in data["answers"])
    elif q.qtype == "numerical":
        answers = "#" + " ".join(
            "=" + (_pct(a["weight"]) if a["weight"] != 1 else "") + f"{a['value']!r}:{a.get('tolerance', 0)!r}"
            + (f"#{_escape(a['feedback'])}" if a.get("feedback") else "") for a in data["answers"])
        if data.get("wrong_feedback"):
            answers += f" ~#{_escape(data['wrong_feedback'])}"
    elif q.qtype == "matching":
        answers = " ".join(f"={_escape(p['left'])} -> {_escape(p['right'])}" for p in data["pairs"])
    elif q.qtype == "essay":
        answers = ""
    else:
        raise ValueError(f"GIFT cannot express {q.qtype} questions")
    general = f"####{_escape(q.feedback)}" if q.feedback else ""
    text_format = f"[{q.text_format}]" if q.text_format and q.text_format != "moodle" else ""
    return f"{header}::{_escape(q.name)}::{text_format}{_escape(q.text)}{{{answers}{general}}}\n"


def export_gift(questions: list[GiftQuestion], category: str = "") -> str:
    """A GIFT file of the questions GIFT can express (ordering questions cannot be)."""
    blocks = [f"$CATEGORY: {category}\n"] if category else []
    blocks += [export_question(q) for q in questions if q.qtype != "ordering"]
    return "\n".join(blocks)
