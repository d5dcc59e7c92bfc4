"""Simulated calls as a pure state machine: definitions in, states and scores out. No Flask, no database.

A scenario is a graph of nodes. ``customer`` nodes speak and move on by themselves; ``agent`` nodes
wait for the learner (a choice among replies, or a free-text reply, perhaps against a timer); ``end``
nodes finish the call. Replies mark rubric criteria met, missed or breached and change the call's
variables; conditions on the variables pick the branches.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from flask_babel import gettext
from opencc import OpenCC

from lms.calls.expressions import Expr, ExpressionError, evaluate, parse

MARKS = ("met", "missed", "breached")
RANK = {"breached": 0, "missed": 1, "met": 2}
NODE_TYPES = ("agent", "customer", "end")
MOODS = ("calm", "anxious", "annoyed", "angry", "relieved", "satisfied")
OUTCOMES = ("resolved", "callback", "transferred", "escalated", "hung_up")
CATEGORIES = ("inquiry", "technical", "service", "suggestion", "complaint", "crisis", "transfer", "privacy",
              "etiquette")
MAX_AUTOMATIC_STEPS = 200
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class ScenarioError(ValueError):
    def __init__(self, message: str, where: str = ""):
        super().__init__(f"{where}: {message}" if where else message)
        self.message, self.where = message, where


@dataclass(frozen=True)
class Outcome:
    """What a reply (or a timeout) does: marks, variable changes, feedback and where the call goes."""

    marks: tuple[tuple[str, str], ...] = ()
    sets: tuple[tuple[str, Expr], ...] = ()
    feedback: str = ""
    goto: tuple[tuple[Expr | None, str], ...] = ()


@dataclass(frozen=True)
class Option:
    index: int
    say: str
    outcome: Outcome


@dataclass(frozen=True)
class Matcher:
    criterion: str
    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    sets: tuple[tuple[str, Expr], ...] = ()


@dataclass(frozen=True)
class Timer:
    seconds: int
    rings: int
    timeout: Outcome


@dataclass(frozen=True)
class Node:
    id: str
    type: str
    say: str = ""
    prompt: str = ""
    mood: str = ""
    options: tuple[Option, ...] = ()
    matchers: tuple[Matcher, ...] = ()
    free_text: bool = False
    placeholder: str = ""
    timer: Timer | None = None
    outcome: Outcome = Outcome()  # customer nodes: sets and goto; free-text nodes: goto
    end_outcome: str = ""
    summary: str = ""


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
    nodes: dict

    def criterion(self, cid: str) -> Criterion:
        return next(c for c in self.rubric if c.id == cid)


# ---------------------------------------------------------------- compiling definitions


def _expr(value, where: str) -> Expr:
    try:
        return parse(value)
    except ExpressionError as exc:
        raise ScenarioError(gettext("bad expression %(expression)s: %(problem)s", expression=repr(value), problem=exc), where) from None


def _outcome(data: dict, where: str, goto_required: bool = True) -> Outcome:
    marks = data.get("marks") or {}
    if not isinstance(marks, dict):
        raise ScenarioError(gettext("marks must map criteria to met, missed or breached"), where)
    for cid, mark in marks.items():
        if mark not in MARKS:
            raise ScenarioError(gettext("mark for %(criterion)s must be met, missed or breached", criterion=cid), where)
    sets = data.get("set") or {}
    if not isinstance(sets, dict):
        raise ScenarioError(gettext("set must map variables to expressions"), where)
    goto = data.get("goto")
    if goto is None:
        if goto_required:
            raise ScenarioError(gettext("goto is missing: where does the call go next?"), where)
        branches = ()
    elif isinstance(goto, str):
        branches = ((None, goto),)
    elif isinstance(goto, list) and goto:
        items = []
        for index, branch in enumerate(goto):
            if not isinstance(branch, dict) or "to" not in branch or set(branch) - {"if", "to"}:
                raise ScenarioError(gettext("each branch is {if: condition, to: node}; the last has no if"), where)
            condition = _expr(branch["if"], where) if "if" in branch else None
            if condition is None and index != len(goto) - 1:
                raise ScenarioError(gettext("only the last branch may have no condition"), where)
            items.append((condition, str(branch["to"])))
        if items[-1][0] is not None:
            raise ScenarioError(gettext("the last branch must have no condition, so the call always goes on"), where)
        branches = tuple(items)
    else:
        raise ScenarioError(gettext("goto is a node id or a list of branches"), where)
    return Outcome(tuple((str(k), str(v)) for k, v in marks.items()),
                   tuple((str(k), _expr(v, where)) for k, v in sets.items()),
                   str(data.get("feedback") or ""), branches)


def _strings(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ScenarioError(gettext("phrases are a list of words"), where)
    return tuple(str(v) for v in value if str(v).strip())


def compile_scenario(data: dict) -> Scenario:
    """Build a Scenario from its plain definition; raise ScenarioError naming the node and field."""
    for key in ("slug", "title", "category", "rubric", "start", "nodes"):
        if key not in data:
            raise ScenarioError(gettext("%(field)s is required", field=key), key)
    if data["category"] not in CATEGORIES:
        raise ScenarioError(gettext("must be one of %(values)s", values=", ".join(CATEGORIES)), "category")
    variables = data.get("variables") or {}
    if not isinstance(variables, dict) or not all(isinstance(v, bool | int) for v in variables.values()):
        raise ScenarioError(gettext("variables hold whole numbers or true/false"), "variables")
    variants = data.get("variants") or [{}]
    if not isinstance(variants, list) or not all(isinstance(v, dict) for v in variants):
        raise ScenarioError(gettext("variants is a list of mappings"), "variants")
    if not isinstance(data["rubric"], list):
        raise ScenarioError(gettext("rubric is a list of criteria"), "rubric")
    if not isinstance(data["start"], str):
        raise ScenarioError(gettext("start names the first node"), "start")
    rubric = []
    for item in data["rubric"]:
        where = f"rubric {item.get('id', '?') if isinstance(item, dict) else '?'}"
        if not isinstance(item, dict) or not item.get("id") or not item.get("title"):
            raise ScenarioError(gettext("each criterion needs id, title, weight and standards"), where)
        weight = item.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, int) or not 0 < weight <= 100:
            raise ScenarioError(gettext("weight must be a whole number from 1 to 100"), where)
        rubric.append(Criterion(str(item["id"]), str(item["title"]), weight, _strings(item.get("standards"), where),
                                bool(item.get("critical", False))))
    if not rubric:
        raise ScenarioError(gettext("a scenario needs a rubric"), "rubric")
    nodes = {}
    raw_nodes = data["nodes"]
    if not isinstance(raw_nodes, list) or not raw_nodes:
        raise ScenarioError(gettext("nodes is a list"), "nodes")
    for raw in raw_nodes:
        if not isinstance(raw, dict) or not raw.get("id"):
            raise ScenarioError(gettext("each node needs an id"), "nodes")
        nid = str(raw["id"])
        where = f"node {nid}"
        if nid in nodes:
            raise ScenarioError(gettext("two nodes have this id"), where)
        ntype = raw.get("type")
        if ntype not in NODE_TYPES:
            raise ScenarioError(gettext("type must be agent, customer or end"), where)
        timer = None
        if raw.get("timer"):
            t = raw["timer"]
            seconds = t.get("seconds") if isinstance(t, dict) else None
            if isinstance(seconds, bool) or not isinstance(seconds, int) or not 1 <= seconds <= 600:
                raise ScenarioError(gettext("timer.seconds must be 1–600"), where)
            if not isinstance(t.get("timeout"), dict):
                raise ScenarioError(gettext("a timer needs a timeout with its goto"), where)
            rings = t.get("rings") or 0
            if isinstance(rings, bool) or not isinstance(rings, int) or not 0 <= rings <= 10:
                raise ScenarioError(gettext("timer.rings must be 0–10"), where)
            timer = Timer(seconds, rings, _outcome(t["timeout"], where + " timeout"))
        if ntype == "agent":
            options, matchers = (), ()
            free = raw.get("free_text")
            if raw.get("options") and free:
                raise ScenarioError(gettext("an agent node has options or free_text, not both"), where)
            if free:
                if not isinstance(free, dict) or not isinstance(free.get("criteria"), dict) or not free["criteria"] \
                        or not all(isinstance(m, dict) and isinstance(m.get("set") or {}, dict)
                                   for m in free["criteria"].values()):
                    raise ScenarioError(gettext("free_text needs criteria with phrase lists"), where)
                matchers = tuple(
                    Matcher(str(cid), _strings(m.get("any"), where), _strings(m.get("all"), where),
                            _strings(m.get("none"), where),
                            tuple((str(k), _expr(v, where)) for k, v in (m.get("set") or {}).items()))
                    for cid, m in free["criteria"].items())
                node = Node(nid, ntype, prompt=str(raw.get("prompt") or ""), matchers=matchers, free_text=True,
                            placeholder=str(free.get("placeholder") or ""), timer=timer,
                            outcome=_outcome({"goto": raw.get("goto")}, where))
            else:
                if not isinstance(raw.get("options"), list) or not raw["options"]:
                    raise ScenarioError(gettext("an agent node needs options (or free_text)"), where)
                options = tuple(Option(i, str(o.get("say", "")), _outcome(o, f"{where} option {i + 1}"))
                                for i, o in enumerate(raw["options"]) if isinstance(o, dict))
                if len(options) != len(raw["options"]) or any(not o.say.strip() for o in options):
                    raise ScenarioError(gettext("every option needs say"), where)
                node = Node(nid, ntype, prompt=str(raw.get("prompt") or ""), options=options, timer=timer)
        elif ntype == "customer":
            node = Node(nid, ntype, say=str(raw.get("say") or ""), mood=str(raw.get("mood") or ""),
                        prompt=str(raw.get("prompt") or ""), outcome=_outcome(raw, where))
            if not node.say.strip():
                raise ScenarioError(gettext("a customer node needs say"), where)
        else:
            outcome = raw.get("outcome")
            if outcome not in OUTCOMES:
                raise ScenarioError(gettext("outcome must be one of %(values)s", values=", ".join(OUTCOMES)), where)
            node = Node(nid, ntype, say=str(raw.get("say") or ""), end_outcome=outcome,
                        summary=str(raw.get("summary") or ""), outcome=_outcome(raw, where, goto_required=False))
        if node.mood and node.mood not in MOODS:
            raise ScenarioError(gettext("mood must be one of %(values)s", values=", ".join(MOODS)), where)
        nodes[nid] = node
    pass_mark = data.get("pass_mark", 70)
    if isinstance(pass_mark, bool) or not isinstance(pass_mark, int) or not 0 <= pass_mark <= 100:
        raise ScenarioError(gettext("pass_mark must be 0–100"), "pass_mark")
    difficulty = data.get("difficulty", 2)
    if isinstance(difficulty, bool) or difficulty not in (1, 2, 3):
        raise ScenarioError(gettext("difficulty is 1, 2 or 3"), "difficulty")
    return Scenario(str(data["slug"]), str(data["title"]), data["category"], str(data.get("summary") or ""),
                    difficulty, pass_mark, dict(variables), tuple(variants), tuple(rubric),
                    str(data["start"]), nodes)


# ---------------------------------------------------------------- validating the graph


def successors(node: Node) -> list[tuple[str, Outcome]]:
    """(target, outcome) for every way out of a node."""
    outs = []
    if node.type == "agent":
        for option in node.options:
            outs += [(target, option.outcome) for _c, target in option.outcome.goto]
        if node.free_text:
            outs += [(target, node.outcome) for _c, target in node.outcome.goto]
        if node.timer:
            outs += [(target, node.timer.timeout) for _c, target in node.timer.timeout.goto]
    elif node.type == "customer":
        outs += [(target, node.outcome) for _c, target in node.outcome.goto]
    return outs


def validate(scenario: Scenario, known_items: set[str] | None = None) -> list[ScenarioError]:
    """Refuse what would break a call: unknown targets, dead ends, unreachable nodes, loops that can
    never reach an end, marks of unknown criteria, unknown variables and standard items."""
    errors = []
    criteria = {c.id for c in scenario.rubric}
    if len(criteria) != len(scenario.rubric):
        errors.append(ScenarioError(gettext("two criteria have the same id"), "rubric"))
    if known_items is not None:
        for c in scenario.rubric:
            for code in c.standards:
                if code not in known_items:
                    errors.append(ScenarioError(gettext("cites unknown standard item %(code)s", code=code), f"rubric {c.id}"))
            if not c.standards:
                errors.append(ScenarioError(gettext("cite at least one standard item"), f"rubric {c.id}"))
    if scenario.start not in scenario.nodes:
        errors.append(ScenarioError(gettext("start node %(node)s does not exist", node=scenario.start), "start"))
        return errors
    variables = set(scenario.variables)
    placeholders = set().union(*(set(v) for v in scenario.variants)) | {"agent_id"}

    def check_outcome(outcome: Outcome, where: str):
        for cid, _mark in outcome.marks:
            if cid not in criteria:
                errors.append(ScenarioError(gettext("marks unknown criterion %(criterion)s", criterion=cid), where))
        for name, expr in outcome.sets:
            if name not in variables:
                errors.append(ScenarioError(gettext("sets undeclared variable %(name)s", name=name), where))
            for used in expr.names() - variables:
                errors.append(ScenarioError(gettext("uses undeclared variable %(name)s", name=used), where))
        for condition, target in outcome.goto:
            if target not in scenario.nodes:
                errors.append(ScenarioError(gettext("goes to unknown node %(node)s", node=target), where))
            for used in (condition.names() if condition else set()) - variables:
                errors.append(ScenarioError(gettext("uses undeclared variable %(name)s", name=used), where))

    for node in scenario.nodes.values():
        where = f"node {node.id}"
        texts = [node.say, node.prompt, node.summary] + [o.say for o in node.options]
        for text in texts:
            for name in PLACEHOLDER.findall(text):
                if name not in placeholders:
                    errors.append(ScenarioError(gettext("{%(name)s} is in no variant", name=name), where))
        for option in node.options:
            check_outcome(option.outcome, f"{where} option {option.index + 1}")
        for matcher in node.matchers:
            if matcher.criterion not in criteria:
                errors.append(ScenarioError(gettext("matches unknown criterion %(criterion)s", criterion=matcher.criterion), where))
            if not (matcher.any or matcher.all or matcher.none):
                errors.append(ScenarioError(gettext("criterion %(criterion)s has no phrases", criterion=matcher.criterion), where))
            check_outcome(Outcome(sets=matcher.sets), where)
        if node.timer:
            check_outcome(node.timer.timeout, where + " timeout")
        if node.type != "agent" or node.free_text:
            check_outcome(node.outcome, where)
        if node.type != "end" and not successors(node):
            errors.append(ScenarioError(gettext("dead end: no way on from here"), where))
    if errors:
        return errors
    # Reachability and the way out, on the graph of nodes (conditions may only narrow it).
    graph = {nid: {t for t, _o in successors(node)} for nid, node in scenario.nodes.items()}
    seen, stack = set(), [scenario.start]
    while stack:
        nid = stack.pop()
        if nid not in seen:
            seen.add(nid)
            stack += graph[nid]
    for nid in scenario.nodes:
        if nid not in seen:
            errors.append(ScenarioError(gettext("unreachable: no path from the start leads here"), f"node {nid}"))
    ends = {nid for nid, node in scenario.nodes.items() if node.type == "end"}
    can_end = set(ends)
    changed = True
    while changed:
        changed = False
        for nid, targets in graph.items():
            if nid not in can_end and targets & can_end:
                can_end.add(nid)
                changed = True
    for nid in seen - can_end:
        errors.append(ScenarioError(gettext("a loop with no way out to an end"), f"node {nid}"))
    # The customer may not talk in a circle: every loop must pass through a turn of the agent.
    customer = {nid for nid, node in scenario.nodes.items() if node.type == "customer"}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(nid: str) -> str | None:
        state[nid] = 1
        for target in graph[nid] & customer:
            if state.get(target) == 1:
                return target
            if target not in state and (found := visit(target)):
                return found
        state[nid] = 2
        return None

    for nid in sorted(customer):
        if nid not in state and (found := visit(nid)):
            errors.append(ScenarioError(gettext("the customer talks in a circle: this loop has no agent turn"),
                                        f"node {found}"))
            break
    return errors


# ---------------------------------------------------------------- playing


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


def _apply(outcome: Outcome, state: CallState) -> tuple[str, list]:
    """Apply marks and variable changes, then choose the branch. Returns (target, marks)."""
    values = dict(state.variables)
    for name, expr in outcome.sets:
        values[name] = evaluate(expr, state.variables)
    state.variables = values
    for condition, target in outcome.goto:
        if condition is None or evaluate(condition, state.variables) is True:
            return target, [list(m) for m in outcome.marks]
    raise ScenarioError("no branch applies")  # compile_scenario makes the last branch unconditional


def _advance(scenario: Scenario, state: CallState, target: str) -> None:
    """Follow customer nodes until the call waits for the agent or ends."""
    for _ in range(MAX_AUTOMATIC_STEPS):
        node = scenario.nodes[target]
        state.node = target
        if node.type == "agent":
            if node.prompt:
                state.events.append(Event("narration", node.id, fill(node.prompt, state.variant)))
            return
        if node.type == "end":
            if node.say:
                state.events.append(Event("customer", node.id, fill(node.say, state.variant), mood=node.mood))
            state.events.append(Event("end", node.id, fill(node.summary, state.variant)))
            state.finished, state.outcome = True, node.end_outcome
            return
        state.events.append(Event("customer", node.id, fill(node.say, state.variant), mood=node.mood))
        target, marks = _apply(node.outcome, state)
        _record_marks(state, marks)
    raise ScenarioError("the customer talks in circles: too many steps without the agent")


def _record_marks(state: CallState, marks: list) -> None:
    index = len(state.events) - 1
    for cid, mark in marks:
        state.marks.append([cid, mark, index])


def begin(scenario: Scenario, variant_index: int, agent_id: str) -> CallState:
    variant = dict(scenario.variants[variant_index % len(scenario.variants)], agent_id=agent_id)
    state = CallState(scenario.start, dict(scenario.variables), variant)
    _advance(scenario, state, scenario.start)
    return state


def _agent_node(scenario: Scenario, state: CallState) -> Node:
    if state.finished:
        raise ScenarioError("the call has ended")
    return scenario.nodes[state.node]


def choose(scenario: Scenario, state: CallState, option_index: int) -> Event:
    """The learner picks a reply at the current agent node."""
    node = _agent_node(scenario, state)
    if node.free_text or not 0 <= option_index < len(node.options):
        raise ScenarioError("there is no such reply here")
    option = node.options[option_index]
    event = Event("agent", node.id, fill(option.say, state.variant), option=option_index,
                  feedback=fill(option.outcome.feedback, state.variant))
    state.events.append(event)
    target, marks = _apply(option.outcome, state)
    event.marks = marks
    _record_marks(state, marks)
    _advance(scenario, state, target)
    return event


@lru_cache(maxsize=1)
def _t2s():
    return OpenCC("t2s")


def normalise_phrase(text: str) -> str:
    text = _t2s().convert(unicodedata.normalize("NFKC", text or "")).casefold()
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch)[0] in "PS"))


def match_free_text(node: Node, text: str) -> list[tuple[str, str, tuple]]:
    """(criterion, mark, variable changes) for a free-text reply, by the node's phrase matchers."""
    said = normalise_phrase(text)
    results = []
    for matcher in node.matchers:
        if matcher.none and any(normalise_phrase(p) in said for p in matcher.none if normalise_phrase(p)):
            results.append((matcher.criterion, "breached", ()))
            continue
        if matcher.any or matcher.all:
            ok = (not matcher.any or any(normalise_phrase(p) in said for p in matcher.any)) and \
                 (not matcher.all or all(normalise_phrase(p) in said for p in matcher.all))
            results.append((matcher.criterion, "met" if ok else "missed", matcher.sets if ok else ()))
        else:
            results.append((matcher.criterion, "met", matcher.sets))
    return results


