"""Which trained agents improved: per agent who completed the course, on each KPI, their change minus the
change of the peers not yet trained over the same periods (the team page's table)."""

from dataclasses import dataclass

from flask_babel import gettext as _

from lms.kpi.charts import period_label
from lms.kpi.effect import per_agent, period_start
from lms.kpi.labels import format_change
from lms.kpi.models import KpiDefinition, KpiDirection
from lms.kpi.records import Evidence


@dataclass(frozen=True)
class AgentRow:
    name: str
    employee_no: str
    completed: str  # the period of completion
    cells: list[str]  # per KPI: the difference from peers, or an en dash
    better: int  # on how many KPIs the agent did better than the peers
    compared: int  # on how many KPIs there was a comparison


def agent_rows(evidence: Evidence, kpis: list[KpiDefinition], people: dict[int, tuple[str, str]]) -> list[AgentRow]:
    """One row per agent who completed the course, in employee-number order."""
    dids: dict[tuple[int, int], float | None] = {}
    for kpi in kpis:
        ids = list(evidence.values.get(kpi.id, {}))
        results, _peers = per_agent(evidence.agents(kpi.id), evidence.kind)
        for user_id, result in zip(ids, results, strict=True):
            dids[(user_id, kpi.id)] = result.did if result else None
    rows = []
    for user_id, day in evidence.trained_on.items():
        name, number = people.get(user_id, ("", ""))
        cells, better, compared = [], 0, 0
        for kpi in kpis:
            did = dids.get((user_id, kpi.id))
            cells.append(format_change(did, kpi.unit, kpi.decimals))
            if did is not None:
                compared += 1
                better += (did > 0) == (kpi.direction is KpiDirection.HIGHER) and did != 0
        rows.append(AgentRow(name, number, period_label(period_start(day, evidence.kind), evidence.kind), cells,
                             better, compared))
    return sorted(rows, key=lambda r: r.employee_no)


def agent_headers(kpis: list[KpiDefinition]) -> list[str]:
    return [_("Agent"), _("Completed"), *(k.name for k in kpis), _("Better than peers on")]
