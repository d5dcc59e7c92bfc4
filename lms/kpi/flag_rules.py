"""The flagging rule, pure: which side of a threshold a KPI value is on, and whether a KPI recovered after
training. No Flask, no session (property-tested)."""

from datetime import date

from lms.kpi.models import KpiDirection


def wrong_side(value: float, threshold: float, direction: KpiDirection) -> bool:
    """True when the value needs improving: below the threshold when higher is better, above it when lower is
    better. A value equal to the threshold meets it."""
    return value < threshold if direction is KpiDirection.HIGHER else value > threshold


def choose_threshold(default: float | None, centre: float | None, team: float | None) -> float | None:
    """The threshold that applies: the team's override, else the centre's, else the file's default."""
    return next((t for t in (team, centre, default) if t is not None), None)


def recovered_after(values: dict[date, float], after: date, threshold: float, direction: KpiDirection) -> bool:
    """True when any period that starts after ``after`` (the period of completion) meets the threshold."""
    return any(not wrong_side(v, threshold, direction) for period, v in values.items() if period > after)


def improved(before: float, now: float, direction: KpiDirection) -> bool:
    """True when ``now`` is better than ``before`` in the KPI's direction."""
    return now > before if direction is KpiDirection.HIGHER else now < before