def say(scenario: Scenario, state: CallState, text: str) -> Event:
    """The learner types a reply at a free-text node; matchers pre-score it for a trainer to confirm."""
    node = _agent_node(scenario, state)
    if not node.free_text:
        raise ScenarioError("this turn expects a choice of reply")
    text = (text or "").strip()[:2000]
    matches = match_free_text(node, text)
    sets = tuple(s for _c, _m, changes in matches for s in changes)
    event = Event("agent", node.id, text, marks=[[c, m] for c, m, _s in matches])
    state.events.append(event)
    target, _marks = _apply(Outcome(sets=sets, goto=node.outcome.goto), state)
    _record_marks(state, event.marks)
    _advance(scenario, state, target)
    return event


def time_out(scenario: Scenario, state: CallState) -> Event:
    """The learner did not answer in time: the node's timeout outcome applies."""
    node = _agent_node(scenario, state)
    if node.timer is None:
        raise ScenarioError("this turn has no timer")
    event = Event("timeout", node.id, feedback=fill(node.timer.timeout.feedback, state.variant))
    state.events.append(event)
    target, marks = _apply(node.timer.timeout, state)
    event.marks = marks
    _record_marks(state, marks)
    _advance(scenario, state, target)
    return event


# ---------------------------------------------------------------- scoring


