"""Dates as the centre sees them: 'today' is the local date of the configured time zone, and the calendar
date of a moment is the date it was in the centre (never its UTC date), on pages, in PDFs, JSON and mail."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

from flask import current_app

from lms.db import utcnow


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])


def local_today() -> date:
    return utcnow().astimezone(local_zone()).date()


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(local_zone())


def local_date(moment: datetime) -> date:
    """The centre's calendar date of a moment (a naive moment is taken as UTC, as the database keeps it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(local_zone()).date()


@dataclass(frozen=True)
class LocalTime:
    """A wall-clock time read in a zone: the moment it means, and whether the clocks skip it (spring
    forward: it never happens) or pass it twice (fall back: ``moment`` is the first of the two)."""

    moment: datetime
    missing: bool = False
    repeated: bool = False


def read_local(naive: datetime, zone: tzinfo) -> LocalTime:
    """Read a wall-clock time in ``zone`` and say whether it does not exist or happens twice there."""
    first = naive.replace(tzinfo=zone, fold=0)
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None, fold=0)
    if back != naive.replace(fold=0):
        return LocalTime(first, missing=True)
    return LocalTime(first, repeated=first.utcoffset() != naive.replace(tzinfo=zone, fold=1).utcoffset())


def offset_text(moment: datetime) -> str:
    """A moment's offset from UTC as people write it: ``UTC+8``, ``UTC−4``, ``UTC+5:30``."""
    minutes = int(moment.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
