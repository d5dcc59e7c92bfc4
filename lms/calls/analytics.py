"""How learners play a scenario's current version, for its trainers: choices and decision times per
turn, hang-ups, the most common path to failure, the criteria missed most, and the recent calls."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.calls import engine
from lms.calls.models import CallAttempt, CallStatus, CallTurn, Scenario, ScenarioVersion
from lms.calls.scenarios import compiled
from lms.db import db


@dataclass
class NodeStats:
    node: engine.Node
    visits: int = 0
    choices: Counter = field(default_factory=Counter)  # option index (or 'timeout'/'text') → count
    seconds: list = field(default_factory=list)
    hang_ups_after: int = 0

    @property
    def mean_seconds(self) -> float | None:
        return round(sum(self.seconds) / len(self.seconds), 1) if self.seconds else None


@dataclass
class Analytics:
    attempts: int
    passed: int
    nodes: list[NodeStats]
    criteria: list[tuple[engine.Criterion, int, int]]  # criterion, assessed, missed or breached
    failure_path: tuple[tuple[str, ...], int] | None


def _turns_by_call(version: ScenarioVersion, stats: dict[str, NodeStats]) -> dict[int, list[CallTurn]]:
    """Every turn of the version's calls, counted into the stats of its node on the way."""
    turns_by_attempt: dict[int, list[CallTurn]] = defaultdict(list)
    for turn in db.session.scalars(select(CallTurn).where(CallTurn.version_id == version.id)
                                   .order_by(CallTurn.attempt_id, CallTurn.index)):
        turns_by_attempt[turn.attempt_id].append(turn)
        node = stats.get(turn.node_id)
        if node is None:
            continue
        node.visits += 1
        node.choices[turn.option_index if turn.kind == "choice" else turn.kind] += 1
        node.seconds.append(turn.seconds)
    return turns_by_attempt


def _criteria_counts(definition: engine.Scenario, attempts: list[CallAttempt]) -> list[tuple[engine.Criterion, int, int]]:
    """Each criterion with how often it was assessed and missed or breached, the most missed first."""
    counts = {c.id: [0, 0] for c in definition.rubric}
    for attempt in attempts:
        for cid, status in (attempt.criteria or {}).items():
            if cid in counts and status is not None:
                counts[cid][0] += 1
                counts[cid][1] += status != "met"
    return sorted(((definition.criterion(cid), n, bad) for cid, (n, bad) in counts.items()),
                  key=lambda row: -(row[2] / row[1] if row[1] else 0))


def analytics(scenario: Scenario, version: ScenarioVersion) -> Analytics:
    """How learners play the current version: choices and decision times per turn, hang-ups, the most
    common path to failure and the criteria missed most."""
    definition = compiled(version)
    attempts = list(db.session.scalars(select(CallAttempt).where(CallAttempt.version_id == version.id,
                                                                 CallAttempt.status != CallStatus.IN_PROGRESS)))
    stats = {nid: NodeStats(node) for nid, node in definition.nodes.items() if node.waits}
    turns_by_attempt = _turns_by_call(version, stats)
    failures = Counter()
    for attempt in attempts:
        turns = turns_by_attempt.get(attempt.id, [])
        if attempt.outcome == "hung_up" and turns and turns[-1].node_id in stats:
            stats[turns[-1].node_id].hang_ups_after += 1
        if attempt.passed is False:
            failures[tuple(t.node_id for t in turns)] += 1
    return Analytics(len(attempts), sum(1 for a in attempts if a.passed),
                     [stats[nid] for nid in definition.nodes if nid in stats],
                     _criteria_counts(definition, attempts), failures.most_common(1)[0] if failures else None)


def recent_calls(scenario: Scenario, limit: int = 30) -> list[CallAttempt]:
    """The scenario's latest calls, newest first, with their learners."""
    return list(db.session.scalars(
        select(CallAttempt).where(CallAttempt.scenario_id == scenario.id)
        .options(selectinload(CallAttempt.user)).order_by(CallAttempt.started_at.desc()).limit(limit)))