@dataclass
class CriterionResult:
    criterion: Criterion
    status: str | None  # met | missed | breached | None (not assessed)

    @property
    def points(self) -> int:
        return self.criterion.weight if self.status == "met" else 0


@dataclass
class ScoreResult:
    criteria: list[CriterionResult]
    points: int
    possible: int
    percent: float
    critical_failed: list[str]
    passed: bool


def score(scenario: Scenario, marks: list) -> ScoreResult:
    """Each criterion takes its worst mark on the call; the score is the weight met over the weight
    assessed. A breached (or missed) critical criterion fails the call whatever the score."""
    worst: dict[str, str] = {}
    for cid, mark, *_ in marks:
        if cid not in worst or RANK[mark] < RANK[worst[cid]]:
            worst[cid] = mark
    results = [CriterionResult(c, worst.get(c.id)) for c in scenario.rubric]
    assessed = [r for r in results if r.status is not None]
    points = sum(r.points for r in assessed)
    possible = sum(r.criterion.weight for r in assessed)
    percent = round(100 * points / possible, 1) if possible else 0.0
    critical = [r.criterion.id for r in assessed if r.criterion.critical and r.status != "met"]
    return ScoreResult(results, points, possible, percent, critical, percent >= scenario.pass_mark and not critical)


# ---------------------------------------------------------------- exploring every path


