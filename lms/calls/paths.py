"""Every path through a call: for checking shipped scenarios, and for the best and worst score of the
paths that reach each ending (the branch diagram). Pure."""

from collections.abc import Iterator
from dataclasses import dataclass

from lms.calls.engine import CallState, Scenario, begin, reply, time_out
from lms.calls.scoring import ScoreResult, score, worst_marks

MAX_TURNS = 60


@dataclass
class PathSummary:
    nodes: list[str]
    outcome: str
    score: ScoreResult
    agent_turns: int


def next_states(scenario: Scenario, state: CallState) -> Iterator[CallState]:
    """The call after each different move the learner can make at its current turn: every reply that
    does something else, and the timeout when the turn has a timer."""
    node = scenario.nodes[state.node]
    for answer in [*node.replies_to_explore(state.variant), *([None] if node.timer else [])]:
        after = CallState.from_dict(state.as_dict())
        if answer is None:
            time_out(scenario, after)
        else:
            reply(scenario, after, answer)
        yield after


def walk_paths(scenario: Scenario, limit: int = 20000) -> list[PathSummary]:
    """Every complete path through the call (every reply, every timeout), with its score."""
    results: list[PathSummary] = []
    start = begin(scenario, 0, "0000")
    stack = [(start, [start.node], 0)]
    while stack and len(results) < limit:
        state, nodes, turns = stack.pop()
        if state.finished:
            results.append(PathSummary(nodes, state.outcome, score(scenario, state.marks), turns))
        elif turns <= MAX_TURNS:
            stack += [(after, nodes + [after.node], turns + 1) for after in next_states(scenario, state)]
    return results


def marks_at_endings(scenario: Scenario, max_states: int = 200000) -> dict[str, list[dict[str, str]]]:
    """For every ending: each different set of worst marks (criterion → mark) a call can reach it with.
    Explores every distinct (node, variables, worst marks so far) state once, so it is exact without
    listing each path."""
    found: dict[str, list[dict[str, str]]] = {}
    seen: set = set()
    stack = [begin(scenario, 0, "0000")]
    while stack and len(seen) <= max_states:
        state = stack.pop()
        worst = worst_marks(state.marks)
        key = (state.node, tuple(sorted(state.variables.items())), tuple(sorted(worst.items())), state.finished)
        if key in seen:
            continue
        seen.add(key)
        if state.finished:
            if worst not in found.setdefault(state.node, []):
                found[state.node].append(worst)
            continue
        compact = CallState(state.node, state.variables, state.variant, [], [[c, m, 0] for c, m in worst.items()])
        stack += next_states(scenario, compact)
    return found


def end_extremes(scenario: Scenario, max_states: int = 200000) -> dict[str, tuple[float, float, bool]]:
    """For every ending: the best and worst score of the paths that reach it, and whether any of them
    passes."""
    scores: dict[str, list[ScoreResult]] = {
        end: [score(scenario, [[c, m] for c, m in worst.items()]) for worst in reached]
        for end, reached in marks_at_endings(scenario, max_states).items()}
    return {end: (max(r.percent for r in found), min(r.percent for r in found), any(r.passed for r in found))
            for end, found in scores.items()}
