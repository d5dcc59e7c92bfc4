"""The debrief of a finished call: the transcript with each reply's marks, feedback and time to decide,
the score per criterion, and the lessons that teach the standard items the learner missed (from the
courses meant for them: lms.calls.recommendations)."""

from dataclasses import dataclass, field

from sqlalchemy import select

from lms.calls import engine
from lms.calls.channels import Channel, channel_named
from lms.calls.models import CallAttempt, CallTurn
from lms.calls.recommendations import recommended_lessons
from lms.calls.results import score_of
from lms.calls.scenarios import compiled
from lms.calls.scoring import ScoreResult
from lms.db import db
from lms.standards.models import StandardCitation


@dataclass
class DebriefLine:
    kind: str
    text: str
    mood: str = ""
    feedback: str = ""
    marks: list = field(default_factory=list)  # [(criterion, mark)]
    seconds: float | None = None
    turn: CallTurn | None = None
    pre_scored: bool = False  # a reply whose marks a trainer confirms (the page says whether one has)
    review: list = field(default_factory=list)  # the facts the typed reply lacked or got wrong (Event.review)
    media: str = ""  # a customer line's audio clip (lms.media; the page shows its player)


@dataclass
class Debrief:
    attempt: CallAttempt
    definition: engine.Scenario
    lines: list[DebriefLine]
    result: ScoreResult
    lessons: list[StandardCitation]
    turn_limit: int = engine.MAX_CALL_TURNS  # the most turns a call may have (its outcome says if it got there)

    @property
    def channel(self) -> Channel:
        return channel_named(self.definition.channel)


def _line(definition: engine.Scenario, event: engine.Event, turn: CallTurn | None) -> DebriefLine:
    marks = turn.reviewed_marks if turn is not None and turn.reviewed_marks is not None else event.marks
    pre_scored = turn is not None and event.kind == "agent" and definition.nodes[event.node].pre_scored
    return DebriefLine(event.kind, event.text, event.mood, event.feedback,
                       [(definition.criterion(c), m) for c, m in marks], turn.seconds if turn else None, turn,
                       pre_scored, event.review, getattr(definition.nodes.get(event.node), "media", ""))


def debrief(attempt: CallAttempt) -> Debrief:
    """The debrief of a finished call (also a trainer's view of it)."""
    definition = compiled(attempt.version)
    state = engine.CallState.from_dict(attempt.state)
    turns = {t.event_index: t for t in db.session.scalars(select(CallTurn).where(CallTurn.attempt_id == attempt.id))}
    lines = [_line(definition, event, turns.get(index)) for index, event in enumerate(state.events)]
    result = score_of(attempt, definition, state)
    return Debrief(attempt, definition, lines, result, recommended_lessons(result, attempt.user))
