"""Every loop of a call must bring it closer to an end (issue 12, item 24). Pure.

A loop is fine when going round it changes the call's variables toward a way out: patience that drops
each round until a branch ends the call, or a counter that reaches its limit. It is not when a learner
can come back to the same turn with the same variables: then nothing stops them going round forever
(the issue's call of 1,000 turns).

The check walks the call's states, a turn and the variables there (what a reply, a typed reply with or
without its key phrases, or a timeout can lead to), each once. A state reached again on the way from
itself is a loop that does not progress; more states than ``MAX_STATES`` mean variables that can grow
without limit; and the longest call must fit ``engine.MAX_CALL_TURNS``.
"""

from dataclasses import dataclass

from flask_babel import gettext

from lms.calls.engine import MAX_CALL_TURNS, CallState, Scenario, ScenarioError, begin
from lms.calls.paths import next_states

MAX_STATES = 20000


@dataclass(frozen=True)
class LoopProblem:
    node: str
    message: str


def _key(state: CallState) -> tuple:
    return state.node, tuple(sorted(state.variables.items())), state.finished


def _compact(state: CallState) -> CallState:
    """The state without its transcript and marks: what decides where the call can go."""
    return CallState(state.node, state.variables, state.variant, [], [], state.finished, state.outcome)


class _Walk:
    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.colour: dict[tuple, int] = {}  # 1: on the way being walked, 2: every way from it walked
        self.longest: dict[tuple, int] = {}  # turns left at most, from the state to an end

    def children(self, state: CallState) -> list[tuple[tuple, CallState]]:
        return [(_key(after), _compact(after)) for after in next_states(self.scenario, state)]

    def run(self) -> LoopProblem | None:
        start = _compact(begin(self.scenario, 0, "0000"))
        frames: list[list] = [[_key(start), start, None]]
        while frames:
            key, state, children = frames[-1]
            if children is not None:  # every way from it is walked
                self.colour[key] = 2
                self.longest[key] = 1 + max(self.longest[k] for k, _s in children)
                frames.pop()
            elif self.colour.get(key) == 2 or state.finished:
                self.colour[key], self.longest[key] = 2, self.longest.get(key, 0)
                frames.pop()
            elif problem := self.open(frames[-1], key, state):
                return problem
            else:
                frames += [[k, s, None] for k, s in frames[-1][2] if k not in self.colour]
        if self.longest[_key(start)] > MAX_CALL_TURNS:
            return LoopProblem(self.scenario.start, gettext(
                "a call can last more than %(n)d turns of the agent; make it shorter", n=MAX_CALL_TURNS))
        return None

    def open(self, frame: list, key: tuple, state: CallState) -> LoopProblem | None:
        self.colour[key] = 1
        if len(self.colour) > MAX_STATES:
            return LoopProblem(state.node, gettext(
                "a learner can go round this loop without end: its variables keep changing but never lead out of it "
                "(leave the loop at a limit)"))
        frame[2] = children = self.children(state)
        for child_key, child in children:
            if self.colour.get(child_key) == 1:
                return LoopProblem(child.node, gettext(
                    "a learner can go round this loop forever: nothing in it brings the call closer to an end "
                    "(lower patience or count the rounds in a variable, and leave the loop at a limit)"))
        return None


def endless_loop(scenario: Scenario) -> LoopProblem | None:
    """Where a learner could keep the call going forever, or past the turn limit; None when every way ends."""
    try:
        return _Walk(scenario).run()
    except ScenarioError as exc:  # a move the engine refuses (e.g. an expression that cannot be evaluated)
        return LoopProblem(exc.where or scenario.start, exc.message)
