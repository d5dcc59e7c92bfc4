"""Uploaded text files (CSV, GIFT, pasted text) from bytes to text, one reader for every upload.

Accepted: UTF-8 (with or without a byte-order mark, as Excel's "CSV UTF-8" saves it), UTF-16 with a
byte-order mark (Excel's "Unicode text"), GB18030 (simplified Chinese Windows) and Big5 (traditional
Chinese Windows). GB18030 and Big5 bytes often decode without error in the other encoding too, into
rare characters: the reader decodes both and keeps the one whose Chinese characters are common ones,
and refuses a file when neither, or both, read plausibly. A decoded text with characters no person writes
(private use, replacement characters, C1 and other control characters, unassigned code points) is
refused with the line they are on: nothing is stored from a guess.
"""

import codecs
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext

ALLOWED_CONTROLS = frozenset("\t\n\r")
# Share of a decoded text's Chinese characters that must be common ones for GB18030 or Big5 to be believed.
PLAUSIBLE = 0.85


class UploadTextError(ValueError):
    """Bytes that are not text in an accepted encoding; the message says which encodings are."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class UploadText:
    text: str
    encoding: str  # utf-8 | utf-16 | gb18030 | big5


def _accepted() -> str:
    return gettext("Save the file as UTF-8 (in Excel: \u201cCSV UTF-8\u201d), UTF-16 with a byte-order mark "
                   "(\u201cUnicode text\u201d), GB18030 or Big5.")


def _unlikely(ch: str) -> bool:
    if ch in ALLOWED_CONTROLS:
        return False
    return ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn")


# Characters str.isprintable() rejects although people do type them: tabs and line ends, spaces (Zs) and
# the usual format characters (Cf). Text printable once they are set aside is checked in C; other text,
# character by character.
_PRINTABLE_ENOUGH = dict.fromkeys(map(ord, "\t\n\r\u00a0\u1680\u202f\u205f\u3000\u00ad\u061c\u180e\ufeff"))
_PRINTABLE_ENOUGH |= dict.fromkeys([*range(0x2000, 0x200B), *range(0x200B, 0x2010), *range(0x2028, 0x202F),
                                    *range(0x2060, 0x2065), *range(0x2066, 0x2070)])


def first_unlikely(text: str) -> int | None:
    """The line (1-based) of the first character no person writes, or None."""
    if "\ufffd" not in text and text.translate(_PRINTABLE_ENOUGH).isprintable():
        return None
    for index, ch in enumerate(text):
        if _unlikely(ch):
            return text.count("\n", 0, index) + 1
    return None


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003134f"


def _common(ch: str) -> bool:
    """A character in GB2312 (the 6,763 simplified characters in everyday use) or in Big5's first
    level (the 5,401 most used traditional ones)."""
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        pass
    try:
        return 0xA4 <= ch.encode("big5")[0] <= 0xC6
    except UnicodeEncodeError:
        return False


def plausibility(text: str) -> float:
    """The share of non-ASCII letters that are common Chinese characters or common punctuation; 0 when
    a character no person writes is present."""
    if first_unlikely(text) is not None:
        return 0.0
    scored = [ch for ch in text if ord(ch) > 0x7F and not ch.isspace()]
    if not scored:
        return 1.0
    good = sum(1 for ch in scored if (_common(ch) if _is_han(ch) else unicodedata.category(ch)[0] in "PZN"
                                      or "\uff00" <= ch <= "\uffef"))
    return good / len(scored)


def _bom(data: bytes) -> UploadText | None:
    if data.startswith(codecs.BOM_UTF8):
        return UploadText(data[3:].decode("utf-8"), "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(codecs.BOM_UTF32_LE):
        return UploadText(data.decode("utf-16"), "utf-16")
    return None


def _legacy(data: bytes) -> UploadText | None:
    """GB18030 or Big5 when exactly one of them reads as common characters; None when neither does, or
    when both do (a short file can be either: better refused than stored as a guess)."""
    plausible = []
    for encoding, codec in (("gb18030", "gb18030"), ("big5", "cp950")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if plausibility(text) >= PLAUSIBLE:
            plausible.append(UploadText(text, encoding))
    return plausible[0] if len(plausible) == 1 or len({p.text for p in plausible}) == 1 else None


def _decode(data: bytes) -> UploadText | None:
    try:
        decoded = _bom(data)
    except UnicodeDecodeError:
        return None
    if decoded is not None:
        return decoded
    try:
        return UploadText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return _legacy(data)


def decode_upload(data: bytes) -> UploadText:
    """The text of an uploaded file (see the module's docstring), or UploadTextError saying why not."""
    decoded = _decode(data)
    if decoded is None:
        raise UploadTextError(gettext("The file's encoding cannot be told for sure: it is not UTF-8, and read as "
                                      "GB18030 or as Big5 its characters make no sense, or make sense both ways. "
                                      "%(accepted)s", accepted=_accepted()))
    line = first_unlikely(decoded.text)
    if line is not None:
        raise UploadTextError(gettext("Line %(n)d holds characters no one types (control or private-use "
                                      "characters): the file is not text in an accepted encoding. %(accepted)s",
                                      n=line, accepted=_accepted()), line)
    return UploadText(unicodedata.normalize("NFC", decoded.text), decoded.encoding)
