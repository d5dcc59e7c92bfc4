"""The call builder's edits: each takes a scenario's plain definition and the fields of one action (from a
form of the builder page, or the diagram's drag) and returns the changed definition. Pure: no Flask
beyond words. Whatever an edit does not name is left exactly as it was, fields the builder does not know
included (media, facts of typed replies), so unchanged data writes back as the same YAML.

A form posts every field of a node; a field whose posted text is what the form showed leaves the data
untouched (so ``patience: 3`` never becomes ``"3"`` by passing through a form)."""

import re

from flask_babel import gettext

from lms.calls.builder import branches, node_kind
from lms.errors import DomainError

NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-]{0,59}$")
PREFIX = {"customer": "c", "choice": "a", "typed": "a", "end": "end"}
MARKS = ("met", "missed", "breached")


class EditRefused(DomainError):
    """The action cannot be done (a name taken, a node that does not exist)."""


# ---------------------------------------------------------------- how a form shows the data


def sets_text(sets) -> str:
    """A ``set`` mapping as the lines of its form field: ``name = expression``."""
    return "\n".join(f"{k} = {_scalar(v)}" for k, v in sets.items()) if isinstance(sets, dict) else ""


def lines_text(values) -> str:
    """A list of phrases or codes as lines."""
    if isinstance(values, str):
        return values
    return "\n".join(str(v) for v in values or [])


def _scalar(value) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def _parse_sets(text: str) -> dict:
    sets = {}
    for line in text.splitlines():
        if line.strip():
            name, sep, value = line.partition("=") if "=" in line else line.partition(":")
            if not sep or not name.strip():
                raise EditRefused(gettext("Write each change as: variable = new value."))
            sets[name.strip()] = value.strip()
    return sets


def _parse_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------- finding things


def _nodes(definition: dict) -> list:
    nodes = definition.get("nodes")
    if not isinstance(nodes, list):
        definition["nodes"] = nodes = []
    return nodes


def _node(definition: dict, nid: str) -> dict:
    for raw in _nodes(definition):
        if isinstance(raw, dict) and str(raw.get("id")) == nid:
            return raw
    raise EditRefused(gettext("There is no node %(name)s.", name=nid))


def _option(raw: dict, index) -> dict:
    options = raw.get("options")
    try:
        if int(index) < 0:
            raise IndexError
        return options[int(index)]
    except (TypeError, ValueError, IndexError):
        raise EditRefused(gettext("There is no such reply.")) from None


def _new_name(definition: dict, kind: str) -> str:
    taken = {str(n.get("id")) for n in _nodes(definition) if isinstance(n, dict)}
    number = 1
    while f"{PREFIX[kind]}_{number}" in taken:
        number += 1
    return f"{PREFIX[kind]}_{number}"


def _put(target: dict, key: str, value, empty=("", None, {}, [])) -> None:
    """Set ``key``, or leave it out when the value is empty."""
    if value in empty:
        target.pop(key, None)
    else:
        target[key] = value


# ---------------------------------------------------------------- ways on (goto)


def _goto_value(rows: list[tuple[str, str]]):
    rows = [(c.strip(), t.strip()) for c, t in rows if t.strip()]
    rows = [r for r in rows if r[0]] + [r for r in rows if not r[0]]  # the otherwise goes last
    if not rows:
        return None
    if len(rows) == 1 and not rows[0][0]:
        return rows[0][1]
    return [{"if": c, "to": t} if c else {"to": t} for c, t in rows]


def _posted_rows(fields: dict, prefix: str) -> list[tuple[str, str]] | None:
    keys = sorted({int(k.rsplit(".", 1)[1]) for k in fields
                   if k.startswith(prefix + "to.") and k.rsplit(".", 1)[1].isdigit()})
    if not keys:
        return None
    return [(fields.get(f"{prefix}if.{k}", ""), fields.get(f"{prefix}to.{k}", "")) for k in keys]


def _update_goto(target: dict, fields: dict, prefix: str) -> None:
    rows = _posted_rows(fields, prefix)
    if rows is None:
        return
    new = _goto_value(rows)
    if branches(new) != branches(target.get("goto")):
        _put(target, "goto", new)


def _connect_goto(target: dict, to: str) -> None:
    """Send the unconditional way on (the otherwise) to ``to``; the conditional branches stay."""
    rows = branches(target.get("goto"))
    if rows and rows[-1][0] == "":
        rows[-1] = ("", to)
    else:
        rows.append(("", to))
    target["goto"] = _goto_value(rows)


# ---------------------------------------------------------------- the parts a node form posts


def _update_text(target: dict, fields: dict, key: str, name: str | None = None) -> None:
    name = name or key
    if name in fields and fields[name].strip() != str(target.get(key) or "").strip():
        _put(target, key, fields[name].strip())


