"""Simulated calls: syncing scenarios, playing attempts turn by turn (the server keeps the time),
debriefs, the trainer's review of typed replies, and analytics."""

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from blinker import Namespace
from flask_babel import gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.calls import engine
from lms.calls.loader import ScenarioSpec
from lms.calls.models import CallAttempt, CallMode, CallStatus, CallTurn, Scenario, ScenarioVersion
from lms.content.files import content_hash
from lms.courses.models import Course
from lms.db import db, utcnow
from lms.errors import DomainError
from lms.standards.models import StandardCitation, StandardItem
from lms.standards.services import SyncCounts, replace_citations, sync_by_slug
from lms.urls import path_for

# A timed reply may arrive this much after its time and still count (the request's time in flight).
TIMER_ALLOWANCE = timedelta(seconds=2)

signals = Namespace()
call_assessed = signals.signal("call-assessed")


# ---------------------------------------------------------------- syncing


def save_scenario(spec: ScenarioSpec, actor: User | None = None, source: str = "file") -> tuple[Scenario, bool]:
    scenario = db.session.scalar(select(Scenario).where(Scenario.slug == spec.slug))
    course_id = db.session.scalar(select(Course.id).where(Course.slug == spec.course_slug)) if spec.course_slug else None
    if scenario is None:
        scenario = Scenario(slug=spec.slug, course_id=course_id)
        db.session.add(scenario)
        db.session.flush()
    elif course_id is not None:
        scenario.course_id = course_id
    current = current_version(scenario)
    digest = content_hash(spec.definition)
    if current is not None and current.content_hash == digest:
        return scenario, False
    version = ScenarioVersion(scenario_id=scenario.id, number=scenario.current_number + 1,
                              title=spec.definition["title"], category=spec.definition["category"],
                              definition=spec.definition, content_hash=digest, source=source,
                              created_by_id=actor.id if actor else None)
    db.session.add(version)
    scenario.current_number = version.number
    db.session.flush()
    _cite(scenario, spec.definition)
    if actor is not None:
        record_event("scenario.saved", "scenario", scenario.id, summary=f"{scenario.slug} v{version.number}",
                     actor=actor)
    return scenario, True


def _cite(scenario: Scenario, definition: dict) -> None:
    """The coverage matrix lists the scenario under each standard item its criteria assess."""
    by_item: dict[str, list[str]] = defaultdict(list)
    for criterion in definition["rubric"]:
        for code in criterion.get("standards") or []:
            by_item[code].append(criterion["title"])
    link = path_for("calls_admin.scenario", scenario_slug=scenario.slug)
    replace_citations("criterion", [scenario.id],
                      [(scenario.id, f"{definition['title']} · {'、'.join(titles)}", link, [code])
                       for code, titles in by_item.items()])


def sync_scenarios(specs: list[ScenarioSpec]) -> SyncCounts:
    return sync_by_slug(Scenario.slug, specs, save_scenario)


# ---------------------------------------------------------------- reading


def current_version(scenario: Scenario) -> ScenarioVersion | None:
    return db.session.scalar(select(ScenarioVersion).where(ScenarioVersion.scenario_id == scenario.id,
                                                           ScenarioVersion.number == scenario.current_number))


def get_scenario(slug: str) -> tuple[Scenario, ScenarioVersion] | None:
    row = db.session.execute(
        select(Scenario, ScenarioVersion).join(ScenarioVersion, and_(
            ScenarioVersion.scenario_id == Scenario.id, ScenarioVersion.number == Scenario.current_number))
        .where(Scenario.slug == slug)).first()
    return (row[0], row[1]) if row else None


_COMPILED: dict[str, engine.Scenario] = {}


def compiled(version: ScenarioVersion) -> engine.Scenario:
    """The version's definition compiled once per process (a version never changes; its hash names it)."""
    found = _COMPILED.get(version.content_hash)
    if found is None:
        if len(_COMPILED) > 500:
            _COMPILED.clear()
        found = _COMPILED[version.content_hash] = engine.compile_scenario(version.definition)
    return found


