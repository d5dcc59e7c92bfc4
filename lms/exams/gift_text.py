"""The small print of GIFT text (Moodle's question format), shared by the parser and the question types:
escapes, weights, feedback and splitting an answer part. Pure functions on strings."""

import html
import re

# Private-use placeholders for escaped characters while a block is being taken apart.
_ESCAPES = {"\\:": "\ue001", "\\#": "\ue002", "\\=": "\ue003", "\\{": "\ue004", "\\}": "\ue005", "\\~": "\ue006",
            "\\n": "\ue007"}
_PLACEHOLDER_TO_CHAR = {"\ue001": ":", "\ue002": "#", "\ue003": "=", "\ue004": "{", "\ue005": "}", "\ue006": "~",
                        "\ue007": "\n", "\ue000": "\\"}
WEIGHT = re.compile(r"^%(-?\d{1,3}(?:\.\d+)?)%")
FORMAT_MARKER = re.compile(r"^\[(html|markdown|plain|moodle)\]")


def hide_escapes(text: str) -> str:
    """Replace escaped characters with placeholders, so that markers can be found by plain search."""
    text = text.replace("\\\\", "\ue000")
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return text


def unhide(text: str) -> str:
    """Turn placeholders back into the characters they stand for."""
    for placeholder, char in _PLACEHOLDER_TO_CHAR.items():
        text = text.replace(placeholder, char)
    return text


def take_weight(answer: str, default: float) -> tuple[float, str]:
    """A leading %n% weight as a fraction, and the rest of the answer."""
    match = WEIGHT.match(answer)
    if not match:
        return default, answer
    return float(match.group(1)) / 100, answer[match.end():]


def as_plain(text: str) -> str:
    """A piece of an answer part (placeholders in, characters out) as the plain text answers are kept in:
    a leading format marker ([html], [plain], [markdown], [moodle]) says how to read it and is dropped;
    HTML is read as the text it shows."""
    text = text.strip()
    marker = FORMAT_MARKER.match(text)
    if marker:
        text = text[marker.end():].strip()
    text = unhide(text)
    if marker and marker.group(1) == "html":
        text = html.unescape(re.sub(r"<[^>]*>", "", text)).strip()
    return text


def take_feedback(answer: str) -> tuple[str, str]:
    """An answer's text and the feedback after its first '#', each read by its format marker."""
    text, _, feedback = answer.partition("#")
    return as_plain(text), as_plain(feedback)


def split_answers(answer_text: str, markers: str) -> list[str]:
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


def escape(text: str) -> str:
    """Escape GIFT's special characters (and new lines) in exported text."""
    text = str(text).replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def percent(weight: float) -> str:
    """A weight as GIFT writes it, keeping its precision: 1/3 is %33.33333%."""
    value = f"{round(weight * 100, 5):.5f}".rstrip("0").rstrip(".")
    return f"%{'0' if value in ('', '-0') else value}%"


def with_feedback(text: str, feedback: str) -> str:
    return escape(text) + (f"#{escape(feedback)}" if feedback else "")
