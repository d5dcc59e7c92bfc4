"""The scenario engine: the expression language, compiling and validating definitions, playing and scoring."""

import contextlib
import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.calls import definition as definitions
from lms.calls import engine, paths, scoring
from lms.calls.expressions import ExpressionError, evaluate, parse
from lms.calls.nodes.typed import match_typed_reply

FIXTURE = Path(__file__).parent.parent / "fixtures/content/courses/tst-201-phone/scenarios/tst-call.yaml"
ITEMS = {"4.1.1-a", "4.1.1-b", "4.1.3-a", "4.1.3-b", "5.2.1-a", "5.2.1-b"}


def definition() -> dict:
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def node(data: dict, nid: str) -> dict:
    return next(n for n in data["nodes"] if n["id"] == nid)


def errors_of(data: dict) -> list[str]:
    try:
        scenario = definitions.compile_scenario(data)
    except engine.ScenarioError as exc:
        return [str(exc)]
    return [str(e) for e in definitions.validate(scenario, ITEMS)]


# ---------------------------------------------------------------- expressions


@pytest.mark.parametrize(("text", "expected"), [
    ("patience - 1", 2), ("patience <= 1 or verified", False), ("patience >= 3 or verified", True), ("not verified and patience > 2", True),
    ("(patience + 2) * 1", None), ("-patience + 5", 2), ("patience == 3 and not (verified or false)", True),
    (3, 3), (True, True),
])
def test_expressions_evaluate_on_the_variables(text, expected):
    if expected is None:
        with pytest.raises(ExpressionError):
            parse(text)
        return
    assert evaluate(parse(text), {"patience": 3, "verified": False}) == expected


@pytest.mark.parametrize("text", [
    "__import__('os').system('id')", "patience.__class__", "open('x')", "patience; x", "lambda: 1",
    "patience if verified else 1", "[patience]", "'text'", "patience ** 2", "x" * 300, "1 < 2 < 3", "",
    "patience +", "(patience", "patience patience",
])
def test_expressions_refuse_anything_outside_the_grammar(text):
    with pytest.raises(ExpressionError):
        parse(text)


def test_expressions_refuse_mixing_numbers_and_booleans():
    with pytest.raises(ExpressionError):
        evaluate(parse("verified + 1"), {"verified": True})
    with pytest.raises(ExpressionError):
        evaluate(parse("patience and verified"), {"patience": 1, "verified": True})


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_property_the_parser_only_ever_raises_expression_errors(text):
    try:
        expr = parse(text)
    except ExpressionError:
        return
    with contextlib.suppress(ExpressionError):
        evaluate(expr, {name: 1 for name in expr.names()})


# ---------------------------------------------------------------- compiling and validating


def test_the_fixture_compiles_and_validates():
    assert errors_of(definition()) == []


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: node(d, "greet")["options"][0].update(goto="nowhere"), "node greet option 1: goes to unknown node nowhere"),
    (lambda d: d["nodes"].append({"id": "orphan", "type": "customer", "say": "喂？", "goto": "a_close"}),
     "node orphan: unreachable"),
    (lambda d: d["rubric"][0].update(standards=["9.9.9-z"]), "rubric pickup: cites unknown standard item 9.9.9-z"),
    (lambda d: node(d, "a_close")["options"][0].update(marks={"charm": "met"}), "marks unknown criterion charm"),
    (lambda d: node(d, "greet")["options"][1].update(set={"mood": "1"}), "sets undeclared variable mood"),
    (lambda d: node(d, "a_apology")["options"][1]["goto"][0].update({"if": "__import__('os')"}), "bad expression"),
    (lambda d: node(d, "c_detail").update(say="{secret}"), "{secret} is in no variant"),
    (lambda d: node(d, "a_apology")["options"][1].update(goto=[{"if": "patience > 0", "to": "c_detail"}]),
     "the last branch must have no condition"),
    (lambda d: node(d, "ring")["options"][0].update(marks={"pickup": "great"}), "must be met, missed or breached"),
    (lambda d: d.update(category="gossip"), "category: must be one of"),
    (lambda d: node(d, "a_verify")["free_text"]["criteria"].update(verify={"any": []}), "has no phrases"),
])
def test_the_validator_names_what_is_wrong(change, message):
    data = definition()
    change(data)
    found = errors_of(data)
    assert any(message in e for e in found), found


def test_a_loop_without_a_way_out_is_refused():
    data = definition()
    # c_unsure → a_close, whose replies now only lead back to c_unsure: a loop that never ends.
    for option in node(data, "a_close")["options"]:
        option["goto"] = "c_unsure"
    data["nodes"] = [n for n in data["nodes"] if n["id"] not in ("end_callback", "end_resolved")]
    found = errors_of(data)
    assert any("a loop with no way out" in e for e in found), found


