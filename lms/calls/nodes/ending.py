"""An ending: the customer's last words (optional) and their mood, a summary of how the call ended, its
outcome, and the behaviours the summary praises.

    - id: end_callback
      type: end
      outcome: callback             # resolved, callback, transferred, escalated or hung_up
      mood: calm                    # the customer's mood as the call ends (as on a customer's line)
      say: 好吧。
      summary: 承諾回電，也先致歉了。
      praises: [apology]            # criteria the summary praises

The validator (lms.calls.conduct) refuses an ending that praises a criterion a call can reach it with
missed or breached, and a pleased customer (relieved, satisfied) at the end of a call that failed a
critical criterion: the ending follows the conduct, so the way to it must depend on what was done.
"""


from flask_babel import gettext

from lms.calls.engine import CallState, Event, Node, ScenarioError, fill
from lms.calls.labels import ENDING_LABELS
from lms.calls.nodes import register_node_kind
from lms.calls.nodes.customer import MOODS
from lms.calls.outcomes import compile_outcome, compile_strings

OUTCOMES = ("resolved", "callback", "transferred", "escalated", "hung_up")
PASS_COLOURS = ("#e5f4ea", "#1d6b3a")
FAIL_COLOURS = ("#fdecea", "#b3261e")


@register_node_kind
class Ending(Node):
    """The call ends here, with its outcome (``end_outcome``: resolved, callback…)."""

    end_outcome: str = ""
    mood: str = ""
    praises: tuple[str, ...] = ()

    kind = "end"
    type = "end"
    ends_call = True

    @classmethod
    def compile(cls, raw: dict, nid: str, where: str) -> "Ending":
        outcome = raw.get("outcome")
        if outcome not in OUTCOMES:
            raise ScenarioError(gettext("outcome must be one of %(values)s", values=", ".join(OUTCOMES)), where)
        mood = str(raw.get("mood") or "")
        if mood and mood not in MOODS:
            raise ScenarioError(gettext("mood must be one of %(values)s", values=", ".join(MOODS)), where)
        return cls(nid, say=str(raw.get("say") or ""), end_outcome=outcome, summary=str(raw.get("summary") or ""),
                   outcome=compile_outcome(raw, where, goto_required=False), mood=mood,
                   praises=compile_strings(raw.get("praises"), where))

    def check_parts(self, checks, where: str) -> None:
        for cid in self.praises:
            if cid not in checks.criteria:
                checks.error(gettext("praises unknown criterion %(criterion)s", criterion=cid), where)

    def successors(self) -> list:
        return []

    def arrive(self, state: CallState) -> None:
        if self.say:
            state.events.append(Event("customer", self.id, fill(self.say, state.variant), mood=self.mood))
        state.events.append(Event("end", self.id, fill(self.summary, state.variant)))
        state.finished, state.outcome = True, self.end_outcome
        return None

    def diagram_look(self, extremes: dict) -> tuple[str, str, str]:
        """Green when some path here passes; the worst and best score of the paths that reach it."""
        best, worst, can_pass = extremes.get(self.id, (0.0, 0.0, False))
        label = str(ENDING_LABELS.get(self.end_outcome, self.end_outcome))
        return (*(PASS_COLOURS if can_pass else FAIL_COLOURS), f"{label} {worst:.0f}–{best:.0f}%")
