"""What every turn of the agent shares, whatever the learner answers with: the call waits there, its
prompt is narrated, and it may have a timer whose timeout applies when the learner does not reply in time."""

from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from lms.calls.engine import CallState, Event, Node, Outcome, ScenarioError, Timer, fill
from lms.calls.outcomes import compile_outcome

TIMER_LABEL = _l("%d s timer")


def _whole(value, low: int, high: int) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high


def compile_timer(raw: dict, where: str) -> Timer | None:
    t = raw.get("timer")
    if not t:
        return None
    if not _whole(t.get("seconds") if isinstance(t, dict) else None, 1, 600):
        raise ScenarioError(gettext("timer.seconds must be 1–600"), where)
    if not isinstance(t.get("timeout"), dict):
        raise ScenarioError(gettext("a timer needs a timeout with its goto"), where)
    if not _whole(t.get("rings") or 0, 0, 10):
        raise ScenarioError(gettext("timer.rings must be 0–10"), where)
    return Timer(t["seconds"], t.get("rings") or 0, compile_outcome(t["timeout"], where + " timeout"))


@dataclass(frozen=True)
class AgentTurn(Node):
    type = "agent"
    waits = True
    label = _l("agent")
    colours = ("#e6f0fa", "#0b5cad")

    @classmethod
    def compile(cls, raw: dict, nid: str, where: str) -> Node:
        return cls.compile_turn(raw, nid, where, compile_timer(raw, where))

    @classmethod
    def compile_turn(cls, raw: dict, nid: str, where: str, timer: Timer | None) -> Node:
        raise NotImplementedError

    def reply_successors(self) -> list[tuple[str, Outcome]]:
        return self.outcome.ways_on()

    def successors(self) -> list[tuple[str, Outcome]]:
        return self.reply_successors() + (self.timer.timeout.ways_on() if self.timer else [])

    def arrive(self, state: CallState) -> None:
        if self.prompt:
            state.events.append(Event("narration", self.id, fill(self.prompt, state.variant)))
        return None

    def diagram_look(self, extremes: dict) -> tuple[str, str, str]:
        fill_colour, stroke, subtitle = super().diagram_look(extremes)
        if self.timer:
            subtitle += f" · {str(TIMER_LABEL) % self.timer.seconds}"
        return fill_colour, stroke, subtitle
