"""Fitting a name and a programme title on the certificate: the largest font size (from a ladder) at which
the text wraps to at most so many lines within its box, its block no taller than allowed. A pure estimate
from the characters' widths (CJK and emoji a full em, Latin letters less), kept conservative, so any allowed
name (1..100 characters) and title (up to 200) stays in the frame, above the issuer and the QR code;
tests/certification/test_certificate_layout.py renders the extremes and measures the boxes."""

import math
import unicodedata
from dataclasses import dataclass

PT_MM = 25.4 / 72
LINE_HEIGHT = 1.25


@dataclass(frozen=True)
class Fit:
    size_pt: float
    lines: int

    @property
    def style(self) -> str:
        return f"font-size: {self.size_pt:g}pt; line-height: {LINE_HEIGHT:g};"


def char_em(ch: str) -> float:
    """An estimate, on the safe side, of a character's advance in em."""
    if unicodedata.east_asian_width(ch) in ("W", "F") or ord(ch) >= 0x1F000:
        return 1.02
    if unicodedata.category(ch) in ("Mn", "Me", "Cf") or 0xFE00 <= ord(ch) <= 0xFE0F:
        return 0.0
    if ch == " ":
        return 0.32
    if ch.isupper() or ch in "mwMW@%&":
        return 0.9
    return 0.66


def text_em(text: str) -> float:
    """The text's width in em, with room for breaks at word ends when it has spaces to break at."""
    em = sum(char_em(ch) for ch in text)
    return em * 1.15 if " " in text.strip() else em


def fit_text(text: str, width_mm: float, sizes: tuple[float, ...], max_lines: int, max_height_mm: float,
             shrink_to: float) -> Fit:
    """Shrink, then wrap: one line at the largest size of ``sizes`` (largest first) down to ``shrink_to``;
    if it still does not fit, the fewest lines (up to ``max_lines``, no taller than ``max_height_mm``) at
    the largest size that fits. The smallest size if nothing fits (never, for the allowed lengths)."""
    em = text_em(text)
    for lines in range(1, max_lines + 1):
        for size in sizes:
            if lines < max_lines and size < shrink_to:
                break
            per_line = width_mm / (size * PT_MM)
            if math.ceil(em / per_line) <= lines and lines * size * PT_MM * LINE_HEIGHT <= max_height_mm:
                return Fit(size, max(1, math.ceil(em / per_line)))
    smallest = sizes[-1]
    return Fit(smallest, max(1, math.ceil(em / (width_mm / (smallest * PT_MM)))))


TEXT_WIDTH_MM = 200
NAME_SIZES = (30, 27, 24, 21, 18, 16, 14, 12, 11, 10)
TITLE_SIZES = (20, 18, 16, 14, 13, 12, 11, 10, 9)


def name_fit(name: str) -> Fit:
    return fit_text(name, TEXT_WIDTH_MM, NAME_SIZES, 2, 18, shrink_to=18)


def title_fit(title: str) -> Fit:
    return fit_text(title, TEXT_WIDTH_MM, TITLE_SIZES, 4, 18, shrink_to=13)
