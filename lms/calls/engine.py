"""Simulated calls as a pure state machine: a compiled scenario and the learner's replies in, the call's
transcript, variables and marks out. No Flask, no database.

A scenario is a graph of nodes. Each node's kind (a ``Node`` subclass registered in lms.calls.nodes)
says how it plays: a customer's line is spoken and the call moves on by itself, an agent's turn waits
for the learner's reply (an option chosen or a reply typed, perhaps against a timer), an ending finishes
the call. What a reply or a line does (its ``Outcome``) marks rubric criteria met, missed or breached,
changes the call's variables and picks the branch by conditions on them.

Compiling and checking definitions: lms.calls.definition. Scoring: lms.calls.scoring. Every path
through a call: lms.calls.paths.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from lms.calls.expressions import Expr, evaluate

if TYPE_CHECKING:
    from lms.calls.checks import Checks

MARKS = ("met", "missed", "breached")
MAX_AUTOMATIC_STEPS = 200
# The most turns (replies and timeouts) one call may have. The importer refuses scenarios whose calls
# could last longer (lms.calls.loops); a call that reaches it all the same (a version saved before that
# check) ends there, cleanly, with this outcome, and is scored on what was said.
MAX_CALL_TURNS = 100
TURN_LIMIT = "turn_limit"
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class ScenarioError(ValueError):
    """A definition that cannot be played, or a move the call does not allow; ``where`` names the
    node or field."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(f"{where}: {message}" if where else message)
        self.message, self.where = message, where


class MissingReply(ScenarioError):
    """The learner sent nothing the turn can take; ``field`` names what it needs (option or text)."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Outcome:
    """What a reply, a timeout or a customer's line does: marks, variable changes, feedback and where
    the call goes (branches tried in order; the last has no condition)."""

    marks: tuple[tuple[str, str], ...] = ()
    sets: tuple[tuple[str, Expr], ...] = ()
    feedback: str = ""
    goto: tuple[tuple[Expr | None, str], ...] = ()

    def ways_on(self) -> list[tuple[str, "Outcome"]]:
        return [(target, self) for _condition, target in self.goto]


@dataclass(frozen=True)
class Timer:
    """A turn the learner must answer in time, like a ringing phone; ``timeout`` applies when they don't."""

    seconds: int
    rings: int
    timeout: Outcome


@dataclass(frozen=True)
class Reply:
    """What the learner sent at a turn: the option chosen or the text typed. The turn's kind takes what
    it needs and refuses what it cannot take."""

    option: int | None = None
    text: str | None = None


