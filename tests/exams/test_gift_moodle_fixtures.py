"""GIFT as Moodle reads it (issue 12, item 3): every fixture in tests/fixtures/gift/moodle/ is parsed and
compared with expected.yaml (type, texts, answers, weights, feedback); then the behaviours around it."""

from pathlib import Path

import pytest
import yaml

from lms.exams.gift import GiftQuestion, export_gift, parse_gift
from lms.exams.gift_text import percent
from lms.exams.loader import UID, gift_to_specs
from lms.exams.question_types import grade_response

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gift" / "moodle"
EXPECTED = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))


def _as_read(question) -> dict:
    """A parsed question in the shape of expected.yaml."""
    data, read = question.data, {"name": question.name, "type": question.qtype, "text": question.text}
    optional = {"format": question.text_format if question.text_format != "moodle" else None,
                "feedback": question.feedback, "category": question.category, "id": question.uid,
                "tags": question.tags}
    read |= {key: value for key, value in optional.items() if value}
    if question.qtype in ("single", "multiple"):
        read["options"] = [[o["text"], o["weight"], o["feedback"]] for o in data["options"]]
    elif question.qtype == "short":
        read["answers"] = [[a["text"], a["weight"], a["feedback"]] for a in data["answers"]]
    elif question.qtype == "numerical":
        read["numbers"] = [[a["value"], a["tolerance"], a["weight"], a["feedback"]] for a in data["answers"]]
        if data.get("wrong_feedback"):
            read["wrong_feedback"] = data["wrong_feedback"]
    elif question.qtype == "matching":
        read["pairs"] = [[p["left"], p["right"]] for p in data["pairs"]]
    elif question.qtype == "truefalse":
        read["answer"] = data["answer"]
        read |= {k: data[k] for k in ("feedback_true", "feedback_false") if data.get(k)}
    return read


def test_every_fixture_has_its_expectations():
    assert sorted(EXPECTED) == sorted(p.name for p in FIXTURES.glob("*.gift"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_fixture_reads_as_moodle_reads_it(name):
    result = parse_gift((FIXTURES / name).read_text(encoding="utf-8"))
    assert result.errors == []
    assert [w.line for w in result.warnings] == EXPECTED[name].get("warnings", [])
    assert [_as_read(q) for q in result.questions] == EXPECTED[name]["questions"]


def _question(name, file="03-numbers-and-short.gift"):
    return next(q for q in parse_gift((FIXTURES / file).read_text(encoding="utf-8")).questions if q.name == name)


def test_an_asterisk_answer_catches_every_other_response_and_shows_its_feedback():
    q = _question("簡答")
    assert grade_response("short", q.data, {"text": "電話"}).fraction == 1
    other = grade_response("short", q.data, {"text": "飛鴿傳書"})
    assert other.fraction == 0 and other.messages == ("再想想看。",)
    assert grade_response("short", q.data, {"text": "電子郵件"}).fraction == 0.5


def test_any_of_several_full_credit_options_is_right():
    q = _question("多個正解", "02-choice.gift")
    scores = [grade_response("single", q.data, {"choice": o["id"]}).fraction for o in q.data["options"]]
    assert scores == [1, 1, 1, 0]


def test_weights_keep_their_precision_on_export_and_back():
    assert [percent(w) for w in (1 / 3, -1 / 3, 0.5, 1, 0, 0.125)] == [
        "%33.33333%", "%-33.33333%", "%50%", "%100%", "%0%", "%12.5%"]
    third = {"options": [{"id": c, "text": c, "weight": w, "feedback": ""}
                         for c, w in (("a", 1 / 3), ("b", 1 / 3), ("c", 1 / 3), ("d", -1))]}
    text = export_gift([GiftQuestion(0, "三分之一", "選三個", "markdown", "multiple", third)])
    assert "%33.33333%" in text
    again = parse_gift(text)
    assert again.errors == [] and [round(o["weight"], 7) for o in again.questions[0].data["options"]] == [
        0.3333333, 0.3333333, 0.3333333, -1]


def test_a_generated_name_is_trimmed_so_the_round_trip_changes_nothing():
    question = parse_gift("長" * 59 + " 第六十個字是空白 {T}").questions[0]  # the name is cut at 60 characters
    assert question.name == "長" * 59
    assert parse_gift(export_gift([question])).questions[0].name == question.name


def test_long_bank_names_still_give_valid_generated_ids():
    prefix = "a-very-long-bank-name-" * 5  # 110 characters
    specs, errors, _warnings = gift_to_specs("// [tag:std:4.1.1-a]\nQ {T}\n", "GIFT", id_prefix=prefix)
    assert errors == [] and UID.match(specs[0].uid) and specs[0].uid.endswith("-001")


def test_a_tag_with_a_closing_bracket_survives_the_round_trip():
    question = parse_gift((FIXTURES / "06-comments.gift").read_text(encoding="utf-8")).questions[2]
    assert "[tag:等級\\]一]" in export_gift([question])
    assert parse_gift(export_gift([question])).questions[0].tags == ["等級]一"]
