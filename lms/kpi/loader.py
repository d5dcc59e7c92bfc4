"""courses/kpis.yaml → frozen KPI specs, every problem naming the file, line and field.

The file is optional (a centre without KPIs has none). Each entry: code (the CSV column), name, unit,
direction, range [min, max], decimals, optional reference lines, an optional threshold (the value on the
wrong side of which an agent is flagged: below it when higher is better, above it when lower is better;
centre practice, the standards give no figure) and the standard items the KPI reflects (the first mapping;
trainers maintain it in the browser afterwards)."""

import re
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext

from lms.content.files import ContentError, Fields, LineDict, content_hash, load_mapping_file
from lms.kpi.models import KpiDirection

KPI_FILE = "kpis.yaml"
KPI_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
UNITS = ("percent", "seconds", "points", "count")
FIELDS = {"code", "name", "unit", "direction", "range", "decimals", "reference_lines", "items", "description",
          "threshold"}


@dataclass(frozen=True)
class ReferenceLine:
    label: str
    value: float


@dataclass(frozen=True)
class KpiSpec:
    code: str
    name: str
    unit: str
    direction: KpiDirection
    min_value: float
    max_value: float
    decimals: int
    reference_lines: tuple[ReferenceLine, ...]
    items: tuple[str, ...]
    description: str
    position: int
    threshold: float | None
    path: str
    content_hash: str


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _range(fields: Fields) -> tuple[float, float]:
    value = fields.data.get("range")
    if not isinstance(value, list) or len(value) != 2 or None in (low := [_number(v) for v in value]):
        fields.error("range", gettext("must be two numbers [lowest, highest]"))
        return 0.0, 0.0
    if low[0] >= low[1]:
        fields.error("range", gettext("the lowest value must be below the highest"))
    return low[0], low[1]


def _reference_lines(fields: Fields, low: float, high: float) -> tuple[ReferenceLine, ...]:
    value = fields.data.get("reference_lines") or []
    if not isinstance(value, list):
        fields.error("reference_lines", gettext("must be a list of {label, value}"))
        return ()
    lines = []
    for entry in value:
        line = getattr(entry, "line", None)
        label = entry.get("label") if isinstance(entry, dict) else None
        number = _number(entry.get("value")) if isinstance(entry, dict) else None
        if not isinstance(label, str) or not label.strip() or number is None:
            fields.error("reference_lines", gettext("each line needs a label and a numeric value"), line=line)
        elif not low <= number <= high:
            fields.error("reference_lines", gettext("%(value)s is outside the range", value=number), line=line)
        else:
            lines.append(ReferenceLine(label.strip(), number))
    return tuple(lines)


def _threshold(fields: Fields, low: float, high: float) -> float | None:
    value = fields.data.get("threshold")
    if value is None:
        return None
    number = _number(value)
    if number is None:
        fields.error("threshold", gettext("must be a number"))
    elif not low <= number <= high:
        fields.error("threshold", gettext("%(value)s is outside the range", value=value))
    else:
        return number
    return None


def _load_entry(entry, position: int, path: str, item_codes: set[str] | None) -> tuple[KpiSpec | None, list]:
    if not isinstance(entry, LineDict):
        return None, [ContentError(path, getattr(entry, "line", None), None, gettext("each KPI must be a mapping"))]
    fields = Fields(entry, path)
    fields.unknown(FIELDS)
    code = fields.text("code", max_len=40)
    if code and not KPI_CODE.match(code):
        fields.error("code", gettext("use lower-case letters, digits and _ (it is a CSV column name)"))
    low, high = _range(fields)
    items = tuple(fields.string_list("items"))
    for item in items:
        if item_codes is not None and item not in item_codes:
            fields.error("items", gettext("unknown standard item %(code)s", code=item))
    spec = KpiSpec(
        code=code, name=fields.text("name", max_len=200), unit=fields.choice("unit", UNITS, default="count"),
        direction=KpiDirection(fields.choice("direction", [d.value for d in KpiDirection], default="higher")),
        min_value=low, max_value=high, decimals=fields.integer("decimals", required=False, minimum=0, maximum=4, default=1),
        reference_lines=_reference_lines(fields, low, high), items=items,
        description=fields.text("description", required=False, max_len=2000), position=position,
        threshold=_threshold(fields, low, high), path=path, content_hash="")
    if fields.errors:
        return None, fields.errors
    data = {k: v for k, v in spec.__dict__.items() if k not in ("path", "content_hash", "threshold")}
    return KpiSpec(**{**spec.__dict__, "content_hash": content_hash(data)}), []


def load_kpis(courses_dir: Path, item_codes: set[str] | None = None) -> tuple[list[KpiSpec], list[ContentError]]:
    """Every KPI of ``courses/kpis.yaml`` (none when the file is absent), or the problems found."""
    file = courses_dir / KPI_FILE
    if not file.is_file():
        return [], []
    data, rel, errors = load_mapping_file(file, courses_dir, gettext("the file must be a mapping with a 'kpis' list"))
    if errors:
        return [], errors
    entries = data.get("kpis")
    if not isinstance(entries, list) or set(data) - {"kpis"}:
        return [], [ContentError(rel, data.line, "kpis", gettext("the file must be a mapping with a 'kpis' list"))]
    specs, seen = [], {}
    for position, entry in enumerate(entries, start=1):
        spec, problems = _load_entry(entry, position, rel, item_codes)
        errors += problems
        if spec is None:
            continue
        if spec.code in seen:
            errors.append(ContentError(rel, entry.line, "code", gettext(
                "%(code)s is also used on line %(line)d", code=spec.code, line=seen[spec.code])))
            continue
        seen[spec.code] = entry.line
        specs.append(spec)
    return specs, errors
