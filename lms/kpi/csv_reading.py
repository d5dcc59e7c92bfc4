"""Reading a KPI file: one row per agent and period, one column per KPI. Pure: no database, no Flask
beyond the message catalogue. The file is read twice: once to find every problem (``check``), and, only
when there is none, once more to yield the values (``values``), so memory does not grow with the rows.

Columns: employee_number, period (2026-03 for a month, 2026-W11 for an ISO week), then one column per KPI,
named by its code (fcr) or its name (首次解決率). An empty KPI cell means no value for that agent and period.
"""

import csv
import functools
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from lms.accounts.identifiers import normalise_employee_no
from lms.accounts.user_import import RowError
from lms.content.uploads import UploadTextError, decode_upload

MAX_ROWS = 500_000
MAX_ERRORS = 1000  # beyond this the file is plainly the wrong one; the count says so
EMPLOYEE_HEADERS = {"employee_number", "employee_no", "employee number", "工號", "工号", "員工編號", "员工编号"}
PERIOD_HEADERS = {"period", "期間", "期间", "月份", "週次", "周次"}
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
WEEK = re.compile(r"^(\d{4})-?W(\d{2})$", re.IGNORECASE)


@dataclass(frozen=True)
class KpiColumn:
    id: int
    code: str
    name: str
    min_value: float
    max_value: float
    decimals: int


@dataclass(frozen=True)
class Agent:
    user_id: int
    allowed: bool  # in the importing manager's teams (always, for an administrator)


@dataclass
class Checked:
    errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0  # problems beyond MAX_ERRORS, counted only
    rows: int = 0
    period_kind: str | None = None  # "month" | "week"
    periods: set[date] = field(default_factory=set)
    user_ids: set[int] = field(default_factory=set)
    kpi_ids: list[int] = field(default_factory=list)  # the KPIs the file has columns for

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0

    def add(self, error: RowError) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)
        else:
            self.more_errors += 1


def _clean(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


@functools.lru_cache(maxsize=4096)  # a file names a few dozen periods, on every row
def parse_period(raw: str) -> tuple[str, date] | None:
    """("month", first day) for 2026-03, ("week", Monday) for 2026-W11; None when it is neither."""
    text = _clean(raw)
    if match := MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        return ("month", date(year, month, 1)) if 1 <= month <= 12 and year >= 1990 else None
    if match := WEEK.match(text):
        try:
            return "week", date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            return None
    return None


def parse_value(raw: str, column: KpiColumn) -> tuple[float | None, str | None]:
    """(value, None), (None, None) for an empty cell, or (None, the problem)."""
    try:
        value = float(raw)  # the usual cell, fast; else full-width digits, thousands separators, a % sign
    except ValueError:
        text = _clean(raw).replace(",", "").removesuffix("%").strip()
        if not text:
            return None, None
        try:
            value = float(text)
        except ValueError:
            return None, str(_l("\"%(value)s\" is not a number.", value=_clean(raw)[:20]))
    if not math.isfinite(value):
        return None, str(_l("\"%(value)s\" is not a number.", value=_clean(raw)[:20]))
    if not column.min_value <= value <= column.max_value:
        return None, str(_l("%(value)s is outside the valid range %(low)s–%(high)s.", value=_clean(raw)[:20],
                            low=f"{column.min_value:g}", high=f"{column.max_value:g}"))
    return round(value, column.decimals), None


@dataclass(frozen=True)
class Layout:
    """Where each known column is. With a header problem the file is refused, but its rows are still
    checked against the columns that were recognised, so one upload lists every problem."""

    employee: int | None
    period: int | None
    kpis: list[tuple[int, KpiColumn]]
    width: int


def _header_key(name: str, names: Mapping[str, KpiColumn]) -> str | None:
    if name in EMPLOYEE_HEADERS:
        return "employee"
    if name in PERIOD_HEADERS:
        return "period"
    return names[name].code if name in names else None


def _read_header(header: list[str], kpis: list[KpiColumn], result: Checked) -> Layout:
    names = {_clean(kpi.name).lower(): kpi for kpi in kpis} | {kpi.code.lower(): kpi for kpi in kpis}
    found: dict[str, int] = {}
    columns: list[tuple[int, KpiColumn]] = []
    for index, raw in enumerate(header):
        name = _clean(raw).lower()
        if not name:
            continue
        key = _header_key(name, names)
        if key is None:
            result.add(RowError(1, raw.strip()[:40], str(_l(
                "unknown column. Use employee_number, period and KPI codes or names: %(codes)s.",
                codes=", ".join(k.code for k in kpis)))))
        elif key in found:
            result.add(RowError(1, raw.strip()[:40], str(_l("this column appears twice."))))
        else:
            found[key] = index
            if key in names:
                columns.append((index, names[key]))
    _required_columns(found, result)
    if not columns:
        result.add(RowError(1, "-", str(_l("no KPI column: name at least one KPI by its code or name."))))
    result.kpi_ids = [kpi.id for _index, kpi in columns]
    return Layout(found.get("employee"), found.get("period"), columns, len(header))


def _required_columns(found: Mapping[str, int], result: Checked) -> None:
    for key, label in (("employee", "employee_number"), ("period", "period")):
        if key not in found:
            result.add(RowError(1, label, str(_l("this required column is missing."))))


def _lines(text: str) -> Iterator[str]:
    """The text's lines, one at a time: io.StringIO would copy the whole file at four bytes a character."""
    if "\n" not in text and "\r" in text:  # classic Mac line ends ("CSV (Macintosh)" in Excel)
        text = text.replace("\r", "\n")
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end + 1]
        start = end + 1


