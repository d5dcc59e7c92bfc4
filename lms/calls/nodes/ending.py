"""An ending: the customer's last words (optional), a summary of how the call ended, and its outcome.

    - id: end_callback
      type: end
      outcome: callback             # resolved, callback, transferred, escalated or hung_up
      say: 好吧。
      summary: 承諾回電。
"""


from flask_babel import gettext

from lms.calls.engine import CallState, Event, Node, ScenarioError, fill
from lms.calls.labels import ENDING_LABELS
from lms.calls.nodes import register_node_kind
from lms.calls.outcomes import compile_outcome

OUTCOMES = ("resolved", "callback", "transferred", "escalated", "hung_up")
PASS_COLOURS = ("#e5f4ea", "#1d6b3a")
FAIL_COLOURS = ("#fdecea", "#b3261e")


@register_node_kind
class Ending(Node):
    """The call ends here, with its outcome (``end_outcome``: resolved, callback…)."""

    end_outcome: str = ""

    kind = "end"
    type = "end"
    ends_call = True

    @classmethod
    def compile(cls, raw: dict, nid: str, where: str) -> "Ending":
        outcome = raw.get("outcome")
        if outcome not in OUTCOMES:
            raise ScenarioError(gettext("outcome must be one of %(values)s", values=", ".join(OUTCOMES)), where)
        return cls(nid, say=str(raw.get("say") or ""), end_outcome=outcome, summary=str(raw.get("summary") or ""),
                   outcome=compile_outcome(raw, where, goto_required=False))

    def successors(self) -> list:
        return []

    def arrive(self, state: CallState) -> None:
        if self.say:
            state.events.append(Event("customer", self.id, fill(self.say, state.variant)))
        state.events.append(Event("end", self.id, fill(self.summary, state.variant)))
        state.finished, state.outcome = True, self.end_outcome
        return None

    def diagram_look(self, extremes: dict) -> tuple[str, str, str]:
        """Green when some path here passes; the worst and best score of the paths that reach it."""
        best, worst, can_pass = extremes.get(self.id, (0.0, 0.0, False))
        label = str(ENDING_LABELS.get(self.end_outcome, self.end_outcome))
        return (*(PASS_COLOURS if can_pass else FAIL_COLOURS), f"{label} {worst:.0f}–{best:.0f}%")
