"""A line of the customer: it is spoken, its outcome applies, and the call moves on by itself.

    - id: c_complaint
      type: customer
      mood: angry                   # optional: calm, anxious, annoyed, angry, relieved, satisfied
      say: 我被扣了兩次 {amount} 元！
      media: refund-call.mp3          # optional: the line as an audio clip of the media library (lms.media)
      set: {patience: patience - 1}   # optional, like marks
      goto: [{if: patience <= 0, to: end_hangup}, {to: a_apology}]
"""

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from lms.calls.engine import CallState, Event, Node, ScenarioError, apply_outcome, fill, record_marks
from lms.calls.nodes import register_node_kind
from lms.calls.outcomes import compile_outcome

MOODS = ("calm", "anxious", "annoyed", "angry", "relieved", "satisfied")
MEDIA_KEY = re.compile(r"[\w.-]{1,120}")  # a media library name or SHA-256 (lms.media.checks.library_name)


def _media(value, where: str) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or not MEDIA_KEY.fullmatch(value):
        raise ScenarioError(gettext("media names a file of the media library (its name or SHA-256)"), where + " media")
    return value


@register_node_kind
class CustomerLine(Node):
    """The customer speaks, and the call goes on by the line's outcome."""

    mood: str = ""
    media: str = ""  # a media library file (name or SHA-256): the line heard, its text the transcript

    kind = "customer"
    type = "customer"
    label = _l("customer")

    @classmethod
    def compile(cls, raw: dict, nid: str, where: str) -> "CustomerLine":
        node = cls(nid, say=str(raw.get("say") or ""), mood=str(raw.get("mood") or ""),
                   prompt=str(raw.get("prompt") or ""), outcome=compile_outcome(raw, where),
                   media=_media(raw.get("media"), where))
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
