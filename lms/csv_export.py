"""CSV files people open in a spreadsheet, shared by every export: UTF-8 with a byte-order mark (so Excel
reads the Chinese), cells a spreadsheet would run as a formula neutralised, written line by line while the
response is sent (memory stays flat however many rows).

A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before one) as a formula;
such cells get a leading apostrophe. Exports of figures may keep plain numbers (-12.5, +3%) as numbers.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?%?$")


def safe_cell(value, keep_numbers: bool = False) -> str:
    """A cell as text; text that starts like a formula gets a leading apostrophe (with ``keep_numbers``,
    a signed number stays a number)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not (keep_numbers and NUMBER.match(text)):
        return "'" + text
    return text


def csv_line(cells: Sequence, keep_numbers: bool = False, script=None) -> str:
    """One line of CSV, every cell neutralised (and given in the reader's script by ``script``, if any)."""
    out = io.StringIO()
    texts = [safe_cell(c, keep_numbers) for c in cells]
    csv.writer(out).writerow([script(t) for t in texts] if script else texts)
    return out.getvalue()


def csv_stream(header: Sequence, rows: Iterable[Sequence], keep_numbers: bool = False, script=None) -> Iterator[str]:
    """The byte-order mark with the header, then one line per row, as the rows come. ``script``: a report's
    text in the reader's script (lms.content.simplified.text_in_readers_script), chosen before the stream starts."""
    yield BOM + csv_line(header, keep_numbers)
    for row in rows:
        yield csv_line(row, keep_numbers, script)


def csv_text(rows: Iterable[Sequence], keep_numbers: bool = False, script=None) -> str:
    """A whole (small) file at once: the byte-order mark, then the rows."""
    return BOM + "".join(csv_line(row, keep_numbers, script) for row in rows)