@dataclass(frozen=True)
class Node:
    """One node of a scenario. A subclass per kind owns its compiling from the definition, its checks,
    its ways on, how it plays and how the branch diagram draws it (lms.calls.nodes)."""

    # What most kinds have; a kind without one leaves it empty, so listing a node's texts, replies or
    # timer needs no question about its kind.
    id: str
    say: str = ""
    prompt: str = ""
    summary: str = ""
    options: tuple = ()  # the replies to choose from
    timer: Timer | None = None
    outcome: Outcome = Outcome()  # what happens when the node is left (its kind says when)

    kind: ClassVar[str] = ""  # its name in the registry of node kinds
    type: ClassVar[str] = ""  # how a definition writes it ("type: agent")
    waits: ClassVar[bool] = False  # the call waits here for the learner's reply
    ends_call: ClassVar[bool] = False
    free_text: ClassVar[bool] = False  # the learner types the reply
    turn_kind: ClassVar[str] = "choice"  # how a reply here is recorded (CallTurn.kind)
    pre_scored: ClassVar[bool] = False  # its marks are a first guess a trainer confirms in assessments
    partial: ClassVar[str] = ""  # the template that asks the learner for the reply

    # ---- compiling and checking (lms.calls.definition)

    @classmethod
    def claims(cls, raw: dict) -> bool:
        """Whether this kind reads the definition (for kinds that share a ``type``)."""
        return True

    @classmethod
    def compile(cls, raw: dict, nid: str, where: str) -> "Node":
        raise NotImplementedError

    def texts(self) -> list[str]:
        """Every text shown to the learner (their {placeholders} must be in every variant)."""
        return [self.say, self.prompt, self.summary] + [option.say for option in self.options]

    def check(self, checks: "Checks", where: str) -> None:
        checks.texts(self.texts(), where)
        self.check_parts(checks, where)
        if self.timer:
            checks.outcome(self.timer.timeout, where + " timeout")
        checks.outcome(self.outcome, where)

    def check_parts(self, checks: "Checks", where: str) -> None:
        """The checks of what only this kind has (options, phrase matchers…)."""

    def successors(self) -> list[tuple[str, Outcome]]:
        """(target, outcome) for every way out of the node."""
        return self.outcome.ways_on()

    # ---- playing

    def arrive(self, state: "CallState") -> str | None:
        """The call reaches this node: the next node to go to at once, or None when the call waits or ends."""
        raise NotImplementedError

    def reply(self, state: "CallState", reply: Reply) -> tuple["Event", Outcome]:
        """The transcript line of the learner's reply here and what it does."""
        raise ScenarioError("there is no such reply here")

    def replies_to_explore(self, variant: dict) -> Iterable[Reply]:
        """One reply for each different thing a reply can do here, for the call's customer (walking every path)."""
        return ()

    # ---- the branch diagram (lms.calls.diagram)

    colours: ClassVar[tuple[str, str]] = ("#f1f3f5", "#4a5868")  # fill, stroke
    label: ClassVar[object] = ""  # what the diagram calls the kind (a lazy translation)

    def diagram_text(self, variant: dict) -> str:
        return fill(self.say or self.prompt, variant)

    def diagram_look(self, extremes: dict[str, tuple[float, float, bool]]) -> tuple[str, str, str]:
        """Fill, stroke and subtitle of the node's box."""
        return (*self.colours, str(self.label))


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    weight: int
    standards: tuple[str, ...]
    critical: bool = False


@dataclass(frozen=True)
class Scenario:
    slug: str
    title: str
    category: str
    summary: str
    difficulty: int
    pass_mark: int
    variables: dict
    variants: tuple[dict, ...]
    rubric: tuple[Criterion, ...]
    start: str
    nodes: dict[str, Node]
    channel: str = "phone"  # lms.calls.channels: a phone call, or a written exercise (chat, social, email, sms)
    thread: dict = field(default_factory=dict)  # the channel's own texts (an e-mail's subject…)

    def criterion(self, cid: str) -> Criterion:
        return next(c for c in self.rubric if c.id == cid)


# ---------------------------------------------------------------- the call's state


@dataclass
class Event:
    """One line of the transcript."""

    kind: str  # customer | agent | narration | timeout | end
    node: str
    text: str = ""
    option: int | None = None
    marks: list = field(default_factory=list)  # [[criterion, mark]]
    feedback: str = ""
    mood: str = ""
    # Why a trainer should read this reply: the facts it lacks or gets wrong (lms.calls.nodes.typed), each
    # {criterion, fact, state, expected, found}; such a reply goes to review in any mode.
    review: list = field(default_factory=list)


@dataclass
class CallState:
    node: str
    variables: dict
    variant: dict
    events: list = field(default_factory=list)
    marks: list = field(default_factory=list)  # [[criterion, mark, event index]]
    finished: bool = False
    outcome: str = ""

    def as_dict(self) -> dict:
        return {"node": self.node, "variables": self.variables, "variant": self.variant, "events":
                [e.__dict__ for e in self.events], "marks": self.marks, "finished": self.finished,
                "outcome": self.outcome}

    @classmethod
    def from_dict(cls, data: dict) -> "CallState":
        return cls(data["node"], dict(data["variables"]), dict(data["variant"]),
                   [Event(**e) for e in data["events"]], [list(m) for m in data["marks"]], data["finished"],
                   data.get("outcome", ""))