def test_a_customer_talking_in_circles_is_refused():
    data = definition()
    node(data, "c_detail")["goto"] = [{"if": "patience > 5", "to": "a_verify"}, {"to": "c_unsure"}]
    node(data, "c_unsure")["goto"] = [{"if": "patience > 9", "to": "a_close"}, {"to": "c_detail"}]
    found = errors_of(data)
    assert any("talks in a circle" in e for e in found), found


@given(st.recursive(st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                        st.sampled_from(["id", "type", "say", "goto", "options", "timer", "free_text", "marks",
                                         "set", "criteria", "any", "to", "if", "seconds", "timeout", "outcome",
                                         "weight", "standards", "rubric", "nodes"]), inner, max_size=5),
                    max_leaves=25))
@settings(max_examples=300, deadline=None)
def test_property_compiling_garbage_only_raises_scenario_errors(garbage):
    data = definition()
    key = ["nodes", "rubric", "variables", "variants", "start", "pass_mark"][hash(repr(garbage)) % 6]
    if key == "nodes":
        data["nodes"][2] = garbage
    else:
        data[key] = garbage
    try:
        scenario = definitions.compile_scenario(data)
    except engine.ScenarioError:
        return
    definitions.validate(scenario, ITEMS)


# ---------------------------------------------------------------- playing and scoring


def test_a_good_call_passes_and_the_timeout_costs_the_pickup():
    scenario = definitions.compile_scenario(definition())
    state = engine.begin(scenario, 1, "E0001")
    assert state.variant["caller"] == "林小姐" and state.node == "ring"
    engine.time_out(scenario, state)
    engine.choose_reply(scenario, state, 0)  # full greeting
    assert any("1,199" in e.text for e in state.events if e.kind == "customer")
    engine.choose_reply(scenario, state, 0)  # apology
    engine.type_reply(scenario, state, "我先幫您核對這個月的帳單。")
    assert state.node == "a_close" and state.variables["verified"] is True
    engine.choose_reply(scenario, state, 0)
    assert state.finished and state.outcome == "callback"
    result = scoring.score(scenario, state.marks)
    statuses = {r.criterion.id: r.status for r in result.criteria}
    assert statuses == {"pickup": "missed", "greeting": "met", "apology": "met", "verify": "met", "no_argue": "met",
                        "closing": "met"}
    assert result.percent == 90.0 and result.passed


def test_arguing_breaches_a_critical_criterion_and_fails_whatever_the_score():
    scenario = definitions.compile_scenario(definition())
    state = engine.begin(scenario, 0, "E0001")
    engine.choose_reply(scenario, state, 0)
    engine.choose_reply(scenario, state, 0)
    engine.choose_reply(scenario, state, 2)  # "you must have misread it"
    assert state.finished and state.outcome == "hung_up"
    result = scoring.score(scenario, state.marks)
    assert result.critical_failed == ["no_argue"] and not result.passed


def test_typed_replies_are_matched_across_width_and_script():
    scenario = definitions.compile_scenario(definition())
    verify = scenario.nodes["a_verify"]
    assert ("verify", "met", verify.matchers[0].sets, []) in match_typed_reply(verify, "我帮您确认一下")
    assert match_typed_reply(verify, "ＯＫ，好的")[0][:2] == ("verify", "missed")
    marks = {c: m for c, m, _s, _p in match_typed_reply(verify, "您看 錯 了吧")}
    assert marks["no_argue"] == "breached"


def test_replies_outside_the_turn_are_refused():
    scenario = definitions.compile_scenario(definition())
    state = engine.begin(scenario, 0, "E0001")
    with pytest.raises(engine.ScenarioError):
        engine.choose_reply(scenario, state, 5)
    with pytest.raises(engine.ScenarioError):
        engine.type_reply(scenario, state, "hello")
    engine.choose_reply(scenario, state, 0)
    with pytest.raises(engine.ScenarioError):
        engine.time_out(scenario, state)  # the greeting has no timer


def test_the_worst_mark_counts_and_unassessed_criteria_are_left_out():
    scenario = definitions.compile_scenario(definition())
    result = scoring.score(scenario, [["apology", "met", 1], ["apology", "missed", 4], ["pickup", "met", 0]])
    assert {r.criterion.id: r.status for r in result.criteria}["apology"] == "missed"
    assert (result.points, result.possible) == (10, 40)


def test_every_ending_has_its_best_and_worst_score():
    extremes = paths.end_extremes(definitions.compile_scenario(definition()))
    assert set(extremes) == {"end_callback", "end_resolved", "end_hangup"}
    assert extremes["end_callback"][0] == 100.0 and extremes["end_hangup"][2] is False


def test_definitions_are_not_changed_by_playing():
    data = definition()
    before = copy.deepcopy(data)
    scenario = definitions.compile_scenario(data)
    for path in paths.walk_paths(scenario):
        assert path.outcome
    assert data == before and scenario.variables == {"patience": 2, "verified": False}