def _update_marks(target: dict, fields: dict, prefix: str) -> None:
    """One select per criterion ("" = not assessed here); the marks keep their order."""
    posted = {k[len(prefix):]: v for k, v in fields.items() if k.startswith(prefix)}
    old = target.get("marks") if isinstance(target.get("marks"), dict) else {}
    new = {cid: posted.get(cid, mark) for cid, mark in old.items() if posted.get(cid, mark)}
    new.update({cid: mark for cid, mark in posted.items() if mark in MARKS and cid not in new})
    if new != old:
        _put(target, "marks", new)


def _update_sets(target: dict, fields: dict, name: str) -> None:
    if name in fields and fields[name].strip() != sets_text(target.get("set") or {}).strip():
        _put(target, "set", _parse_sets(fields[name]))


def _update_outcome(target: dict, fields: dict, prefix: str) -> None:
    _update_marks(target, fields, f"{prefix}mark.")
    _update_sets(target, fields, f"{prefix}set")
    _update_goto(target, fields, prefix)


def _update_timer(raw: dict, fields: dict) -> None:
    if "timer.seconds" not in fields:
        return
    seconds = fields["timer.seconds"].strip()
    if not seconds:
        raw.pop("timer", None)
        return
    timer = raw.setdefault("timer", {})
    for key in ("seconds", "rings"):
        value = fields.get(f"timer.{key}", "").strip()
        if value != str(timer.get(key, "")):
            _put(timer, key, _whole(value))
    _update_outcome(timer.setdefault("timeout", {}), fields, "timer.")


def _whole(value: str):
    try:
        return int(value) if value else None
    except ValueError:
        raise EditRefused(gettext("Write a whole number of seconds or rings.")) from None


def _update_matchers(raw: dict, fields: dict) -> None:
    criteria = (raw.get("free_text") or {}).get("criteria")
    if not isinstance(criteria, dict):
        return
    for cid, matcher in criteria.items():
        for part in ("any", "all", "none"):
            name = f"crit.{cid}.{part}"
            if name in fields and _parse_lines(fields[name]) != _parse_lines(lines_text(matcher.get(part))):
                _put(matcher, part, _parse_lines(fields[name]))
        _update_sets(matcher, fields, f"crit.{cid}.set")


def _update_ending(raw: dict, fields: dict) -> None:
    _update_text(raw, fields, "outcome")
    _update_text(raw, fields, "summary")
    if "praises.shown" in fields:
        praises = [k[len("praise."):] for k, v in fields.items() if k.startswith("praise.") and v]
        if praises != list(raw.get("praises") or []):
            _put(raw, "praises", praises)


def update_node(definition: dict, fields: dict) -> dict:
    """Apply a node's form: its texts, mood, timer, replies (their marks, changes and ways on), phrases,
    ending; then its new name, if renamed."""
    raw = _node(definition, fields.get("node", ""))
    kind = node_kind(raw)
    for key in ("say", "mood", "prompt", "media"):
        _update_text(raw, fields, key)
    if kind == "typed":
        _update_text(raw.setdefault("free_text", {}), fields, "placeholder")
        _update_matchers(raw, fields)
    if kind in ("choice", "typed"):
        _update_timer(raw, fields)
    for index, option in enumerate(raw.get("options") or []):
        if not isinstance(option, dict):
            continue
        _update_text(option, fields, "say", f"opt{index}.say")
        _update_text(option, fields, "feedback", f"opt{index}.feedback")
        _update_outcome(option, fields, f"opt{index}.")
    if kind == "end":
        _update_ending(raw, fields)
    else:
        _update_marks(raw, fields, "mark.")
        _update_sets(raw, fields, "set")
        _update_goto(raw, fields, "")
    if fields.get("name", "").strip() and fields["name"].strip() != str(raw["id"]):
        rename_node(definition, {"node": str(raw["id"]), "name": fields["name"]})
    return definition


# ---------------------------------------------------------------- whole nodes


def add_node(definition: dict, fields: dict) -> dict:
    """A new node of the kind, after ``after`` (which then leads to it) or at the end."""
    kind = fields.get("kind", "")
    if kind not in PREFIX:
        raise EditRefused(gettext("Choose what to add."))
    nid = _new_name(definition, kind)
    raw = {"customer": {"id": nid, "type": "customer", "say": ""},
           "choice": {"id": nid, "type": "agent", "options": [{"say": ""}]},
           "typed": {"id": nid, "type": "agent", "free_text": {"placeholder": "", "criteria": {}}},
           "end": {"id": nid, "type": "end", "outcome": "resolved", "summary": ""}}[kind]
    nodes = _nodes(definition)
    after = fields.get("after", "")
    index = next((i + 1 for i, n in enumerate(nodes) if isinstance(n, dict) and str(n.get("id")) == after), len(nodes))
    nodes.insert(index, raw)
    if not definition.get("start"):
        definition["start"] = nid
    if after:
        _take_over_way_on(_node(definition, after), raw)
        connect(definition, {"source": after, "target": nid})
    fields["made"] = nid
    return definition