def _reader(text: str) -> Iterator[list[str]]:
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    return csv.reader(_lines(text), delimiter=delimiter, strict=True)


@dataclass(frozen=True)
class Row:
    number: int
    user_id: int | None
    period_kind: str | None
    period: date | None
    values: list[tuple[int, float]]
    problems: list[RowError]


def _agent(number: int, raw: str, agents: Mapping[str, Agent], problems: list) -> Agent | None:
    employee_no = raw.strip().upper() if raw.isascii() else normalise_employee_no(raw)
    agent = agents.get(employee_no)
    if not employee_no:
        problems.append(RowError(number, "employee_number", str(_l("the employee number is empty."))))
    elif agent is None:
        problems.append(RowError(number, "employee_number", str(_l(
            "no person has employee number %(value)s.", value=employee_no[:32]))))
    elif not agent.allowed:
        problems.append(RowError(number, "employee_number", str(_l(
            "%(value)s is not in one of your teams.", value=employee_no[:32]))))
    return agent if agent is not None and agent.allowed else None


def _period(number: int, raw: str, problems: list) -> tuple[str, date] | None:
    period = parse_period(raw)
    if period is None:
        problems.append(RowError(number, "period", str(_l(
            "\"%(value)s\" is not a period like 2026-03 (month) or 2026-W11 (ISO week).", value=_clean(raw)[:20]))))
    return period


def _read_row(number: int, cells: list[str], layout: Layout, agents: Mapping[str, Agent]) -> Row:
    problems = []
    if len(cells) > layout.width:
        problems.append(RowError(number, "-", str(_l("%(found)d cells but the header has %(expected)d columns.",
                                                     found=len(cells), expected=layout.width))))
    if len(cells) < layout.width:
        cells = cells + [""] * (layout.width - len(cells))
    agent = None if layout.employee is None else _agent(number, cells[layout.employee], agents, problems)
    period = None if layout.period is None else _period(number, cells[layout.period], problems)
    values = []
    for index, kpi in layout.kpis:
        value, problem = parse_value(cells[index], kpi)
        if problem:
            problems.append(RowError(number, kpi.code, problem))
        elif value is not None:
            values.append((kpi.id, value))
    return Row(number, agent.user_id if agent else None, period[0] if period else None,
               period[1] if period else None, values, problems)


def _rows(text: str, kpis: list[KpiColumn], agents: Mapping[str, Agent], result: Checked) -> Iterator[Row]:
    reader = _reader(text)
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            result.add(RowError(1, "-", str(_l("the file is empty; the first row must name the columns."))))
            return
        layout = _read_header(header, kpis, result)
        number = 1
        for cells in reader:
            number += 1
            if any(c.strip() for c in cells):
                yield _read_row(number, cells, layout, agents)
    except csv.Error as exc:
        result.add(RowError(reader.line_num or 1, "-", str(_l("the CSV is malformed (%(detail)s).",
                                                              detail=str(exc)[:80]))))


def decode(data: bytes, result: Checked) -> str | None:
    try:
        text = decode_upload(data).text
    except UploadTextError as exc:
        result.add(RowError(exc.line or 1, "-", str(exc)))
        return None
    if "\x00" in text:
        result.add(RowError(1, "-", str(_l("the file contains NUL bytes; it is not a CSV text file."))))
        return None
    return text


def _check_row(row: Row, seen: dict[int, int], result: Checked) -> None:
    for problem in row.problems:
        result.add(problem)
    if row.period_kind and result.period_kind and row.period_kind != result.period_kind:
        result.add(RowError(row.number, "period", str(_l(
            "mix of months and weeks: the first row is by %(kind)s.",
            kind=_l("month") if result.period_kind == "month" else _l("week")))))
    result.period_kind = result.period_kind or row.period_kind
    if row.user_id is None or row.period is None:
        return
    # one int per agent and period (an ordinal is below 4,000,000): a tenth of a tuple's memory
    other = seen.setdefault(row.user_id * 4_000_000 + row.period.toordinal(), row.number)
    if other != row.number:
        result.add(RowError(row.number, "period", str(_l(
            "this agent and period also appear in row %(other)d.", other=other))))
    result.periods.add(row.period)
    result.user_ids.add(row.user_id)


def check(text: str, kpis: list[KpiColumn], agents: Mapping[str, Agent]) -> Checked:
    """Every problem of the file: header, each cell, duplicates of agent and period."""
    result = Checked()
    seen: dict[int, int] = {}
    for row in _rows(text, kpis, agents, result):
        result.rows += 1
        if result.rows > MAX_ROWS:
            result.add(RowError(row.number, "-", str(_l("too many rows; import at most %(n)d at a time.", n=MAX_ROWS))))
            break
        _check_row(row, seen, result)
    if not result.rows and not result.errors:
        result.add(RowError(2, "-", str(_l("the file has a header but no rows."))))
    return result


def values(text: str, kpis: list[KpiColumn], agents: Mapping[str, Agent]) -> Iterator[tuple[int, date, int, float]]:
    """(user id, period start, KPI id, value) of a file ``check`` found good."""
    for row in _rows(text, kpis, agents, Checked()):
        for kpi_id, value in row.values:
            yield row.user_id, row.period, kpi_id, value