_EXTREMES: dict[str, dict] = {}


def endings(version: ScenarioVersion) -> dict[str, tuple[float, float, bool]]:
    """Best and worst score of the paths to each ending (computed once per version and process)."""
    found = _EXTREMES.get(version.content_hash)
    if found is None:
        if len(_EXTREMES) > 100:
            _EXTREMES.clear()
        found = _EXTREMES[version.content_hash] = engine.end_extremes(compiled(version))
    return found


@dataclass
class ScenarioCard:
    scenario: Scenario
    version: ScenarioVersion
    course_code: str | None
    best: CallAttempt | None = None
    attempts: int = 0


def list_scenarios(user: User) -> list[ScenarioCard]:
    rows = db.session.execute(
        select(Scenario, ScenarioVersion, Course.code)
        .join(ScenarioVersion, and_(ScenarioVersion.scenario_id == Scenario.id,
                                    ScenarioVersion.number == Scenario.current_number))
        .outerjoin(Course, Course.id == Scenario.course_id).order_by(Course.code, Scenario.slug)).all()
    cards = {s.id: ScenarioCard(s, v, code) for s, v, code in rows}
    for attempt in db.session.scalars(select(CallAttempt).where(CallAttempt.user_id == user.id)):
        card = cards.get(attempt.scenario_id)
        if card is None:
            continue
        card.attempts += 1
        if attempt.mode == CallMode.ASSESSMENT and attempt.percent is not None and (
                card.best is None or attempt.percent > card.best.percent):
            card.best = attempt
    return list(cards.values())


# ---------------------------------------------------------------- playing


def start_call(user: User, slug: str, mode: str, rng: random.Random | None = None) -> CallAttempt:
    found = get_scenario(slug)
    if found is None:
        raise DomainError(_("There is no such call."))
    scenario, version = found
    if mode not in (CallMode.PRACTICE, CallMode.ASSESSMENT):
        raise DomainError(_("Choose practice or assessment."))
    ongoing = db.session.scalar(select(CallAttempt).where(
        CallAttempt.user_id == user.id, CallAttempt.scenario_id == scenario.id, CallAttempt.mode == CallMode(mode),
        CallAttempt.status == CallStatus.IN_PROGRESS).order_by(CallAttempt.id.desc()).limit(1))
    if ongoing is not None:
        return ongoing  # resume the call in progress rather than start a second one
    definition = compiled(version)
    variant = (rng or random.Random()).randrange(len(definition.variants))
    state = engine.begin(definition, variant, user.employee_no)
    now = utcnow()
    attempt = CallAttempt(scenario_id=scenario.id, version_id=version.id, user_id=user.id, mode=CallMode(mode),
                          status=CallStatus.IN_PROGRESS, variant_index=variant, state=state.as_dict(),
                          node_shown_at=now, started_at=now)
    db.session.add(attempt)
    db.session.flush()
    if state.finished:
        _finish(attempt, definition, state, now)
    return attempt


