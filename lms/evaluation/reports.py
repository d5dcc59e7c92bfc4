"""Which report a URL asks for, whether its reader may see it, and what it covers.

A report is about a course (its code), a cohort (the people who took a course's post-test in one month,
"2026-11"), a team (its id), a certification programme (its slug) or a period ("2026" or "2026-11"); any
report may be narrowed to dates. Trainers and admins read every report; a manager reads the reports of
the teams they manage (and nothing that mixes in people from other teams). A report the reader may not
see is answered like one that does not exist (RowNotFound, 404).

The helpers at the end say what a scope covers (its courses, its people, its dates) for every section.
"""

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, select

from lms.accounts.models import Role, Team, User
from lms.courses.models import Course
from lms.db import RowNotFound, db
from lms.evaluation.report_sections import SCOPE_KINDS, ReportScope, Section, build_sections
from lms.generations import cached_results
from lms.timeutil import local_zone

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Report:
    scope: ReportScope
    title: str
    sections: list[Section]

    @property
    def figures(self) -> dict[str, float | None]:
        """Every section's figures, keyed "<section>.<figure>": what an improvement action compares."""
        return {f"{s.key}.{name}": value for s in self.sections for name, value in s.figures.items()}


def minimum_group() -> int:
    return int(current_app.config.get("EVALUATION_MINIMUM_GROUP", 5))


def _month_bounds(key: str) -> tuple[date, date]:
    match = MONTH.match(key)
    if not match:
        raise RowNotFound(f"no month {key}")
    year, month = int(match[1]), int(match[2])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _period_bounds(key: str) -> tuple[date, date]:
    if YEAR.match(key):
        return date(int(key), 1, 1), date(int(key), 12, 31)
    return _month_bounds(key)


def _title(kind: str, key: str) -> str:
    """The report's subject in words; RowNotFound when it does not exist."""
    if kind == "course":
        course = db.session.scalar(select(Course).where(Course.code == key))
        if course is None or course.published_version is None:
            raise RowNotFound(f"no course {key}")
        return f"{course.code} {course.published_version.title}"
    if kind == "team":
        team = db.session.get(Team, int(key)) if key.isdigit() else None
        if team is None:
            raise RowNotFound(f"no team {key}")
        return team.name
    if kind == "programme":
        from lms.certification.programmes import get_programme

        return get_programme(key).title
    if kind == "cohort":
        _month_bounds(key)
        return _("Cohort %(month)s", month=key)
    _period_bounds(key)
    return _("Period %(period)s", period=key)


def may_read(user: User, kind: str, key: str) -> bool:
    if user.has_role(Role.ADMIN, Role.TRAINER):
        return True
    return kind == "team" and user.has_role(Role.MANAGER) and any(str(t.id) == key for t in user.managed_teams)


def resolve(user: User, kind: str, key: str, start: date | None = None, end: date | None = None) -> ReportScope:
    """The scope a reader asks for, or RowNotFound when it does not exist or is not theirs to read."""
    if kind not in SCOPE_KINDS or not may_read(user, kind, key):
        raise RowNotFound(f"no {kind} report {key} for user {user.id}")
    if kind in ("cohort", "period"):
        first, last = (_month_bounds if kind == "cohort" else _period_bounds)(key)
        start, end = max(start or first, first), min(end or last, last)
    return ReportScope(kind, key, start, end, minimum_group())


def build_report(scope: ReportScope) -> Report:
    return Report(scope, _title(scope.kind, scope.key), [_drawable(s) for s in build_sections(scope)])


def _drawable(section: Section) -> Section:
    """A section whose chart still carries pygal's style sheet or script gets it applied as attributes, so
    it draws the same under the page's Content-Security-Policy and in the PDF's font."""
    svg = section.chart_svg
    if svg is None or ("<style" not in svg and "<script" not in svg):
        return section
    from lms.evaluation.charts import normalised_svg

    return replace(section, chart_svg=normalised_svg(str(svg), section.chart_alt))


def read_report(user: User, kind: str, key: str, start: date | None = None, end: date | None = None) -> Report:
    """The report of the scope the reader may read; built from a cache while no result has changed (lms/generations.py).
    Its sections depend on the scope only, never on who reads it."""
    scope = resolve(user, kind, key, start, end)
    return cached_results(("report", scope), lambda: build_report(scope), per="hour")


# ------------------------------------------------------------------ what a scope covers (for the sections)


def scope_course_ids(scope: ReportScope) -> Select | None:
    """A select of the ids of the courses the scope is about, or None for every course."""
    if scope.kind == "course":
        return select(Course.id).where(Course.code == scope.key)
    if scope.kind == "programme":
        from lms.certification.programmes import find_programme

        programme = find_programme(scope.key)
        codes = [r["course"] for r in (programme.definition.get("requirements", []) if programme else [])
                 if r.get("kind") == "course"]
        return select(Course.id).where(Course.code.in_(codes))
    return None


def scope_user_ids(scope: ReportScope) -> Select | None:
    """A select of the ids of the people the scope is about, or None for everyone."""
    if scope.kind == "team":
        return select(User.id).where(User.team_id == int(scope.key))
    return None


def scope_window(scope: ReportScope) -> tuple[datetime | None, datetime | None]:
    """The scope's dates as instants: from the start of its first local day to the end of its last."""
    zone = local_zone()
    start = datetime.combine(scope.start, time.min, zone) if scope.start else None
    end = datetime.combine(scope.end + timedelta(days=1), time.min, zone) if scope.end else None
    return start, end
