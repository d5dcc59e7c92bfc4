"""Find customers' personal data in text a person wants to share (the standards' 3.3 privacy rules): phone
numbers (Taiwan mobiles, landlines with their area code, +886), national ID numbers (a letter and nine
digits whose check digit is right), card numbers (13–19 digits passing the Luhn check) and e-mail addresses.

Pure: text in, findings out, each with the kind and the number masked so that a refusal can say what it
found without repeating it. Full-width digits and letters (０９１２) are read like their ASCII forms.
"""

import re
from dataclasses import dataclass

PHONE, NATIONAL_ID, CARD, EMAIL = "phone", "national_id", "card", "email"
KINDS = (PHONE, NATIONAL_ID, CARD, EMAIL)

# One character for one character, so that offsets into the folded text are offsets into the original.
_FOLD = {**{0xFF10 + i: ord("0") + i for i in range(10)}, **{0xFF21 + i: ord("A") + i for i in range(26)},
         **{0xFF41 + i: ord("a") + i for i in range(26)}, 0xFF0D: "-", 0x2010: "-", 0x2011: "-", 0x2012: "-",
         0x2013: "-", 0x2212: "-", 0xFF0B: "+", 0xFF08: "(", 0xFF09: ")", 0xFF20: "@", 0xFF0E: ".", 0x3000: " ",
         0x00A0: " "}

_SEP = r"[ -]?"
_MOBILE = re.compile(rf"(?<![\d+])(?:(?:\+|00)886{_SEP}\(?0?\)?{_SEP}|0)9\d{{2}}{_SEP}\d{{3}}{_SEP}\d{{3}}(?!\d)")
# A landline: the area code (02, 037, 049, 0836 …) in brackets or followed by a separator, or written with
# +886; then 5 to 8 digits, perhaps split once. Ten unbroken digits after 0[2-8] are read as a number too.
_LANDLINE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)886[ -]?\(?0?\)?[ -]?[2-8]\d{0,2}\)?[ -]?|\(0[2-8]\d{0,2}\)[ ]?|0[2-8]\d{0,2}[ -])"
    r"\d{1,4}[ -]?\d{4}(?!\d)"
    r"|(?<![\d+])0[2-8]\d{8}(?!\d)")
_NATIONAL_ID = re.compile(r"(?<![A-Za-z\d])[A-Za-z][1289]\d{8}(?![A-Za-z\d])")
_CARD = re.compile(
    r"(?<![\d-])(?:\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5}|\d{13,19})(?![\d])")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                    r"\.[A-Za-z]{2,24}(?![A-Za-z])")

# The two-digit value of an ID's first letter (the household registration office's code).
_ID_LETTERS = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    start: int
    end: int
    masked: str  # the text found, with all but its last few characters hidden


def fold(text: str) -> str:
    """Full-width digits, letters and signs as ASCII, the same length as ``text``."""
    return text.translate(_FOLD)


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check that card numbers carry."""
    total = 0
    for position, ch in enumerate(reversed(digits)):
        value = int(ch) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def national_id_valid(value: str) -> bool:
    """Whether a letter and nine digits make a national ID (or resident certificate) number whose check digit
    is right: the letter's two digits weighted 1 and 9, then the digits 8, 7 … 1, 1; the sum divides by 10."""
    value = value.upper()
    if len(value) != 10 or value[0] not in _ID_LETTERS or not value[1:].isdigit() or value[1] not in "1289":
        return False
    tens, units = divmod(_ID_LETTERS[value[0]], 10)
    weights = (8, 7, 6, 5, 4, 3, 2, 1, 1)
    return (tens + units * 9 + sum(int(d) * w for d, w in zip(value[1:], weights, strict=True))) % 10 == 0


def mask(value: str, keep: int) -> str:
    """Hide every digit and letter but the last ``keep`` of them; separators stay."""
    shown, out = 0, []
    for ch in reversed(value):
        if ch.isalnum():
            out.append(ch if shown < keep else "*")
            shown += 1
        else:
            out.append(ch)
    return "".join(reversed(out))


def _mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return f"{local[0]}***@{domain}"


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def find_personal_data(text: str) -> list[Finding]:
    """Every phone number, national ID number, card number and e-mail address in ``text``, in order."""
    folded, findings, taken = fold(text or ""), [], []

    def add(kind: str, match: re.Match, masked: str) -> None:
        span = match.span()
        if not _overlaps(span, taken):
            taken.append(span)
            findings.append(Finding(kind, span[0], span[1], masked))

    for match in _EMAIL.finditer(folded):
        add(EMAIL, match, _mask_email(text[match.start():match.end()]))
    for match in _CARD.finditer(folded):
        digits = re.sub(r"\D", "", match.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            add(CARD, match, mask(text[match.start():match.end()], 4))
    for match in _NATIONAL_ID.finditer(folded):
        if national_id_valid(match.group()):
            add(NATIONAL_ID, match, mask(text[match.start():match.end()], 2))
    for pattern in (_MOBILE, _LANDLINE):
        for match in pattern.finditer(folded):
            add(PHONE, match, mask(text[match.start():match.end()], 3))
    return sorted(findings, key=lambda f: f.start)