def _take_over_way_on(before: dict, new: dict) -> None:
    """A node added after a line or typed reply goes on where that one went (it is put in between)."""
    rows = branches(before.get("goto")) if node_kind(before) in ("customer", "typed") else []
    if not rows or rows[-1][0] or new["type"] == "end":
        return
    if new.get("options"):
        new["options"][0]["goto"] = rows[-1][1]
    else:
        new["goto"] = rows[-1][1]


def rename_node(definition: dict, fields: dict) -> dict:
    """Give a node a new name; every way to it follows."""
    old, new = fields.get("node", ""), fields.get("name", "").strip()
    raw = _node(definition, old)
    if not NAME.match(new):
        raise EditRefused(gettext("A node's name is letters, digits, '_' or '-', without spaces."))
    if any(isinstance(n, dict) and str(n.get("id")) == new for n in _nodes(definition)):
        raise EditRefused(gettext("Another node is called %(name)s.", name=new))
    raw["id"] = new
    if definition.get("start") == old:
        definition["start"] = new
    for other in _nodes(definition):
        if isinstance(other, dict):
            for target in (other, *(o for o in other.get("options") or [] if isinstance(o, dict)),
                           (other.get("timer") or {}).get("timeout") or {}):
                rows = branches(target.get("goto"))
                if any(t == old for _c, t in rows):
                    target["goto"] = _goto_value([(c, new if t == old else t) for c, t in rows])
    return definition


def delete_node(definition: dict, fields: dict) -> dict:
    """Take a node out (the ways to it are then shown as problems, to send elsewhere)."""
    raw = _node(definition, fields.get("node", ""))
    definition["nodes"].remove(raw)
    return definition


def set_start(definition: dict, fields: dict) -> dict:
    definition["start"] = str(_node(definition, fields.get("node", ""))["id"])
    return definition


def connect(definition: dict, fields: dict) -> dict:
    """Lead from ``source`` to ``target``: a reply's way on (``option``; a new reply when none is named),
    a typed reply's or a customer's line's way on otherwise, the timer's time-out with ``via`` timeout."""
    source, target = _node(definition, fields.get("source", "")), str(_node(definition, fields.get("target", ""))["id"])
    kind = node_kind(source)
    if kind == "end":
        raise EditRefused(gettext("An ending has no way on."))
    if fields.get("via") == "timeout":
        if not isinstance(source.get("timer"), dict):
            raise EditRefused(gettext("This turn has no timer."))
        _connect_goto(source["timer"].setdefault("timeout", {}), target)
    elif kind == "choice":
        if str(fields.get("option_number", "")).strip().isdigit():
            fields["option"] = str(int(fields["option_number"]) - 1)
        if str(fields.get("option", "")).strip():
            _connect_goto(_option(source, fields["option"]), target)
        else:
            source.setdefault("options", []).append({"say": "", "goto": target})
    else:
        _connect_goto(source, target)
    return definition


# ---------------------------------------------------------------- replies and phrases


def add_option(definition: dict, fields: dict) -> dict:
    raw = _node(definition, fields.get("node", ""))
    if node_kind(raw) != "choice":
        raise EditRefused(gettext("Only a turn with replies to choose from has replies."))
    raw.setdefault("options", []).append({"say": ""})
    return definition


def remove_option(definition: dict, fields: dict) -> dict:
    raw = _node(definition, fields.get("node", ""))
    raw["options"].remove(_option(raw, fields.get("option")))
    return definition


def move_option(definition: dict, fields: dict) -> dict:
    """Put reply ``option`` at position ``to`` (both counted from 0)."""
    raw = _node(definition, fields.get("node", ""))
    option = _option(raw, fields.get("option"))
    try:
        to = max(0, min(int(fields.get("to", "")), len(raw["options"]) - 1))
    except ValueError:
        raise EditRefused(gettext("There is no such reply.")) from None
    raw["options"].remove(option)
    raw["options"].insert(to, option)
    return definition


def add_matcher(definition: dict, fields: dict) -> dict:
    """Pre-score a typed reply on one more criterion (its phrases written next)."""
    raw = _node(definition, fields.get("node", ""))
    if node_kind(raw) != "typed":
        raise EditRefused(gettext("Only a typed reply has phrases."))
    criteria = raw["free_text"].setdefault("criteria", {})
    cid = fields.get("criterion", "")
    if cid not in {str(c.get("id")) for c in definition.get("rubric") or [] if isinstance(c, dict)}:
        raise EditRefused(gettext("Choose a criterion of the rubric."))
    criteria.setdefault(cid, {"any": []})
    return definition


def remove_matcher(definition: dict, fields: dict) -> dict:
    raw = _node(definition, fields.get("node", ""))
    ((raw.get("free_text") or {}).get("criteria") or {}).pop(fields.get("criterion", ""), None)
    return definition
