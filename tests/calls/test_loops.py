"""Calls without end (issue 12, item 24): every loop of a scenario must progress toward an ending, and
the engine ends a call that reaches its turn limit cleanly, with a debrief that says so."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.calls import definition as definitions
from lms.calls import engine
from lms.calls.loader import ScenarioSpec
from lms.calls.loops import MAX_STATES, endless_loop
from lms.calls.models import CallAttempt
from lms.calls.paths import next_states
from lms.calls.sync import save_scenario
from lms.db import db

ITEMS = {"4.1.1-a"}


def scenario(nodes: list[dict], variables: dict | None = None) -> dict:
    return {"slug": "loop", "title": "迴圈", "category": "inquiry", "variables": variables or {"patience": 3},
            "rubric": [{"id": "ask", "title": "詢問", "weight": 10, "standards": ["4.1.1-a"]}],
            "start": "ask", "nodes": nodes}


def ask(*options: dict) -> dict:
    return {"id": "ask", "type": "agent", "options": list(options)}


def say(goto, set_=None, text="請問還有什麼需要？") -> dict:
    option = {"say": text, "marks": {"ask": "met"}, "goto": goto}
    if set_:
        option["set"] = set_
    return option


CUSTOMER = {"id": "c_again", "type": "customer", "say": "我還是不懂。", "goto": "ask"}
END = {"id": "end", "type": "end", "outcome": "resolved", "say": "謝謝。"}
HANG_UP = {"id": "hang_up", "type": "end", "outcome": "hung_up", "say": "算了！"}


def errors_of(data: dict) -> list[str]:
    return [str(e) for e in definitions.validate(definitions.compile_scenario(data), ITEMS)]


def test_a_loop_that_does_not_lower_patience_is_refused_naming_its_node():
    # The scenario: asking again loops back with nothing changed; a learner could go round forever.
    data = scenario([ask(say("c_again"), say("end")), CUSTOMER, END])
    found = errors_of(data)
    assert found == ["node ask: a learner can go round this loop forever: nothing in it brings the call closer "
                     "to an end (lower patience or count the rounds in a variable, and leave the loop at a limit)"]


def test_a_loop_that_lowers_patience_until_the_customer_hangs_up_is_accepted():
    customer = {**CUSTOMER, "goto": [{"if": "patience <= 0", "to": "hang_up"}, {"to": "ask"}]}
    data = scenario([ask(say("c_again", {"patience": "patience - 1"}), say("end")), customer, END, HANG_UP])
    assert errors_of(data) == []


def test_a_loop_with_a_counter_and_a_limit_is_accepted():
    customer = {**CUSTOMER, "goto": [{"if": "rounds >= 4", "to": "hang_up"}, {"to": "ask"}]}
    data = scenario([ask(say("c_again", {"rounds": "rounds + 1"}), say("end")), customer, END, HANG_UP],
                    {"rounds": 0})
    assert errors_of(data) == []


def test_patience_won_back_inside_the_loop_is_a_loop_without_progress():
    # One reply lowers patience, another raises it again: alternating them never ends the call.
    customer = {**CUSTOMER, "goto": [{"if": "patience <= 0", "to": "hang_up"}, {"to": "ask"}]}
    data = scenario([ask(say("c_again", {"patience": "patience - 1"}),
                         say("c_again", {"patience": "patience + 1"}, "真的很抱歉。"), say("end")),
                     customer, END, HANG_UP])
    assert any("go round this loop forever" in e for e in errors_of(data))


def test_a_counter_without_a_limit_is_refused():
    data = scenario([ask(say("c_again", {"rounds": "rounds + 1"}), say("end")), CUSTOMER, END], {"rounds": 0})
    assert any("its variables keep changing but never lead out of it" in e for e in errors_of(data))


def test_a_call_longer_than_the_turn_limit_is_refused():
    customer = {**CUSTOMER, "goto": [{"if": "patience <= 0", "to": "hang_up"}, {"to": "ask"}]}
    data = scenario([ask(say("c_again", {"patience": "patience - 1"}), say("end")), customer, END, HANG_UP],
                    {"patience": engine.MAX_CALL_TURNS + 5})
    assert any(f"more than {engine.MAX_CALL_TURNS} turns" in e for e in errors_of(data))


def test_the_engine_ends_a_call_at_the_turn_limit_cleanly():
    # A version saved before the check: compiled without validating, played by a learner who never stops.
    compiled = definitions.compile_scenario(scenario([ask(say("c_again"), say("end")), CUSTOMER, END]))
    state = engine.begin(compiled, 0, "1234")
    for _ in range(engine.MAX_CALL_TURNS):
        engine.choose_reply(compiled, state, 0)
    assert state.finished and state.outcome == engine.TURN_LIMIT
    assert engine.learner_turns(state) == engine.MAX_CALL_TURNS and state.events[-1].kind == "end"
    with pytest.raises(engine.ScenarioError):
        engine.choose_reply(compiled, state, 0)


# ---------------------------------------------------------------- random graphs

SETS = st.sampled_from([None, {"patience": "patience - 1"}, {"patience": "patience + 1"}, {"rounds": "rounds + 1"}])
GUARDS = st.sampled_from(["patience <= 0", "rounds >= 3", "patience >= 2", "rounds == 1"])


@st.composite
def random_scenarios(draw) -> dict:
    """Agent turns and customer lines: a spine n0 → n1 → … → end keeps every node reachable with a way
    out; random extra branches (guarded or not) and variable changes make loops of every sort."""
    size = draw(st.integers(2, 6))
    ids = [f"n{i}" for i in range(size)]
    anywhere = st.sampled_from(ids + ["end", "hang_up"])
    nodes = []
    for index, nid in enumerate(ids):
        onward = ids[index + 1] if index + 1 < size else "end"
        goto = [{"if": draw(GUARDS), "to": draw(anywhere)}] if draw(st.booleans()) else []
        goto.append({"to": onward})
        if nid != "n0" and draw(st.booleans()):
            node = {"id": nid, "type": "customer", "say": "嗯。", "goto": goto}
            if change := draw(SETS):
                node["set"] = change
        else:
            options = [{"say": "回覆", "goto": onward}] + ([{"say": "再見", "goto": "hang_up"}] if index == 0 else []) + [
                {"say": f"回覆{i}", "goto": goto if i == 1 else draw(anywhere)} for i in range(1, draw(st.integers(1, 3)))]
            for option in options:
                if change := draw(SETS):
                    option["set"] = change
            node = {"id": nid, "type": "agent", "options": options}
        nodes.append(node)
    data = scenario(nodes + [END, HANG_UP], {"patience": 3, "rounds": 0})
    data["start"] = "n0"
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_scenarios(), st.randoms(use_true_random=False))
def test_property_an_accepted_scenario_ends_every_call_before_the_turn_limit(data, rng: random.Random):
    try:
        compiled = definitions.compile_scenario(data)
    except engine.ScenarioError:
        return
    if definitions.validate(compiled, ITEMS):
        return
    for _ in range(5):  # learners choosing at random
        state = engine.begin(compiled, 0, "1")
        while not state.finished:
            engine.choose_reply(compiled, state, rng.randrange(len(compiled.nodes[state.node].options)))
        assert state.outcome != engine.TURN_LIMIT


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_scenarios())
def test_property_a_refused_loop_really_can_go_on_forever(data):
    """Whatever the loop check refuses (a loop without progress, variables changing without end, a call
    longer than the limit), a learner can indeed play the call to the turn limit."""
    try:
        compiled = definitions.compile_scenario(data)
    except engine.ScenarioError:
        return
    if definitions.validate(compiled, ITEMS) or (problem := endless_loop(compiled)) is None:
        return
    assert problem.node in compiled.nodes
    assert _can_reach_turn_limit(compiled)


def _can_reach_turn_limit(compiled) -> bool:
    """Search the calls, depth first, for one that the engine ends at its turn limit."""
    seen: set = set()
    stack = [engine.begin(compiled, 0, "1")]
    while stack and len(seen) < MAX_STATES:
        state = stack.pop()
        if state.outcome == engine.TURN_LIMIT:
            return True
        key = (state.node, tuple(sorted(state.variables.items())), engine.learner_turns(state))
        if state.finished or key in seen:
            continue
        seen.add(key)
        stack += next_states(compiled, state)
    return False


# ---------------------------------------------------------------- the debrief


def test_the_debrief_of_a_call_ended_at_the_turn_limit_says_so(client, auth, make, app):
    make.content()
    learner = make.user()
    save_scenario(ScenarioSpec("loop", "", scenario([ask(say("c_again"), say("end")), CUSTOMER, END])))
    db.session.commit()
    auth.login(learner)
    response = client.post("/calls/loop/start", data={"mode": "practice"})
    attempt = db.session.scalar(db.select(CallAttempt))
    for _ in range(engine.MAX_CALL_TURNS):
        db.session.expire_all()
        state = engine.CallState.from_dict(db.session.get(CallAttempt, attempt.id).state)
        response = client.post(f"/calls/attempts/{attempt.id}/reply", data={"option": 0, "at": len(state.events)})
        assert response.status_code == 302
    html = client.get(f"/calls/attempts/{attempt.id}/debrief").get_data(as_text=True)
    assert "已達 100 個回合" in html and "已達通話回合上限而結束" in html and "turn_limit" not in html