@dataclass
class PathSummary:
    nodes: list[str]
    outcome: str
    score: ScoreResult
    agent_turns: int


def walk_paths(scenario: Scenario, limit: int = 20000) -> list[PathSummary]:
    """Every complete path through the call (every reply, every timeout), with its score."""
    results: list[PathSummary] = []
    start = begin(scenario, 0, "0000")

    def clone(state: CallState) -> CallState:
        return CallState.from_dict(state.as_dict())

    stack = [(start, [start.node], 0)]
    while stack and len(results) < limit:
        state, nodes, turns = stack.pop()
        if state.finished:
            results.append(PathSummary(nodes, state.outcome, score(scenario, state.marks), turns))
            continue
        if turns > 60:
            continue
        node = scenario.nodes[state.node]
        moves = [("choose", i) for i in range(len(node.options))]
        if node.free_text:
            moves += [("say", "all"), ("say", "")]
        if node.timer:
            moves.append(("timeout", None))
        for kind, arg in moves:
            nxt = clone(state)
            if kind == "choose":
                choose(scenario, nxt, arg)
            elif kind == "timeout":
                time_out(scenario, nxt)
            else:
                phrases = [p for m in node.matchers for p in (m.any[:1] + m.all)] if arg == "all" else []
                say(scenario, nxt, " ".join(phrases))
            stack.append((nxt, nodes + [nxt.node], turns + 1))
    return results