def load_call(attempt_id: int, user: User, lock: bool = False) -> CallAttempt:
    stmt = select(CallAttempt).where(CallAttempt.id == attempt_id, CallAttempt.user_id == user.id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    attempt = db.session.scalar(stmt)
    if attempt is None:
        raise LookupError(attempt_id)
    return attempt


@dataclass
class TurnView:
    """What the play page shows for the current turn."""

    node: engine.Node
    prompt: str
    options: list[tuple[int, str]]
    seconds_left: int | None
    rings: int


def current_turn(attempt: CallAttempt, definition: engine.Scenario, now: datetime | None = None) -> TurnView | None:
    state = engine.CallState.from_dict(attempt.state)
    if state.finished:
        return None
    node = definition.nodes[state.node]
    left = None
    if node.timer:
        elapsed = ((now or utcnow()) - attempt.node_shown_at).total_seconds()
        left = max(0, math.ceil(node.timer.seconds - elapsed))
    options = [(o.index, engine.fill(o.say, state.variant)) for o in node.options]
    # The replies come in an order of their own for each call and turn, so "the first is right" never holds.
    random.Random(f"{attempt.id}:{state.node}:{len(state.events)}").shuffle(options)
    return TurnView(node, engine.fill(node.prompt, state.variant), options, left, node.timer.rings if node.timer else 0)


def take_turn(attempt_id: int, user: User, *, option: int | None = None, text: str | None = None,
              timed_out: bool = False, at: int | None = None, now: datetime | None = None) -> CallTurn:
    """Apply the learner's decision. The server checks the timer: a reply after the time (plus a
    little for the request in flight) counts as a timeout, whatever the page believed. ``at`` is the
    length of the transcript the page showed: a second click, or a stale tab, cannot answer the next
    turn with a reply meant for this one."""
    now = now or utcnow()
    attempt = load_call(attempt_id, user, lock=True)
    if attempt.status != CallStatus.IN_PROGRESS:
        raise DomainError(_("This call has ended."))
    definition = compiled(attempt.version)
    state = engine.CallState.from_dict(attempt.state)
    if at is not None and at != len(state.events):
        raise DomainError(_("That turn was already answered: here is where the call is now."))
    node = definition.nodes[state.node]
    elapsed = (now - attempt.node_shown_at).total_seconds()
    late = node.timer is not None and elapsed > node.timer.seconds + TIMER_ALLOWANCE.total_seconds()
    try:
        if timed_out or late:
            if node.timer is None:
                raise DomainError(_("This turn has no time limit."))
            if not late and elapsed < node.timer.seconds - TIMER_ALLOWANCE.total_seconds():
                raise DomainError(_("The time for this reply has not run out yet."))
            event, kind = engine.time_out(definition, state), "timeout"
        elif node.free_text:
            if not (text or "").strip():
                raise DomainError(_("Type what you would say to the customer."), field="text")
            event, kind = engine.say(definition, state, text), "text"
        else:
            if option is None:
                raise DomainError(_("Choose a reply."), field="option")
            event, kind = engine.choose(definition, state, option), "choice"
    except engine.ScenarioError as exc:
        raise DomainError(_("That reply is not available here.")) from exc
    index = db.session.scalar(select(func.count()).select_from(CallTurn).where(CallTurn.attempt_id == attempt.id))
    event_index = state.events.index(event)
    turn = CallTurn(attempt_id=attempt.id, version_id=attempt.version_id, index=index, event_index=event_index,
                    node_id=node.id, kind=kind, option_index=event.option, text=event.text if kind == "text" else "",
                    marks=event.marks, seconds=round(min(elapsed, 3600), 2),
                    needs_review=kind == "text" and attempt.mode == CallMode.ASSESSMENT)
    db.session.add(turn)
    attempt.state = state.as_dict()
    attempt.node_shown_at = now
    if state.finished:
        _finish(attempt, definition, state, now)
    return turn


def _effective_marks(attempt: CallAttempt, state: engine.CallState) -> list:
    """The call's marks, with a trainer's corrections of typed replies in place of the matchers' marks."""
    corrected = {t.event_index: t.reviewed_marks for t in db.session.scalars(
        select(CallTurn).where(CallTurn.attempt_id == attempt.id, CallTurn.reviewed_marks.is_not(None)))}
    marks = [m for m in state.marks if m[2] not in corrected]
    for event_index, reviewed in corrected.items():
        marks += [[c, m, event_index] for c, m in reviewed]
    return marks


def _finish(attempt: CallAttempt, definition: engine.Scenario, state: engine.CallState, now: datetime) -> None:
    result = engine.score(definition, _effective_marks(attempt, state))
    attempt.finished_at = attempt.finished_at or now
    attempt.outcome = state.outcome
    attempt.percent, attempt.passed = result.percent, result.passed
    attempt.criteria = {r.criterion.id: r.status for r in result.criteria}
    attempt.critical_failed = result.critical_failed
    pending = db.session.scalar(select(func.count()).select_from(CallTurn).where(
        CallTurn.attempt_id == attempt.id, CallTurn.needs_review.is_(True)))
    attempt.status = CallStatus.NEEDS_REVIEW if pending and attempt.mode == CallMode.ASSESSMENT else CallStatus.FINISHED
    if attempt.mode == CallMode.ASSESSMENT:
        record_event("call.assessed", "call_attempt", attempt.id, summary=f"{attempt.scenario.slug}: {result.percent}",
                     after={"percent": result.percent, "passed": result.passed, "status": str(attempt.status)},
                     actor=attempt.user)
        if attempt.status == CallStatus.FINISHED:
            call_assessed.send(attempt)


# ---------------------------------------------------------------- debrief


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
    result: engine.ScoreResult
    lessons: list[StandardCitation]


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
    result = engine.score(definition, _effective_marks(attempt, state))
    weak = {code for r in result.criteria if r.status in ("missed", "breached") for code in r.criterion.standards}
    lessons = []
    if weak:
        lessons = list(db.session.scalars(
            select(StandardCitation).join(StandardItem, StandardItem.id == StandardCitation.item_id)
            .where(StandardCitation.kind == "lesson", StandardItem.code.in_(weak))
            .order_by(StandardCitation.label)))
        lessons = list({c.link: c for c in lessons}.values())[:8]
    return Debrief(attempt, definition, lines, result, lessons)


# ---------------------------------------------------------------- trainer review of typed replies


def review_queue() -> list[CallTurn]:
    return list(db.session.scalars(
        select(CallTurn).join(CallAttempt, CallAttempt.id == CallTurn.attempt_id)
        .where(CallTurn.needs_review.is_(True))
        .options(selectinload(CallTurn.attempt).selectinload(CallAttempt.user),
                 selectinload(CallTurn.attempt).selectinload(CallAttempt.version))
        .order_by(CallTurn.created_at).limit(200)))


def review_turn(turn_id: int, marks: dict[str, str], comment: str, reviewer: User) -> CallTurn:
    """A trainer confirms or corrects the matchers' marks of a typed reply; the call is rescored."""
    turn = db.session.get(CallTurn, turn_id)
    if turn is None or turn.kind != "text":
        raise LookupError(turn_id)
    attempt = db.session.scalar(select(CallAttempt).where(CallAttempt.id == turn.attempt_id)
                              .with_for_update().execution_options(populate_existing=True))
    if attempt.status == CallStatus.IN_PROGRESS:
        raise DomainError(_("The call is still in progress."))
    definition = compiled(attempt.version)
    criteria = {c.id for c in definition.rubric}
    cleaned = [[c, m] for c, m in marks.items() if c in criteria and m in engine.MARKS]
    before = turn.reviewed_marks if turn.reviewed_marks is not None else turn.marks
    turn.reviewed_marks, turn.review_comment = cleaned, comment.strip()[:2000]
    turn.reviewed_by_id, turn.reviewed_at, turn.needs_review = reviewer.id, utcnow(), False
    db.session.flush()
    was_passed = attempt.passed
    state = engine.CallState.from_dict(attempt.state)
    _finish(attempt, definition, state, attempt.finished_at or utcnow())
    record_event("call.reviewed", "call_turn", turn.id, summary=f"call {attempt.id}",
                 before={"marks": before}, after={"marks": cleaned, "comment": turn.review_comment,
                                                  "percent": attempt.percent}, actor=reviewer)
    if attempt.status == CallStatus.FINISHED and attempt.mode == CallMode.ASSESSMENT and was_passed != attempt.passed:
        call_assessed.send(attempt)
    return turn


# ---------------------------------------------------------------- analytics


@dataclass
class NodeStats:
    node: engine.Node
    visits: int = 0
    choices: Counter = field(default_factory=Counter)  # option index (or 'timeout'/'text') → count
    seconds: list = field(default_factory=list)
    hang_ups_after: int = 0

    @property
    def mean_seconds(self) -> float | None:
        return round(sum(self.seconds) / len(self.seconds), 1) if self.seconds else None


@dataclass
class Analytics:
    attempts: int
    passed: int
    nodes: list[NodeStats]
    criteria: list[tuple[engine.Criterion, int, int]]  # criterion, assessed, missed or breached
    failure_path: tuple[tuple[str, ...], int] | None


def analytics(scenario: Scenario, version: ScenarioVersion) -> Analytics:
    """How learners play the current version: choices and decision times per turn, hang-ups, the most
    common path to failure and the criteria missed most."""
    definition = compiled(version)
    attempts = list(db.session.scalars(select(CallAttempt).where(CallAttempt.version_id == version.id,
                                                                 CallAttempt.status != CallStatus.IN_PROGRESS)))
    stats = {nid: NodeStats(node) for nid, node in definition.nodes.items() if node.type == "agent"}
    turns_by_attempt: dict[int, list[CallTurn]] = defaultdict(list)
    for turn in db.session.scalars(select(CallTurn).where(CallTurn.version_id == version.id)
                                   .order_by(CallTurn.attempt_id, CallTurn.index)):
        turns_by_attempt[turn.attempt_id].append(turn)
        node = stats.get(turn.node_id)
        if node is None:
            continue
        node.visits += 1
        node.choices[turn.option_index if turn.kind == "choice" else turn.kind] += 1
        node.seconds.append(turn.seconds)
    failures = Counter()
    criteria_counts = {c.id: [0, 0] for c in definition.rubric}
    for attempt in attempts:
        turns = turns_by_attempt.get(attempt.id, [])
        if attempt.outcome == "hung_up" and turns and turns[-1].node_id in stats:
            stats[turns[-1].node_id].hang_ups_after += 1
        if attempt.passed is False:
            failures[tuple(t.node_id for t in turns)] += 1
        for cid, status in (attempt.criteria or {}).items():
            if cid in criteria_counts and status is not None:
                criteria_counts[cid][0] += 1
                criteria_counts[cid][1] += status != "met"
    return Analytics(len(attempts), sum(1 for a in attempts if a.passed),
                     [stats[nid] for nid in definition.nodes if nid in stats],
                     sorted(((definition.criterion(cid), n, bad) for cid, (n, bad) in criteria_counts.items()),
                            key=lambda row: -(row[2] / row[1] if row[1] else 0)),
                     failures.most_common(1)[0] if failures else None)


def recent_calls(scenario: Scenario, limit: int = 30) -> list[CallAttempt]:
    return list(db.session.scalars(
        select(CallAttempt).where(CallAttempt.scenario_id == scenario.id)
        .options(selectinload(CallAttempt.user)).order_by(CallAttempt.started_at.desc()).limit(limit)))


def staff_call(call_id: int) -> CallAttempt:
    attempt = db.session.get(CallAttempt, call_id)
    if attempt is None:
        raise LookupError(call_id)
    return attempt


def learner_history(user: User, scenario: Scenario) -> list[CallAttempt]:
    """The learner's finished calls of one scenario, oldest first: criterion results over time."""
    return list(db.session.scalars(select(CallAttempt).where(
        CallAttempt.user_id == user.id, CallAttempt.scenario_id == scenario.id,
        CallAttempt.status != CallStatus.IN_PROGRESS).order_by(CallAttempt.started_at)))


def passed_assessments(user: User, scenario_ids: list[int]) -> set[int]:
    if not scenario_ids:
        return set()
    return set(db.session.scalars(select(CallAttempt.scenario_id).where(
        CallAttempt.user_id == user.id, CallAttempt.scenario_id.in_(scenario_ids),
        CallAttempt.mode == CallMode.ASSESSMENT, CallAttempt.status == CallStatus.FINISHED,
        CallAttempt.passed.is_(True))))
