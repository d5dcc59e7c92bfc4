"""The kinds of node a scenario is built from, by name.

Each kind is a ``Node`` subclass (lms.calls.engine) that owns everything about itself: reading its
entry of a definition, its checks, its ways on, what happens when the call reaches it or the learner
replies there, and how the branch diagram draws it; a kind the learner answers names the template
partial that asks for the reply. Adding a kind is one module that registers its class (and, when the
learner answers it, one partial); compiling, validating, playing, walking every path, scoring and the
diagram find it here.
"""

from dataclasses import dataclass
from typing import dataclass_transform

from lms.calls.engine import Node

NODE_KINDS: dict[str, type[Node]] = {}


@dataclass_transform(frozen_default=True)
def register_node_kind(kind: type[Node]) -> type[Node]:
    """Make the class a node kind (a frozen dataclass, as every node is) and add it to the registry."""
    kind = dataclass(frozen=True)(kind)
    NODE_KINDS[kind.kind] = kind
    return kind


def kind_for(raw: dict) -> type[Node] | None:
    """The kind that reads this entry of a definition: the first whose ``type`` it names and that claims it."""
    return next((kind for kind in NODE_KINDS.values() if kind.type == raw.get("type") and kind.claims(raw)), None)


def node_types() -> list[str]:
    """The ``type`` values a definition may use."""
    return sorted({kind.type for kind in NODE_KINDS.values()})


# The built-in kinds register themselves on import.
from lms.calls.nodes import choice, customer, ending, typed  # noqa: E402, F401, I001
