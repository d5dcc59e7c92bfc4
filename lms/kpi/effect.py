"""The effect of training on a KPI: pure statistics, no Flask, no database.

Each agent brings their values per period and, when trained, the date of training. The period holding
that date is the training period and belongs to neither side. For a trained agent:

- their change is the mean of their values after the training period minus the mean before it;
- the peers' change is, over the same periods, the mean of the peers' period averages after minus before,
  where the peers are the agents not yet trained by the end of that agent's after window (never trained,
  or trained later), so the same people stand on both sides of the comparison;
- the difference in differences (DiD) is their change minus the peers' change.

Figures are means over the trained agents who have values on both sides (and, for the DiD, peers in both
windows). ``improvement`` is the DiD signed so that positive is better whatever the KPI's direction.
Groups smaller than ``minimum_group`` are not shown (None) and named in ``cautions``, as are trained
agents whose periods no peer shares.
"""

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import fmean

SMALL_TRAINED = "small_trained"  # fewer trained agents than the minimum group
SMALL_PEERS = "small_peers"  # fewer peers than the minimum group
NO_TRAINED = "no_trained"  # nobody trained with values before and after
NO_OVERLAP = "no_overlap"  # no peer has values in the periods of any trained agent
PARTIAL_OVERLAP = "partial_overlap"  # some trained agents have no peers in their periods


def period_start(day: date, kind: str) -> date:
    """The first day of the week (Monday) or month that holds ``day``."""
    return day - timedelta(days=day.weekday()) if kind == "week" else day.replace(day=1)


@dataclass(frozen=True)
class Agent:
    values: Mapping[date, float]  # period start → value
    trained_on: date | None = None


@dataclass(frozen=True)
class Effect:
    trained_agents: int = 0
    peer_agents: int = 0
    trained_before: float | None = None
    trained_after: float | None = None
    trained_change: float | None = None
    peers_change: float | None = None
    did: float | None = None
    improvement: float | None = None  # the DiD, positive when better
    cautions: tuple[str, ...] = field(default_factory=tuple)


class _Peers:
    """Per period, every agent's value ordered by their training period (never trained last), with running
    sums from the end: the agents not trained by a cutoff period are a suffix, read in O(log n)."""

    def __init__(self, agents: Sequence[Agent], training: list[date | None]):
        rows: dict[date, list[tuple[date, float, int]]] = {}
        for index, (agent, trained) in enumerate(zip(agents, training, strict=True)):
            for period, value in agent.values.items():
                rows.setdefault(period, []).append((trained or date.max, value, index))
        self.keys: dict[date, list[date]] = {}
        self.sums: dict[date, list[float]] = {}
        self.rows = rows
        for period, entries in rows.items():
            entries.sort(key=lambda e: e[0])
            self.keys[period] = [e[0] for e in entries]
            tail, total = [0.0] * (len(entries) + 1), 0.0
            for i in range(len(entries) - 1, -1, -1):
                total += entries[i][1]
                tail[i] = total
            self.sums[period] = tail

    def _first_peer(self, period: date, cutoff: date) -> int:
        return bisect_right(self.keys[period], cutoff)

    def window(self, periods, cutoff: date) -> float | None:
        """The mean over ``periods`` of the average of the agents not trained by ``cutoff``."""
        means = []
        for period in periods:
            first = self._first_peer(period, cutoff)
            count = len(self.keys[period]) - first
            if count:
                means.append(self.sums[period][first] / count)
        return fmean(means) if means else None

    def peers_in(self, cutoffs: Mapping[date, date]) -> int:
        """How many agents served as a peer: in a used period, not trained by the earliest cutoff there."""
        return len({e[2] for period, cutoff in cutoffs.items()
                    for e in self.rows[period][self._first_peer(period, cutoff):]})


def _split(agent: Agent, trained: date) -> tuple[list[date], list[date]]:
    before = sorted(p for p in agent.values if p < trained)
    after = sorted(p for p in agent.values if p > trained)
    return before, after


@dataclass(frozen=True)
class AgentEffect:
    """One trained agent's figures: their own means and change, and the peers' change over the same periods
    (None when no peer has values on both sides)."""

    before: float
    after: float
    change: float
    peers_change: float | None
    periods: tuple[date, ...]  # the agent's before and after periods
    cutoff: date  # peers are those not trained by this period

    @property
    def did(self) -> float | None:
        return None if self.peers_change is None else self.change - self.peers_change


