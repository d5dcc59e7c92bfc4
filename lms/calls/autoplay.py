"""Playing a call along chosen moves, through the same services a learner's clicks use: for demo data
(``flask lms demo``), which must leave calls whose debriefs, scores and reviews are real.

A move is ``("option", index)`` or ``("text", reply)``; the paths are found by walking the scenario's
branches (each typed reply says the words its matchers look for)."""

import random

from sqlalchemy import select

from lms.accounts.models import User
from lms.calls import engine
from lms.calls.models import CallAttempt, CallTurn
from lms.calls.scoring import score
from lms.db import db

MAX_MOVES = 40  # a path longer than this is a loop the walk leaves


def finished_paths(definition: engine.Scenario, employee_no: str) -> list[tuple[float, bool, list[tuple[str, object]]]]:
    """Every path through the call to its end (variant 0), best score first: [(percent, passed, moves)]."""
    found = []
    stack = [(engine.begin(definition, 0, employee_no), [])]
    while stack:
        state, moves = stack.pop()
        if state.finished:
            result = score(definition, state.marks)
            found.append((result.percent, result.passed, moves))
            continue
        if len(moves) > MAX_MOVES:
            continue
        node = definition.nodes[state.node]
        options = [("text", " ".join(p for m in node.matchers for p in m.any[:1] + m.all))] if node.free_text \
            else [("option", o.index) for o in node.options]
        for kind, value in options:
            after = engine.CallState.from_dict(state.as_dict())
            (engine.type_reply if kind == "text" else engine.choose_reply)(definition, after, value)
            stack.append((after, moves + [(kind, value)]))
    return sorted(found, key=lambda path: -path[0])


def play(user: User, slug: str, moves: list[tuple[str, object]], reviewer: User) -> CallAttempt:
    """Play an assessment call along the moves; typed replies waiting for a trainer are confirmed by the
    reviewer as the matchers marked them."""
    from lms.calls import playing, review

    attempt = playing.start_call(user, slug, "assessment", rng=random.Random(0))
    for kind, value in moves:
        if kind == "text":
            playing.take_turn(attempt.id, user, text=value)
        else:
            playing.take_turn(attempt.id, user, option=value)
    if attempt.status != "finished":
        waiting = db.session.scalars(select(CallTurn).where(CallTurn.attempt_id == attempt.id,
                                                            CallTurn.needs_review.is_(True)).order_by(CallTurn.index))
        for turn in list(waiting):
            review.review_turn(turn.id, dict(turn.marks), "示範資料：確認。", reviewer)
    return attempt
