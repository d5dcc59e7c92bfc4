"""Playing a call: starting it, the page of its current turn, and taking the learner's turn (a reply or
a timeout). The server keeps the time; the engine (lms.calls.engine) plays the scenario."""

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.calls import engine
from lms.calls.channels import Channel, channel_named
from lms.calls.models import CallAttempt, CallMode, CallStatus, CallTurn
from lms.calls.results import score_call
from lms.calls.scenarios import compiled, get_scenario
from lms.db import db, get_row, utcnow
from lms.errors import DomainError

# A timed reply may arrive this much after its time and still count (the request's time in flight).
TIMER_ALLOWANCE = timedelta(seconds=2)


def start_call(user: User, slug: str, mode: str, rng: random.Random | None = None) -> CallAttempt:
    """Start a call of the scenario's current version, or resume the one in progress in this mode."""
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
        score_call(attempt, definition, state, now)
    return attempt


def load_call(attempt_id: int, user: User, lock: bool = False) -> CallAttempt:
    """The user's own call, or RowNotFound."""
    return get_row(CallAttempt, attempt_id, lock=lock, where=(CallAttempt.user_id == user.id,))


# ---------------------------------------------------------------- the play page


@dataclass
class TurnView:
    """What the play page shows for the current turn."""

    node: engine.Node
    prompt: str
    options: list[tuple[int, str]]
    seconds_left: int | None
    rings: int


def current_turn(attempt: CallAttempt, definition: engine.Scenario, now: datetime | None = None) -> TurnView | None:
    """The turn the call waits on, with the time left on its timer; None once the call has ended."""
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


@dataclass
class PlayPage:
    attempt: CallAttempt
    definition: engine.Scenario
    state: engine.CallState
    turn: TurnView | None
    last_decision: engine.Event | None  # the learner's last reply or timeout
    new_since: int  # the transcript's lines after it (the page announces them)
    times: list[datetime]  # when each line of the transcript was said or sent

    @property
    def channel(self) -> Channel:
        return channel_named(self.definition.channel)

    @property
    def thread(self) -> dict[str, str]:
        """The channel's texts (an e-mail's subject…) with the call's variant filled in."""
        return {key: engine.fill(text, self.state.variant) for key, text in self.definition.thread.items()}

    @property
    def practice(self) -> bool:
        return self.attempt.mode == CallMode.PRACTICE


def play_page(attempt: CallAttempt, now: datetime) -> PlayPage:
    """What the play page shows: the transcript so far and the current turn."""
    definition = compiled(attempt.version)
    state = engine.CallState.from_dict(attempt.state)
    decisions = [i for i, e in enumerate(state.events) if e.kind in ("agent", "timeout")]
    return PlayPage(attempt, definition, state, current_turn(attempt, definition, now),
                    state.events[decisions[-1]] if decisions else None, decisions[-1] + 1 if decisions else 0,
                    event_times(attempt, len(state.events)))


def event_times(attempt: CallAttempt, count: int) -> list[datetime]:
    """When each of the first ``count`` lines was said or sent: a reply when it was taken, the lines that
    follow it at the same moment (a chat window shows these times)."""
    taken = db.session.execute(select(CallTurn.event_index, CallTurn.seconds).where(CallTurn.attempt_id == attempt.id)
                               .order_by(CallTurn.index)).all()
    times, at, turns = [], attempt.started_at, iter(taken)
    following = next(turns, None)
    for index in range(count):
        while following is not None and following[0] <= index:
            at += timedelta(seconds=following[1])
            following = next(turns, None)
        times.append(at)
    return times


# ---------------------------------------------------------------- taking a turn


def _timed_out(node: engine.Node, elapsed: float, page_says_timed_out: bool) -> bool:
    """Whether the turn ends as a timeout: the page says the time ran out, or the reply came too late."""
    allowance = TIMER_ALLOWANCE.total_seconds()
    if node.timer is not None and elapsed > node.timer.seconds + allowance:
        return True
    if not page_says_timed_out:
        return False
    if node.timer is None:
        raise DomainError(_("This turn has no time limit."))
    if elapsed < node.timer.seconds - allowance:
        raise DomainError(_("The time for this reply has not run out yet."))
    return True


def _play(definition: engine.Scenario, state: engine.CallState, timed_out: bool,
          reply: engine.Reply) -> engine.Event:
    try:
        if timed_out:
            return engine.time_out(definition, state)
        return engine.reply(definition, state, reply)
    except engine.MissingReply as exc:
        raise DomainError(exc.message, field=exc.field) from exc
    except engine.ScenarioError as exc:
        raise DomainError(_("That reply is not available here.")) from exc


def take_turn(attempt_id: int, user: User, *, option: int | None = None, text: str | None = None,
              subject: str | None = None, timed_out: bool = False, at: int | None = None,
              now: datetime | None = None) -> CallTurn:
    """Take the learner's turn: the option chosen, the reply typed, or the timeout. The server checks the
    timer: a reply after the time (plus a little for the request in flight) counts as a timeout, whatever
    the page believed. ``at`` is the length of the transcript the page showed: a second click, or a stale
    tab, cannot answer the next turn with a reply meant for this one. The scenario's channel takes the
    typed reply as it is sent there (an e-mail with its ``subject``, an SMS within its length)."""
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
    timed_out = _timed_out(node, elapsed, timed_out)
    text = None if timed_out else channel_named(definition.channel).compose(text if text and text.strip() else None,
                                                                         subject)
    event = _play(definition, state, timed_out, engine.Reply(option, text))
    turn = _record_turn(attempt, node, state.events.index(event), event, "timeout" if timed_out else node.turn_kind,
                        elapsed)
    attempt.state = state.as_dict()
    attempt.node_shown_at = now
    if state.finished:
        score_call(attempt, definition, state, now)
    return turn


def _record_turn(attempt: CallAttempt, node: engine.Node, event_index: int, event: engine.Event, kind: str,
                 elapsed: float) -> CallTurn:
    index = db.session.scalar(select(func.count()).select_from(CallTurn).where(CallTurn.attempt_id == attempt.id))
    turn = CallTurn(attempt_id=attempt.id, version_id=attempt.version_id, index=index, event_index=event_index,
                    node_id=node.id, kind=kind, option_index=event.option, text=event.text if kind == "text" else "",
                    marks=event.marks, seconds=round(min(elapsed, 3600), 2),
                    needs_review=kind != "timeout" and (bool(event.review) or node.pre_scored
                                                        and attempt.mode == CallMode.ASSESSMENT))
    db.session.add(turn)
    return turn