def per_agent(agents: Sequence[Agent], kind: str) -> tuple[list[AgentEffect | None], "_Peers"]:
    """For each agent (in order), their effect (None for the untrained and those without values on both
    sides of their training period), and the peers they were compared with."""
    training = [period_start(a.trained_on, kind) if a.trained_on else None for a in agents]
    peers = _Peers(agents, training)
    return [_agent_effect(agent, trained, peers) for agent, trained in zip(agents, training, strict=True)], peers


def _agent_effect(agent: Agent, trained: date | None, peers: "_Peers") -> AgentEffect | None:
    if trained is None:
        return None
    before, after = _split(agent, trained)
    if not before or not after:
        return None
    own_before, own_after = fmean(agent.values[p] for p in before), fmean(agent.values[p] for p in after)
    cutoff = after[-1]  # peers: not trained by the end of this agent's after window
    peer_before, peer_after = peers.window(before, cutoff), peers.window(after, cutoff)
    peers_change = None if peer_before is None or peer_after is None else peer_after - peer_before
    return AgentEffect(own_before, own_after, own_after - own_before, peers_change, tuple(before + after), cutoff)


def effect(agents: Sequence[Agent], kind: str, higher_is_better: bool, minimum_group: int = 5) -> Effect:
    """Before/after of the trained agents against their not-yet-trained peers in the same periods."""
    results, peers = per_agent(agents, kind)
    found = [r for r in results if r is not None]
    matched = [r for r in found if r.peers_change is not None]
    cutoffs: dict[date, date] = {}
    for r in matched:
        for period in r.periods:
            cutoffs[period] = min(cutoffs.get(period, r.cutoff), r.cutoff)
    return _summarise([r.before for r in found], [r.after for r in found], [r.change for r in found],
                      [(r.change, r.peers_change) for r in matched], peers.peers_in(cutoffs),
                      len(found) - len(matched), higher_is_better, minimum_group)


def _cautions(trained: int, peer_count: int, matched: int, unmatched: int, minimum_group: int) -> tuple[str, ...]:
    cautions = []
    if trained == 0:
        cautions.append(NO_TRAINED)
    elif trained < minimum_group:
        cautions.append(SMALL_TRAINED)
    if trained and matched == 0:
        cautions.append(NO_OVERLAP)
    elif unmatched:
        cautions.append(PARTIAL_OVERLAP)
    if matched and peer_count < minimum_group:
        cautions.append(SMALL_PEERS)
    return tuple(cautions)


def _summarise(befores, afters, changes, dids, peer_count, unmatched, higher_is_better, minimum_group) -> Effect:
    trained = len(changes)
    cautions = _cautions(trained, peer_count, len(dids), unmatched, minimum_group)
    if trained == 0 or trained < minimum_group:
        return Effect(trained, peer_count, cautions=cautions)
    result = Effect(trained, peer_count, fmean(befores), fmean(afters), fmean(changes), cautions=cautions)
    if not dids or peer_count < minimum_group:
        return result
    peers_change = fmean(p for _own, p in dids)
    did = fmean(own - p for own, p in dids)
    return Effect(trained, peer_count, result.trained_before, result.trained_after, result.trained_change,
                  peers_change, did, did if higher_is_better else -did, cautions)


@dataclass(frozen=True)
class TrendPoint:
    period: date
    trained_mean: float | None  # agents trained before this period (None below the minimum group)
    trained_count: int
    peers_mean: float | None  # agents not yet trained
    peers_count: int


def trend(agents: Sequence[Agent], kind: str, minimum_group: int = 5) -> list[TrendPoint]:
    """Per period, the mean of the agents already trained and of those not yet trained."""
    groups: dict[date, tuple[list[float], list[float]]] = {}
    for agent in agents:
        trained = period_start(agent.trained_on, kind) if agent.trained_on else None
        for period, value in agent.values.items():
            if trained is not None and period == trained:
                continue
            done, peers = groups.setdefault(period, ([], []))
            (done if trained is not None and period > trained else peers).append(value)

    def mean(values):
        return fmean(values) if values and len(values) >= minimum_group else None

    return [TrendPoint(p, mean(d), len(d), mean(o), len(o)) for p, (d, o) in sorted(groups.items())]