def fill(text: str, variant: dict) -> str:
    """Replace {placeholders} from the variant; nothing else in the text is interpreted."""
    return PLACEHOLDER.sub(lambda m: str(variant.get(m.group(1), m.group(0))), text or "")


def apply_outcome(outcome: Outcome, state: CallState) -> tuple[str, list]:
    """Apply variable changes, then choose the branch. Returns (target, marks)."""
    values = dict(state.variables)
    for name, expr in outcome.sets:
        values[name] = evaluate(expr, state.variables)
    state.variables = values
    for condition, target in outcome.goto:
        if condition is None or evaluate(condition, state.variables) is True:
            return target, [list(m) for m in outcome.marks]
    raise ScenarioError("no branch applies")  # compiling makes the last branch unconditional


def record_marks(state: CallState, marks: list) -> None:
    """Note the marks against the transcript's last line."""
    index = len(state.events) - 1
    for cid, mark in marks:
        state.marks.append([cid, mark, index])


# ---------------------------------------------------------------- playing


def _advance(scenario: Scenario, state: CallState, target: str) -> None:
    """Follow the nodes that play by themselves until the call waits for the agent or ends."""
    for _ in range(MAX_AUTOMATIC_STEPS):
        state.node = target
        target = scenario.nodes[target].arrive(state)
        if target is None:
            return
    raise ScenarioError("the customer talks in circles: too many steps without the agent")


def begin(scenario: Scenario, variant_index: int, agent_id: str) -> CallState:
    """Start a call with one of the scenario's customers (variants); it runs until the agent's first turn."""
    variant = dict(scenario.variants[variant_index % len(scenario.variants)], agent_id=agent_id)
    state = CallState(scenario.start, dict(scenario.variables), variant)
    _advance(scenario, state, scenario.start)
    return state


def _turn(scenario: Scenario, state: CallState) -> Node:
    if state.finished:
        raise ScenarioError("the call has ended")
    return scenario.nodes[state.node]


def learner_turns(state: CallState) -> int:
    """How many turns the learner has taken (replies and timeouts)."""
    return sum(1 for event in state.events if event.kind in ("agent", "timeout"))


def _take(scenario: Scenario, state: CallState, event: Event, outcome: Outcome) -> Event:
    state.events.append(event)
    target, marks = apply_outcome(outcome, state)
    event.marks = marks
    record_marks(state, marks)
    _advance(scenario, state, target)
    if not state.finished and learner_turns(state) >= MAX_CALL_TURNS:
        state.events.append(Event("end", state.node))
        state.finished, state.outcome = True, TURN_LIMIT
    return event


def reply(scenario: Scenario, state: CallState, answer: Reply) -> Event:
    """The learner replies at the current turn; the turn's kind marks the reply and picks the way on."""
    node = _turn(scenario, state)
    event, outcome = node.reply(state, answer)
    return _take(scenario, state, event, outcome)


def choose_reply(scenario: Scenario, state: CallState, option: int) -> Event:
    """The learner chooses one of the turn's replies."""
    return reply(scenario, state, Reply(option=option))


def type_reply(scenario: Scenario, state: CallState, text: str) -> Event:
    """The learner types a reply; phrase matchers pre-score it for a trainer to confirm."""
    return reply(scenario, state, Reply(text=text))


def time_out(scenario: Scenario, state: CallState) -> Event:
    """The learner did not reply in time: the turn's timeout outcome applies."""
    node = _turn(scenario, state)
    if node.timer is None:
        raise ScenarioError("this turn has no timer")
    event = Event("timeout", node.id, feedback=fill(node.timer.timeout.feedback, state.variant))
    return _take(scenario, state, event, node.timer.timeout)
