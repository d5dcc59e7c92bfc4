"""The question form's per-type rows (issue 18): each type turns its stored data into rows and back without
changing a thing, so a question opened in the editor and saved unchanged keeps its file format."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.exams.loader import load_quizzes
from lms.exams.question_types import QUESTION_TYPES, FieldProblem

ROOT = Path(__file__).resolve().parents[2]
ROW_TYPES = [name for name, t in QUESTION_TYPES.items() if t.row_partial]

EXAMPLES = {
    "single": {"options": [{"id": "a", "text": "三聲以內", "weight": 1.0, "feedback": "對"},
                           {"id": "b", "text": "五聲以內", "weight": 0.0, "feedback": ""},
                           {"id": "c", "text": "四聲以內", "weight": 0.5, "feedback": "接近"}]},
    "multiple": {"options": [{"id": "a", "text": "公司名稱", "weight": 0.5, "feedback": ""},
                             {"id": "b", "text": "工號", "weight": 0.5, "feedback": ""},
                             {"id": "c", "text": "天氣", "weight": -1.0, "feedback": "不需要"}]},
    "truefalse": {"answer": False, "feedback_true": "錯", "feedback_false": "對"},
    "short": {"answers": [{"text": "三聲", "weight": 1.0, "feedback": ""},
                          {"text": "3聲", "weight": 0.5, "feedback": "寫數字也可以"}]},
    "numerical": {"answers": [{"value": 3.0, "tolerance": 0.0, "weight": 1.0, "feedback": ""},
                              {"value": 2.5, "tolerance": 0.25, "weight": 0.5, "feedback": "差一點"}],
                  "wrong_feedback": "請再看一次規範"},
    "matching": {"pairs": [{"left": "技術問題", "right": "轉技術支援"}, {"left": "投訴", "right": "先道歉"},
                           {"left": "", "right": "直接掛斷"}]},
    "ordering": {"items": ["傾聽", "道歉", "分析", "解決", "回訪"]},
    "essay": {"rubric": "提到道歉與承諾時間", "min_words": 30},
}


def test_every_type_the_engine_has_its_rows():
    assert set(ROW_TYPES) == set(EXAMPLES) == set(QUESTION_TYPES)


@pytest.mark.parametrize("qtype", sorted(EXAMPLES))
def test_rows_round_trip_each_type(app, qtype):
    question_type, data = QUESTION_TYPES[qtype], EXAMPLES[qtype]
    assert question_type.validate(data) == []
    assert question_type.from_rows(question_type.to_rows(data)) == data


def test_every_shipped_question_round_trips_through_its_rows(app):
    content, errors = load_quizzes(ROOT / "quizzes")
    assert errors == []
    questions = [q for bank in content.banks for q in bank.questions]
    assert len(questions) > 100
    for q in questions:
        question_type = QUESTION_TYPES[q.qtype]
        assert question_type.from_rows(question_type.to_rows(q.data)) == q.data, q.uid


def test_blank_rows_are_skipped_and_a_toggle_gives_the_weights(app):
    rows = {"options": [{"text": "甲", "correct": False, "feedback": "", "credit": ""}, {},
                        {"text": "乙", "correct": True, "feedback": "好", "credit": ""},
                        {"text": "", "correct": False, "feedback": "", "credit": ""},
                        {"text": "丙", "correct": True, "feedback": "", "credit": ""}]}
    data = QUESTION_TYPES["multiple"].from_rows(rows)
    assert [(o["id"], o["text"], o["weight"]) for o in data["options"]] == [("a", "甲", -1.0), ("b", "乙", 0.5),
                                                                            ("c", "丙", 0.5)]
    assert QUESTION_TYPES["multiple"].validate(data) == []


def test_a_range_is_kept_as_its_middle_and_half_width(app):
    data = QUESTION_TYPES["numerical"].from_rows({"numbers": [{"mode": "range", "low": "1", "high": "5"}]})
    assert data == {"answers": [{"value": 3.0, "tolerance": 2.0, "weight": 1.0, "feedback": ""}]}


@pytest.mark.parametrize("qtype, rows, field, says", [
    ("single", {"options": [{"text": "", "feedback": "只有回饋"}]}, "options", "選項 1 沒有內容"),
    ("single", {"options": [{"text": "甲", "credit": "150"}]}, "options", "選項 1：得分比例"),
    ("numerical", {"numbers": [{"mode": "range", "low": "5", "high": "1"}]}, "numbers", "較小的在前"),
    ("numerical", {"numbers": [{"mode": "margin", "value": "三"}]}, "numbers", "請輸入正確的數字"),
    ("numerical", {"numbers": [{"mode": "margin", "value": "3", "tolerance": "-1"}]}, "numbers", "誤差"),
    ("short", {"accepted": [{"text": "", "credit": "50"}]}, "accepted", "可接受的答案 1沒有內容"),
    ("truefalse", {"truefalse": ""}, "truefalse", "對還是錯"),
    ("essay", {"rubric": "", "min_words": "2.5"}, "min_words", "整數"),
])
def test_rows_that_cannot_be_data_name_their_list(app, qtype, rows, field, says):
    with pytest.raises(FieldProblem) as problem:
        QUESTION_TYPES[qtype].from_rows(rows)
    assert problem.value.field == field and says in problem.value.message


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
CREDIT = st.one_of(st.just(""), st.integers(-100, 100).map(str), st.decimals(-100, 100, places=2).map(str))
OPTION = st.fixed_dictionaries({"text": TEXT, "correct": st.booleans(), "feedback": TEXT, "credit": CREDIT})
NUMBER = st.fixed_dictionaries({"mode": st.sampled_from(["margin", "range"]),
                                "value": st.one_of(st.floats(-1e6, 1e6).map(repr), TEXT),
                                "tolerance": st.floats(0, 100).map(repr), "low": st.floats(-50, 0).map(repr),
                                "high": st.floats(0, 50).map(repr), "credit": CREDIT, "feedback": TEXT})
ROWS = {
    "single": st.fixed_dictionaries({"options": st.lists(OPTION, max_size=6)}),
    "multiple": st.fixed_dictionaries({"options": st.lists(OPTION, max_size=6)}),
    "truefalse": st.fixed_dictionaries({"truefalse": st.sampled_from(["true", "false"]), "feedback_true": TEXT,
                                        "feedback_false": TEXT}),
    "short": st.fixed_dictionaries({"accepted": st.lists(st.fixed_dictionaries(
        {"text": TEXT, "credit": CREDIT, "feedback": TEXT}), max_size=4)}),
    "numerical": st.fixed_dictionaries({"numbers": st.lists(NUMBER, max_size=3), "wrong_feedback": TEXT}),
    "matching": st.fixed_dictionaries({"pairs": st.lists(st.fixed_dictionaries({"left": TEXT, "right": TEXT}),
                                                         max_size=6)}),
    "ordering": st.fixed_dictionaries({"items": st.lists(st.fixed_dictionaries({"text": TEXT}), max_size=6)}),
    "essay": st.fixed_dictionaries({"rubric": TEXT, "min_words": st.one_of(st.just(""), st.integers(0, 999).map(str))}),
}


@pytest.mark.parametrize("qtype", sorted(ROWS))
def test_property_whatever_the_rows_make_comes_back_unchanged(app, qtype):
    question_type = QUESTION_TYPES[qtype]

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(ROWS[qtype])
    def check(rows):
        try:
            data = question_type.from_rows(rows)
        except FieldProblem:
            return
        assert question_type.from_rows(question_type.to_rows(data)) == data

    check()
