"""The call builder's pure core: a scenario's plain definition as the graph the builder draws, and the
validator's findings put into words and pinned to their node. The builder edits the definition (the plain
data of the YAML file; edits in lms.calls.builder_edits), never the text; lms.calls.builder_yaml writes
it back."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from lms.calls.loader import check_definition

KINDS = ("customer", "choice", "typed", "end")
KIND_WORDS = {"customer": _l("Customer"), "choice": _l("Agent"), "typed": _l("Agent"), "end": _l("Ending")}


def node_kind(raw) -> str:
    """customer | choice | typed | end, or "" for an entry the builder does not know (kept as it is)."""
    if not isinstance(raw, dict):
        return ""
    if raw.get("type") in ("customer", "end"):
        return raw["type"]
    if raw.get("type") == "agent":
        return "typed" if raw.get("free_text") else "choice"
    return ""


def branches(goto) -> list[tuple[str, str]]:
    """A ``goto`` as (condition, target) rows; the condition of the last (the otherwise) is ""."""
    if isinstance(goto, str):
        return [("", goto)]
    if not isinstance(goto, list):
        return []
    return [(str(b.get("if", "")), str(b.get("to", ""))) for b in goto if isinstance(b, dict)]


def ways_on(raw: dict) -> list[tuple[str, str, str]]:
    """(target, what leads there, condition) for every way on from a node entry, in the entry's order."""
    ways = []
    for index, option in enumerate(raw.get("options") or []):
        if isinstance(option, dict):
            ways += [(target, f"option {index + 1}", cond) for cond, target in branches(option.get("goto"))]
    ways += [(target, "goto", cond) for cond, target in branches(raw.get("goto"))]
    timer = raw.get("timer")
    if isinstance(timer, dict) and isinstance(timer.get("timeout"), dict):
        ways += [(target, "timeout", cond) for cond, target in branches(timer["timeout"].get("goto"))]
    return ways


def _node_text(raw: dict, kind: str) -> str:
    if kind in ("customer", "end"):
        return str(raw.get("say") or raw.get("summary") or "")
    if kind == "typed":
        return str(raw.get("prompt") or (raw.get("free_text") or {}).get("placeholder") or "")
    options = [o for o in raw.get("options") or [] if isinstance(o, dict)]
    return str(raw.get("prompt") or (options[0].get("say") if options else "") or "")


def node_words(raw: dict) -> str:
    """A node in words, for lists a person picks from: who speaks and the start of what is said."""
    kind = node_kind(raw)
    text = _node_text(raw, kind) if kind else ""
    short = f"{text[:24]}…" if len(text) > 24 else text
    return gettext("%(who)s: %(text)s", who=KIND_WORDS.get(kind, gettext("Other node")), text=short or "…")


def graph(definition: dict) -> dict:
    """The nodes and arrows the builder draws (cytoscape's elements): each node with its kind and a short
    text, each arrow with what leads along it; arrows to nodes that do not exist are left to the validator."""
    nodes_in = definition.get("nodes") if isinstance(definition.get("nodes"), list) else []
    raw_nodes = list({str(n["id"]): n for n in reversed(nodes_in) if isinstance(n, dict) and n.get("id")}.values())
    raw_nodes.reverse()  # one box per name (two nodes of one name are the validator's to report)
    ids = {str(n["id"]) for n in raw_nodes}
    nodes, edges = [], []
    for raw in raw_nodes:
        nid, kind = str(raw["id"]), node_kind(raw)
        text = _node_text(raw, kind)
        nodes.append({"data": {"id": nid, "kind": kind or "other", "start": nid == definition.get("start"),
                               "words": node_words(raw),
                               "label": f"{nid}\n{text[:16]}{'…' if len(text) > 16 else ''}"}})
        for index, (target, via, condition) in enumerate(ways_on(raw)):
            if target in ids:
                edges.append({"data": {"id": f"{nid}→{index}", "source": nid, "target": target,
                                       "via": via, "label": _via_words(via, condition)}})
    return {"nodes": nodes, "edges": edges}


def _via_words(via: str, condition: str) -> str:
    words = {"goto": "", "timeout": gettext("time out")}.get(via)
    if words is None:
        words = gettext("reply %(n)s", n=via.split(" ")[1])
    if not condition:
        return words
    when = gettext("if %(condition)s", condition=condition)
    return gettext("%(way)s, %(condition)s", way=words, condition=when) if words else when


# ---------------------------------------------------------------- the validator's findings in words

FIELD_WORDS = {
    "slug": lambda: gettext("the scenario's address"), "title": lambda: gettext("the title"),
    "category": lambda: gettext("the kind of call"), "rubric": lambda: gettext("the rubric"),
    "start": lambda: gettext("the start"), "nodes": lambda: gettext("the nodes"),
    "variables": lambda: gettext("the variables"), "variants": lambda: gettext("the customers (variants)"),
    "pass_mark": lambda: gettext("the pass mark"), "difficulty": lambda: gettext("the difficulty"),
    "channel": lambda: gettext("the channel"), "thread": lambda: gettext("the channel's texts"),
}
PART_WORDS = {
    "option": lambda n: gettext("reply %(n)s", n=n), "fact": lambda n: gettext("fact %(n)s", n=n),
    "criterion": lambda n: gettext("phrases for %(n)s", n=n),
}


def place_in_words(where: str, titles: dict[str, str]) -> tuple[str | None, str]:
    """(node id or None, where it is in words) for a finding's ``where`` ("node greet option 2")."""
    words = (where or "").split(" ")
    if words[0] == "node" and len(words) > 1:
        parts, rest = [gettext("node %(name)s", name=words[1])], words[2:]
        while rest:
            key = rest.pop(0)
            if key in PART_WORDS and rest:
                value = rest.pop(0)
                parts.append(PART_WORDS[key](titles.get(value, value)))
            elif key == "timer":
                parts.append(gettext("the timer"))
            elif key == "timeout":
                parts.append(gettext("the time-out"))
        place = parts[0]
        for part in parts[1:]:
            place = gettext("%(place)s, %(part)s", place=place, part=part)
        return words[1], place
    if words[0] == "rubric" and len(words) > 1:
        cid = " ".join(words[1:])
        return None, gettext("criterion %(title)s", title=titles.get(cid, cid))
    return None, FIELD_WORDS.get(words[0], lambda: gettext("the scenario"))()


def problems(definition: dict, known_items: set[str] | None) -> list[dict]:
    """The validator's findings (compile and graph checks, as the importer runs them), each with the node
    at fault (or None) and where it is in words."""
    titles = {str(c.get("id")): str(c.get("title") or c.get("id")) for c in definition.get("rubric") or []
              if isinstance(c, dict)}
    found = []
    for error in check_definition(definition, "builder", known_items):
        node, place = place_in_words(error.field or "", titles)
        found.append({"node": node, "place": place, "message": error.message})
    return found
