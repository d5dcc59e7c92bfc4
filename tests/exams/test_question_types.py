"""Grading of every question type, including property-based checks."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from lms.exams.question_types import QUESTION_TYPES, grade_response, normalise_answer, parse_number
from lms.exams.question_types.matching import rights as matching_rights

SINGLE = {"options": [{"id": "a", "text": "三聲", "weight": 1.0, "feedback": "對"},
                      {"id": "b", "text": "五聲", "weight": 0.0, "feedback": "太慢"},
                      {"id": "c", "text": "半對", "weight": 0.5, "feedback": ""}]}
MULTI = {"options": [{"id": "a", "text": "A", "weight": 0.5}, {"id": "b", "text": "B", "weight": 0.5},
                     {"id": "c", "text": "C", "weight": -0.5}, {"id": "d", "text": "D", "weight": -0.5}]}


def test_single_choice_with_partial_weight_and_feedback():
    assert grade_response("single", SINGLE, {"choice": "a"}).fraction == 1.0
    assert grade_response("single", SINGLE, {"choice": "b"}).messages == ("太慢",)
    assert grade_response("single", SINGLE, {"choice": "c"}).fraction == 0.5
    assert grade_response("single", SINGLE, {"choice": "zzz"}).fraction == 0.0
    assert grade_response("single", SINGLE, None).fraction == 0.0


def test_multiple_response_partial_credit_and_nothing_for_everything():
    grade = lambda *ids: grade_response("multiple", MULTI, {"choices": list(ids)}).fraction  # noqa: E731
    assert grade("a", "b") == 1.0
    assert grade("a") == 0.5
    assert grade("a", "c") == 0.0
    assert grade("a", "b", "c", "d") == 0.0
    assert grade() == 0.0


def test_true_false_and_its_feedback():
    data = {"answer": False, "feedback_true": "錯了", "feedback_false": "對了"}
    assert grade_response("truefalse", data, {"value": False}).fraction == 1.0
    assert grade_response("truefalse", data, {"value": True}).messages == ("錯了",)
    assert grade_response("truefalse", data, {"value": "false"}).fraction == 0.0


def test_short_answer_ignores_width_case_spaces_and_script():
    data = {"answers": [{"text": "投訴處理", "weight": 1.0}, {"text": "Complaint", "weight": 0.5}]}
    for given_text in ("投诉处理", " 投訴 處理 ", "投訴處理。"):
        assert grade_response("short", data, {"text": given_text}).fraction == 1.0, given_text
    assert grade_response("short", data, {"text": "ＣＯＭＰＬＡＩＮＴ"}).fraction == 0.5
    assert grade_response("short", data, {"text": "別的"}).fraction == 0.0
    assert normalise_answer("３聲") == "3声"


def test_numerical_tolerance_ranges_and_bad_input():
    data = {"answers": [{"value": 3.0, "tolerance": 0.0, "weight": 1.0}, {"value": 3.0, "tolerance": 1.0, "weight": 0.5}]}
    assert grade_response("numerical", data, {"value": "3"}).fraction == 1.0
    assert grade_response("numerical", data, {"value": "３"}).fraction == 1.0
    assert grade_response("numerical", data, {"value": "4"}).fraction == 0.5
    for bad in ("nan", "inf", "1e999", "abc", "", "3,0.5"):
        assert grade_response("numerical", data, {"value": bad}).fraction in (0.0,), bad
    assert parse_number("1,000") == 1000.0 and parse_number("nan") is None


def test_matching_and_ordering_earn_shares():
    data = {"pairs": [{"left": "a", "right": "1"}, {"left": "b", "right": "2"}, {"left": "c", "right": "3"},
                      {"left": "", "right": "distractor"}]}
    rights = matching_rights(data)
    full = {"matches": {"0": rights.index("1"), "1": rights.index("2"), "2": rights.index("3")}}
    assert grade_response("matching", data, full).fraction == 1.0
    assert round(grade_response("matching", data, {"matches": {"0": rights.index("1")}}).fraction, 4) == 0.3333
    items = {"items": ["x", "y", "z", "w"]}
    assert grade_response("ordering", items, {"order": [0, 1, 2, 3]}).fraction == 1.0
    assert grade_response("ordering", items, {"order": [1, 0, 2, 3]}).fraction == 0.5
    assert grade_response("ordering", items, {"order": [0, 0, 0, 0]}).fraction == 0.0


def test_essay_waits_for_a_person():
    assert grade_response("essay", {"rubric": ""}, {"text": "…"}).fraction is None


def test_forms_become_responses():
    form = MultiDict([("q3", "b"), ("q4", "a"), ("q4", "c"), ("q5-0", "2"), ("q5-1", "0"), ("q6-0", "3"),
                      ("q6-1", "1"), ("q6-2", "2")])
    assert QUESTION_TYPES["single"].parse_form(form, "q3") == {"choice": "b"}
    assert QUESTION_TYPES["multiple"].parse_form(form, "q4") == {"choices": ["a", "c"]}
    assert QUESTION_TYPES["matching"].parse_form(form, "q5") == {"matches": {"0": 2, "1": 0}}
    assert QUESTION_TYPES["ordering"].parse_form(form, "q6") == {"order": [1, 2, 0]}
    assert QUESTION_TYPES["single"].parse_form(form, "q9") is None


# ---------------------------------------------------------------- properties

option_texts = st.lists(st.text(min_size=1, max_size=8).filter(str.strip), min_size=2, max_size=6, unique=True)


@st.composite
def multiple_questions(draw):
    texts = draw(option_texts)
    flags = draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts)).filter(any))
    right, wrong = sum(flags), len(flags) - sum(flags)
    options = [{"id": chr(97 + i), "text": t, "weight": (1 / right) if f else (-1 / wrong if wrong else 0.0)}
               for i, (t, f) in enumerate(zip(texts, flags, strict=True))]
    return {"options": options}


@settings(max_examples=400, deadline=None)
@given(multiple_questions(), st.data())
def test_property_multiple_scores_stay_in_range_and_everything_earns_nothing(data, pick):
    ids = [o["id"] for o in data["options"]]
    chosen = pick.draw(st.lists(st.sampled_from(ids), unique=True))
    fraction = grade_response("multiple", data, {"choices": chosen}).fraction
    assert 0.0 <= fraction <= 1.0
    if any(o["weight"] < 0 for o in data["options"]):
        assert grade_response("multiple", data, {"choices": ids}).fraction < 1e-9
    assert abs(grade_response("multiple", data, QUESTION_TYPES["multiple"].correct_response(data)).fraction - 1) < 1e-9


junk = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
                    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children,
                                                                                       max_size=3), max_leaves=8)


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(["single", "multiple", "truefalse", "short", "numerical", "matching", "ordering"]), junk)
def test_property_any_response_grades_without_error_within_range(qtype, response):
    data = {"single": SINGLE, "multiple": MULTI, "truefalse": {"answer": True}, "short": {"answers": [{"text": "x", "weight": 1}]},
            "numerical": {"answers": [{"value": 1.0, "tolerance": 0, "weight": 1}]},
            "matching": {"pairs": [{"left": "a", "right": "1"}, {"left": "b", "right": "2"}]},
            "ordering": {"items": ["1", "2", "3"]}}[qtype]
    fraction = grade_response(qtype, data, response if isinstance(response, dict) else {"value": response}).fraction
    assert 0.0 <= fraction <= 1.0


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=3, max_value=8), st.integers())
def test_property_shuffled_presentations_keep_full_marks_reachable(n, seed):
    items = {"items": [f"item {i}" for i in range(n)]}
    presentation = QUESTION_TYPES["ordering"].presentation(items, random.Random(seed))
    assert sorted(presentation["items"]) == list(range(n)) and presentation["items"] != list(range(n))
    assert grade_response("ordering", items, QUESTION_TYPES["ordering"].correct_response(items)).fraction == 1.0