def end_extremes(scenario: Scenario, max_states: int = 200000) -> dict[str, tuple[float, float, bool]]:
    """For every end node: the best and worst score of the paths that reach it, and whether any of
    them passes. Explores every distinct (node, variables, worst marks so far) state once, so it is
    exact without listing each path."""
    results: dict[str, list[ScoreResult]] = {}
    seen: set = set()
    start = begin(scenario, 0, "0000")
    stack = [start]
    while stack:
        if len(seen) > max_states:
            break
        state = stack.pop()
        worst: dict[str, str] = {}
        for cid, mark, *_ in state.marks:
            if cid not in worst or RANK[mark] < RANK[worst[cid]]:
                worst[cid] = mark
        key = (state.node, tuple(sorted(state.variables.items())), tuple(sorted(worst.items())), state.finished)
        if key in seen:
            continue
        seen.add(key)
        if state.finished:
            results.setdefault(state.node, []).append(score(scenario, [[c, m] for c, m in worst.items()]))
            continue
        node = scenario.nodes[state.node]
        compact = CallState(state.node, state.variables, state.variant, [], [[c, m, 0] for c, m in worst.items()])
        moves = [("choose", i) for i in range(len(node.options))]
        if node.free_text:
            moves += [("say", "all"), ("say", "")]
        if node.timer:
            moves.append(("timeout", None))
        for kind, arg in moves:
            nxt = CallState.from_dict(compact.as_dict())
            if kind == "choose":
                choose(scenario, nxt, arg)
            elif kind == "timeout":
                time_out(scenario, nxt)
            else:
                phrases = [p for m in node.matchers for p in (m.any[:1] + m.all)] if arg == "all" else []
                say(scenario, nxt, " ".join(phrases))
            stack.append(nxt)
    return {end: (max(r.percent for r in scores), min(r.percent for r in scores), any(r.passed for r in scores))
            for end, scores in results.items()}
