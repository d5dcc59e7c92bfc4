"""Dates as the centre sees them: 'today' is the local date of the configured time zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from lms.db import utcnow


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])


def local_today() -> date:
    return utcnow().astimezone(local_zone()).date()


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(local_zone())
