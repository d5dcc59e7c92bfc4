"""A line of the customer: it is spoken, its outcome applies, and the call moves on by itself.

    - id: c_complaint
      type: customer
      mood: angry                   # optional: calm, anxious, annoyed, angry, relieved, satisfied
      say: 我被扣了兩次 {amount} 元！
      set: {patience: patience - 1}   # optional, like marks
      goto: [{if: patience <= 0, to: end_hangup}, {to: a_apology}]
"""


from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from lms.calls.engine import CallState, Event, Node, ScenarioError, apply_outcome, fill, record_marks
from lms.calls.nodes import register_node_kind
from lms.calls.outcomes import compile_outcome

MOODS = ("calm", "anxious", "annoyed", "angry", "relieved", "satisfied")


@register_node_kind
class CustomerLine(Node):
    """The customer speaks, and the call goes on by the line's outcome."""

    mood: str = ""

    kind = "customer"
    type = "customer"
    label = _l("customer")

    @classmethod
    def compile(cls, raw: dict, nid: str, where: str) -> "CustomerLine":
        node = cls(nid, say=str(raw.get("say") or ""), mood=str(raw.get("mood") or ""),
                   prompt=str(raw.get("prompt") or ""), outcome=compile_outcome(raw, where))
        if not node.say.strip():
            raise ScenarioError(gettext("a customer node needs say"), where)
        if node.mood and node.mood not in MOODS:
            raise ScenarioError(gettext("mood must be one of %(values)s", values=", ".join(MOODS)), where)
        return node

    def arrive(self, state: CallState) -> str:
        state.events.append(Event("customer", self.id, fill(self.say, state.variant), mood=self.mood))
        target, marks = apply_outcome(self.outcome, state)
        record_marks(state, marks)
        return target
