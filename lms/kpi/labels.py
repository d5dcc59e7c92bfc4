"""Every label of the KPI domain: units, directions, period kinds and the cautions of the effect figures."""

from flask_babel import lazy_gettext as _l

from lms.kpi import effect
from lms.kpi.models import KpiDirection, PeriodKind

UNIT_LABELS = {
    "percent": _l("per cent"),
    "seconds": _l("seconds"),
    "points": _l("points"),
    "count": _l("count"),
}
UNIT_SUFFIXES = {"percent": "%", "seconds": _l(" s"), "points": _l(" pts"), "count": ""}
DIRECTION_LABELS = {
    KpiDirection.HIGHER: _l("higher is better"),
    KpiDirection.LOWER: _l("lower is better"),
}
PERIOD_KIND_LABELS = {PeriodKind.MONTH: _l("month"), PeriodKind.WEEK: _l("week")}
CAUTION_LABELS = {
    effect.NO_TRAINED: _l("Nobody trained has values both before and after the training."),
    effect.SMALL_TRAINED: _l("Fewer trained agents than the minimum group of %(n)d: the figures are hidden."),
    effect.SMALL_PEERS: _l("Fewer untrained peers than the minimum group of %(n)d: the comparison is hidden."),
    effect.NO_OVERLAP: _l("No untrained peer has values in the same periods: there is nothing to compare with."),
    effect.PARTIAL_OVERLAP: _l("Some trained agents have no untrained peers in their periods and are left out "
                               "of the comparison."),
}


def caution_texts(codes, minimum_group: int) -> list[str]:
    return [str(CAUTION_LABELS[c]) % {"n": minimum_group} if "%(n)d" in str(CAUTION_LABELS[c])
            else str(CAUTION_LABELS[c]) for c in codes]


def format_value(value: float | None, unit: str, decimals: int) -> str:
    """A KPI value as a person reads it: 82.5%, 184 s; an en dash when there is none."""
    if value is None:
        return "–"
    return f"{value:,.{decimals}f}{UNIT_SUFFIXES.get(unit, '')}"


def format_change(value: float | None, unit: str, decimals: int) -> str:
    """A change with its sign: +3.2%, −12 s."""
    if value is None:
        return "–"
    shown = round(value, decimals)
    sign = "+" if shown > 0 else "−" if shown < 0 else "±"
    return f"{sign}{abs(shown):,.{decimals}f}{UNIT_SUFFIXES.get(unit, '')}"
