"""Scenario definitions (the plain data of a YAML file) compiled into an engine.Scenario, and validated
as a graph. Each node is read and checked by its kind (lms.calls.nodes); this module does what belongs
to the scenario as a whole: its fields and rubric, and that every node can be reached and every path
can end. Errors name the node or field (lms.calls.loader adds the file and line)."""

from flask_babel import gettext

from lms.calls.channels import CHANNELS, channel_named
from lms.calls.checks import Checks
from lms.calls.conduct import conduct_problems
from lms.calls.engine import Criterion, Node, Scenario, ScenarioError
from lms.calls.loops import endless_loop
from lms.calls.nodes import kind_for, node_types
from lms.calls.outcomes import compile_strings

REQUIRED = ("slug", "title", "category", "rubric", "start", "nodes")
DEFAULT_PASS_MARK, DEFAULT_DIFFICULTY = 70, 2
CATEGORIES = ("inquiry", "technical", "service", "suggestion", "complaint", "crisis", "transfer", "privacy",
              "etiquette")


# ---------------------------------------------------------------- compiling


def _whole(value, low: int, high: int) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high


def _check_fields(data: dict) -> None:
    for key in REQUIRED:
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
    _check_channel(data)


def _check_channel(data: dict) -> None:
    channel = data.get("channel", "phone")
    if not isinstance(channel, str) or channel not in CHANNELS:
        raise ScenarioError(gettext("must be one of %(values)s", values=", ".join(CHANNELS)), "channel")
    if problem := CHANNELS[channel].check_thread(data.get("thread") or {}):
        raise ScenarioError(problem, "thread")


def _criterion(item) -> Criterion:
    where = f"rubric {item.get('id', '?') if isinstance(item, dict) else '?'}"
    if not isinstance(item, dict) or not item.get("id") or not item.get("title"):
        raise ScenarioError(gettext("each criterion needs id, title, weight and standards"), where)
    if not _whole(item.get("weight"), 1, 100):
        raise ScenarioError(gettext("weight must be a whole number from 1 to 100"), where)
    return Criterion(str(item["id"]), str(item["title"]), item["weight"], compile_strings(item.get("standards"), where),
                     bool(item.get("critical", False)))


def _node(raw, nodes: dict[str, Node]) -> Node:
    if not isinstance(raw, dict) or not raw.get("id"):
        raise ScenarioError(gettext("each node needs an id"), "nodes")
    nid = str(raw["id"])
    where = f"node {nid}"
    if nid in nodes:
        raise ScenarioError(gettext("two nodes have this id"), where)
    kind = kind_for(raw)
    if kind is None:
        raise ScenarioError(gettext("type must be one of %(values)s", values=", ".join(node_types())), where)
    return kind.compile(raw, nid, where)


def _nodes(raw_nodes) -> dict[str, Node]:
    if not isinstance(raw_nodes, list) or not raw_nodes:
        raise ScenarioError(gettext("nodes is a list"), "nodes")
    nodes: dict[str, Node] = {}
    for raw in raw_nodes:
        node = _node(raw, nodes)
        nodes[node.id] = node
    return nodes


def compile_scenario(data: dict) -> Scenario:
    """Build a Scenario from its plain definition; raise ScenarioError naming the node and field."""
    _check_fields(data)
    rubric = tuple(_criterion(item) for item in data["rubric"])
    if not rubric:
        raise ScenarioError(gettext("a scenario needs a rubric"), "rubric")
    nodes = _nodes(data["nodes"])
    pass_mark = data.get("pass_mark", DEFAULT_PASS_MARK)
    if not _whole(pass_mark, 0, 100):
        raise ScenarioError(gettext("pass_mark must be 0–100"), "pass_mark")
    difficulty = data.get("difficulty", DEFAULT_DIFFICULTY)
    if isinstance(difficulty, bool) or difficulty not in (1, 2, 3):
        raise ScenarioError(gettext("difficulty is 1, 2 or 3"), "difficulty")
    return Scenario(str(data["slug"]), str(data["title"]), data["category"], str(data.get("summary") or ""),
                    difficulty, pass_mark, dict(data.get("variables") or {}), tuple(data.get("variants") or [{}]),
                    rubric, str(data["start"]), nodes, data.get("channel", "phone"), dict(data.get("thread") or {}))


