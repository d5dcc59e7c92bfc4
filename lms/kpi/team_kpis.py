"""The team KPI page and the figures the "results" report section shares with it: per KPI a trend of the
trained against the not-yet-trained agents with training and certification events, and the effect of a
course (difference in differences) with the number of agents behind each figure."""

from collections import Counter
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from lms.accounts.models import Team, User
from lms.courses.models import Course
from lms.courses.team import managed_teams
from lms.db import RowNotFound, db
from lms.kpi.agent_table import AgentRow, agent_headers, agent_rows
from lms.kpi.charts import as_image, period_label, trend_svg
from lms.kpi.definitions import active_kpis
from lms.kpi.effect import Effect, effect, period_start, trend
from lms.kpi.labels import (
    DIRECTION_LABELS,
    PERIOD_KIND_LABELS,
    UNIT_LABELS,
    caution_texts,
    format_change,
    format_value,
)
from lms.kpi.models import KpiDefinition, KpiDirection
from lms.kpi.records import Evidence, courses_completed_by, gather


def minimum_group() -> int:
    return int(current_app.config.get("EVALUATION_MINIMUM_GROUP", 5))


def effect_headers() -> list[str]:
    return [_("KPI"), _("Trained agents"), _("Before training"), _("After training"), _("Change"),
            _("Untrained peers"), _("Peers' change"), _("Difference in differences")]


@dataclass
class EffectRow:
    kpi: KpiDefinition
    effect: Effect
    cells: list[str]
    cautions: list[str]
    verdict: str  # better / worse / no difference, in words


def _verdict(result: Effect) -> str:
    if result.improvement is None:
        return ""
    if abs(result.improvement) < 1e-9:
        return _("no difference from peers")
    return _("better than peers") if result.improvement > 0 else _("worse than peers")


def effect_row(kpi: KpiDefinition, result: Effect, group: int) -> EffectRow:
    unit, d = kpi.unit, kpi.decimals
    cells = [kpi.name, str(result.trained_agents), format_value(result.trained_before, unit, d),
             format_value(result.trained_after, unit, d), format_change(result.trained_change, unit, d),
             str(result.peer_agents), format_change(result.peers_change, unit, d),
             format_change(result.did, unit, d)]
    return EffectRow(kpi, result, cells, caution_texts(result.cautions, group), _verdict(result))


def effects(evidence: Evidence, kpis: list[KpiDefinition], group: int) -> list[EffectRow]:
    return [effect_row(k, effect(evidence.agents(k.id), evidence.kind, k.direction is KpiDirection.HIGHER, group),
                       group) for k in kpis if evidence.values.get(k.id)]


@dataclass
class KpiPanel:
    kpi: KpiDefinition
    direction: str
    unit: str
    image: Markup
    alt: str
    headers: list[str]
    rows: list[list[str]]
    effect: EffectRow | None


def _events(evidence: Evidence) -> tuple[Counter, Counter]:
    trainings = Counter(period_start(d, evidence.kind) for d in evidence.trained_on.values())
    certificates = Counter(period_start(d, evidence.kind) for days in evidence.certified_on.values() for d in days)
    return trainings, certificates


def _alt(kpi: KpiDefinition, course: Course | None, points, kind: str, trained: int) -> str:
    if not points:
        return ""
    if course is None:
        return _("%(kpi)s, average per %(period)s of the team's agents; no course completed yet.",
                 kpi=kpi.name, period=PERIOD_KIND_LABELS[kind])
    first, last = period_label(points[0].period, kind), period_label(points[-1].period, kind)
    latest = points[-1]
    text = _("%(kpi)s, average per %(period)s from %(first)s to %(last)s: agents after completing the course "
             "against agents not yet trained.", kpi=kpi.name, period=PERIOD_KIND_LABELS[kind], first=first, last=last)
    text += " " + _("In %(last)s: trained %(trained)s, not yet trained %(peers)s. %(n)d agents completed the "
                    "course in these periods.", last=last, n=trained,
                    trained=format_value(latest.trained_mean, kpi.unit, kpi.decimals),
                    peers=format_value(latest.peers_mean, kpi.unit, kpi.decimals))
    return text


def kpi_panel(kpi: KpiDefinition, evidence: Evidence, course: Course | None, row: EffectRow | None, group: int
              ) -> KpiPanel:
    points = trend(evidence.agents(kpi.id), evidence.kind, group)
    trainings, certificates = _events(evidence)
    svg = trend_svg(kpi, points, evidence.kind, trainings, certificates, kpi.reference_lines)
    alt = _alt(kpi, course, points, evidence.kind, sum(trainings[p.period] for p in points))
    headers = [_("Period"), _("Trained (after the training)"), _("Agents"), _("Not yet trained"), _("Agents"),
               _("Training completed"), _("Certified")]
    rows = [[period_label(p.period, evidence.kind), format_value(p.trained_mean, kpi.unit, kpi.decimals),
             str(p.trained_count), format_value(p.peers_mean, kpi.unit, kpi.decimals), str(p.peers_count),
             str(trainings.get(p.period, 0)), str(certificates.get(p.period, 0))] for p in points]
    return KpiPanel(kpi, str(DIRECTION_LABELS[kpi.direction]), str(UNIT_LABELS.get(kpi.unit, "")),
                    as_image(svg, alt), alt, headers, rows, row)


@dataclass
class TeamKpiPage:
    teams: list[Team]
    team: Team | None
    courses: list[tuple[str, str]] = field(default_factory=list)  # (code, "code title · n completed")
    course: Course | None = None
    course_name: str = ""  # code and title
    panels: list[KpiPanel] = field(default_factory=list)
    effects: list[EffectRow] = field(default_factory=list)
    agent_headers: list[str] = field(default_factory=list)
    agents: list[AgentRow] = field(default_factory=list)
    members: int = 0
    kind: str = "month"
    minimum_group: int = 5


def team_kpi_page(user: User, team_id: int | None, course_code: str | None) -> TeamKpiPage:
    """One of the user's teams with its KPIs; RowNotFound (404) for a team they do not see."""
    teams = managed_teams(user)
    team = next((t for t in teams if t.id == team_id), None) if team_id else (teams[0] if teams else None)
    if team_id and team is None:
        raise RowNotFound("team")
    page = TeamKpiPage(teams, team, minimum_group=minimum_group())
    if team is None:
        return page
    people = {uid: (name, no) for uid, name, no in db.session.execute(
        select(User.id, User.name, User.employee_no).where(User.team_id == team.id))}
    member_ids = list(people)
    completed = courses_completed_by(member_ids)
    page.courses = [(c.course.code, _("%(code)s · %(n)d completed", code=c.name, n=c.completed)) for c in completed]
    chosen = next((c for c in completed if c.course.code == course_code), completed[0] if completed else None)
    page.course, page.course_name = (chosen.course, chosen.name) if chosen else (None, "")
    evidence = gather(member_ids, page.course.id if page.course else None)
    kpis = active_kpis()
    page.members, page.kind = len(member_ids), evidence.kind
    page.effects = effects(evidence, kpis, page.minimum_group) if page.course else []
    shown = [k for k in kpis if evidence.values.get(k.id)]
    if page.course:
        page.agent_headers, page.agents = agent_headers(shown), agent_rows(evidence, shown, people)
    rows = {r.kpi.id: r for r in page.effects}
    page.panels = [kpi_panel(k, evidence, page.course, rows.get(k.id), page.minimum_group) for k in shown]
    return page
