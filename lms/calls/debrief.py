"""The debrief of a finished call: the transcript with each reply's marks, feedback and time to decide,
the score per criterion, and the lessons that teach the standard items the learner missed."""

from dataclasses import dataclass, field

from sqlalchemy import select

from lms.calls import engine
from lms.calls.models import CallAttempt, CallTurn
from lms.calls.results import score_of
from lms.calls.scenarios import compiled
from lms.calls.scoring import ScoreResult
from lms.db import db
from lms.standards.models import StandardCitation, StandardItem

MAX_LESSONS = 8


@dataclass
class DebriefLine:
    kind: str
    text: str
    mood: str = ""
    feedback: str = ""
    marks: list = field(default_factory=list)  # [(criterion, mark)]
    seconds: float | None = None
    turn: CallTurn | None = None


@dataclass
class Debrief:
    attempt: CallAttempt
    definition: engine.Scenario
    lines: list[DebriefLine]
    result: ScoreResult
    lessons: list[StandardCitation]


def _lessons(result: ScoreResult) -> list[StandardCitation]:
    weak = {code for r in result.criteria if r.status in ("missed", "breached") for code in r.criterion.standards}
    if not weak:
        return []
    lessons = db.session.scalars(
        select(StandardCitation).join(StandardItem, StandardItem.id == StandardCitation.item_id)
        .where(StandardCitation.kind == "lesson", StandardItem.code.in_(weak)).order_by(StandardCitation.label))
    return list({c.link: c for c in lessons}.values())[:MAX_LESSONS]


def debrief(attempt: CallAttempt) -> Debrief:
    definition = compiled(attempt.version)
    state = engine.CallState.from_dict(attempt.state)
    turns = {t.event_index: t for t in db.session.scalars(select(CallTurn).where(CallTurn.attempt_id == attempt.id))}
    lines = []
    for index, event in enumerate(state.events):
        turn = turns.get(index)
        marks = turn.reviewed_marks if turn is not None and turn.reviewed_marks is not None else event.marks
        lines.append(DebriefLine(event.kind, event.text, event.mood, event.feedback,
                                 [(definition.criterion(c), m) for c, m in marks],
                                 turn.seconds if turn else None, turn))
    result = score_of(attempt, definition, state)
    return Debrief(attempt, definition, lines, result, _lessons(result))