# ---------------------------------------------------------------- validating


def _check_rubric(scenario: Scenario, known_items: set[str] | None, checks: Checks) -> None:
    if len(checks.criteria) != len(scenario.rubric):
        checks.error(gettext("two criteria have the same id"), "rubric")
    if known_items is None:
        return
    for c in scenario.rubric:
        for code in c.standards:
            if code not in known_items:
                checks.error(gettext("cites unknown standard item %(code)s", code=code), f"rubric {c.id}")
        if not c.standards:
            checks.error(gettext("cite at least one standard item"), f"rubric {c.id}")


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, stack = set(), [start]
    while stack:
        nid = stack.pop()
        if nid not in seen:
            seen.add(nid)
            stack += graph[nid]
    return seen


def _can_end(scenario: Scenario, graph: dict[str, set[str]]) -> set[str]:
    """The nodes from which some way leads to an ending."""
    can_end = {nid for nid, node in scenario.nodes.items() if node.ends_call}
    changed = True
    while changed:
        changed = False
        for nid, targets in graph.items():
            if nid not in can_end and targets & can_end:
                can_end.add(nid)
                changed = True
    return can_end


def _circle_without_agent(scenario: Scenario, graph: dict[str, set[str]]) -> str | None:
    """A node on a loop of nodes that play by themselves (the customer talking in a circle), if any."""
    automatic = {nid for nid, node in scenario.nodes.items() if not node.waits and not node.ends_call}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(nid: str) -> str | None:
        state[nid] = 1
        for target in graph[nid] & automatic:
            if state.get(target) == 1:
                return target
            if target not in state and (found := visit(target)):
                return found
        state[nid] = 2
        return None

    return next((found for nid in sorted(automatic) if nid not in state and (found := visit(nid))), None)


def _check_graph(scenario: Scenario, checks: Checks) -> None:
    # Reachability and the way out, on the graph of nodes (conditions may only narrow it).
    graph = {nid: {t for t, _o in node.successors()} for nid, node in scenario.nodes.items()}
    seen = _reachable(graph, scenario.start)
    for nid in scenario.nodes:
        if nid not in seen:
            checks.error(gettext("unreachable: no path from the start leads here"), f"node {nid}")
    for nid in seen - _can_end(scenario, graph):
        checks.error(gettext("a loop with no way out to an end"), f"node {nid}")
    # The customer may not talk in a circle: every loop must pass through a turn of the agent.
    if found := _circle_without_agent(scenario, graph):
        checks.error(gettext("the customer talks in a circle: this loop has no agent turn"), f"node {found}")
    # Every loop must progress toward an ending (patience that drops, a counter with a limit).
    elif not checks.errors and (loop := endless_loop(scenario)):
        checks.error(loop.message, f"node {loop.node}")


def validate(scenario: Scenario, known_items: set[str] | None = None) -> list[ScenarioError]:
    """Refuse what would break a call: unknown targets, dead ends, unreachable nodes, loops that can
    never reach an end or that a learner can go round forever, marks of unknown criteria, unknown variables and standard items;
    and endings that do not follow the conduct (lms.calls.conduct)."""
    checks = Checks(scenario)
    _check_rubric(scenario, known_items, checks)
    if scenario.start not in scenario.nodes:
        checks.error(gettext("start node %(node)s does not exist", node=scenario.start), "start")
        return checks.errors
    checks.texts(list(scenario.thread.values()), "thread")
    channel = channel_named(scenario.channel)
    for node in scenario.nodes.values():
        where = f"node {node.id}"
        node.check(checks, where)
        if node.timer and node.timer.rings and not channel.rings:
            checks.error(gettext("a timer rings only on a phone call; leave out rings"), where + " timer")
        if not node.ends_call and not node.successors():
            checks.error(gettext("dead end: no way on from here"), where)
    if not checks.errors:
        _check_graph(scenario, checks)
    if not checks.errors:
        checks.errors += conduct_problems(scenario)
    return checks.errors
