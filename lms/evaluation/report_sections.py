"""The evaluation reports are made of sections, one per kind of evidence: reaction surveys (level 1),
learning gain (level 2), observed behaviour (level 3), KPI results (level 4), completion. Each domain that
has evidence registers its section here; the report pages, their PDF and their CSV draw every section that
applies to the report's scope, in order, without knowing what is inside.

A section's ``build`` takes the scope and returns a ``Section`` (or None when it has nothing to say for that
scope). It reads only: no flush, no commit. Figures a manager may want to compare later (an improvement
action's baseline and effect) go in ``figures`` as plain numbers keyed by a stable name.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup

SCOPE_KINDS = ("course", "cohort", "team", "programme", "period")


@dataclass(frozen=True)
class ReportScope:
    kind: str  # one of SCOPE_KINDS
    key: str  # the course code, cohort label ("2026-11"), team id, programme slug; "" for a period report
    start: date | None = None  # the period the report covers, inclusive; None: from the beginning
    end: date | None = None
    minimum_group: int = 5  # aggregates over fewer people than this are hidden (anonymity)


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    summary: str  # one or two sentences a manager reads first
    chart_svg: Markup | None = None  # server-rendered SVG (pygal), or None
    chart_alt: str = ""  # the chart said in words, for screen readers
    table: Table | None = None  # the chart's data, always given when there is a chart
    cautions: list[str] = field(default_factory=list)  # small groups, non-overlapping periods …
    figures: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class SectionKind:
    key: str
    order: int
    scope_kinds: tuple[str, ...]
    build: Callable[[ReportScope], Section | None]


SECTION_KINDS: dict[str, SectionKind] = {}


def register_section(key: str, order: int, scope_kinds: tuple[str, ...] = SCOPE_KINDS):
    """Decorator: ``@register_section("reaction", order=10, scope_kinds=("course", "cohort"))``."""

    def decorate(build: Callable[[ReportScope], Section | None]):
        unknown = set(scope_kinds) - set(SCOPE_KINDS)
        if unknown:
            raise ValueError(f"unknown scope kinds {sorted(unknown)} for section {key}")
        SECTION_KINDS[key] = SectionKind(key, order, tuple(scope_kinds), build)
        return build

    return decorate


def build_sections(scope: ReportScope) -> list[Section]:
    kinds = sorted((k for k in SECTION_KINDS.values() if scope.kind in k.scope_kinds), key=lambda k: k.order)
    return [section for kind in kinds if (section := kind.build(scope)) is not None]
