"""A turn where the agent chooses among replies; each reply's outcome marks, changes and branches.

    - id: greet
      type: agent
      prompt: 電話響了。            # optional narration
      timer: {seconds: 6, rings: 3, timeout: {marks: {pickup: missed}, goto: greet}}   # optional
      options:
        - {say: 您好…, marks: {greeting: met}, set: {patience: patience + 1}, feedback: …, goto: c_next}
"""

from dataclasses import dataclass

from flask_babel import gettext

from lms.calls.engine import CallState, Event, MissingReply, Outcome, Reply, ScenarioError, Timer, fill
from lms.calls.nodes import register_node_kind
from lms.calls.nodes.turn import AgentTurn
from lms.calls.outcomes import compile_outcome


@dataclass(frozen=True)
class Option:
    index: int
    say: str
    outcome: Outcome


@register_node_kind
class ChoiceTurn(AgentTurn):
    """The learner chooses one of the turn's replies (``options``)."""

    options: tuple[Option, ...] = ()

    kind = "choice"
    partial = "calls/nodes/_choice.html"

    @classmethod
    def claims(cls, raw: dict) -> bool:
        return not raw.get("free_text")

    @classmethod
    def compile_turn(cls, raw: dict, nid: str, where: str, timer: Timer | None) -> "ChoiceTurn":
        if not isinstance(raw.get("options"), list) or not raw["options"]:
            raise ScenarioError(gettext("an agent node needs options (or free_text)"), where)
        options = tuple(Option(i, str(o.get("say", "")), compile_outcome(o, f"{where} option {i + 1}"))
                        for i, o in enumerate(raw["options"]) if isinstance(o, dict))
        if len(options) != len(raw["options"]) or any(not o.say.strip() for o in options):
            raise ScenarioError(gettext("every option needs say"), where)
        return cls(nid, prompt=str(raw.get("prompt") or ""), options=options, timer=timer)

    def check_parts(self, checks, where: str) -> None:
        for option in self.options:
            checks.outcome(option.outcome, f"{where} option {option.index + 1}")

    def reply_successors(self) -> list[tuple[str, Outcome]]:
        return [way for option in self.options for way in option.outcome.ways_on()]

    def reply(self, state: CallState, reply: Reply) -> tuple[Event, Outcome]:
        if reply.option is None:
            raise MissingReply(gettext("Choose a reply."), "option")
        if not 0 <= reply.option < len(self.options):
            raise ScenarioError("there is no such reply here")
        option = self.options[reply.option]
        return Event("agent", self.id, fill(option.say, state.variant), option=option.index,
                     feedback=fill(option.outcome.feedback, state.variant)), option.outcome

    def replies_to_explore(self, variant: dict) -> list[Reply]:
        return [Reply(option=option.index) for option in self.options]

    def diagram_text(self, variant: dict) -> str:
        return super().diagram_text(variant) or fill(self.options[0].say, variant)
