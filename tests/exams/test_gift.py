"""GIFT import and export, as Moodle's importer reads the format."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.exams.gift import GiftQuestion, export_gift, parse_gift
from lms.exams.loader import gift_to_specs
from lms.exams.question_types import QUESTION_TYPES

SHIPPED = Path(__file__).resolve().parents[2] / "quizzes" / "gift" / "moodle-phone-basics.gift"


def only(source):
    result = parse_gift(source)
    assert result.errors == [], result.errors
    assert len(result.questions) == 1
    return result.questions[0]


def test_every_type_is_detected_in_moodles_order():
    cases = {
        "Q {=yes ~no}": "single",
        "Q {~%50%a ~%50%b ~%-100%c}": "multiple",
        "Q {=cat -> 貓 =dog -> 狗}": "matching",
        "Q {T}": "truefalse",
        "Q {FALSE#wrong#right}": "truefalse",
        "Q {=三聲 =3聲}": "short",
        "Q {#3:0.5}": "numerical",
        "Q {#1..5}": "numerical",
        "Q {}": "essay",
    }
    for source, qtype in cases.items():
        assert only(source).qtype == qtype, source


def test_weights_feedback_general_feedback_title_and_format():
    q = only("::標題\\:一::[markdown]**問**題 {=對 #好 ~%25%部分 #差一點 ~錯 ####一般回饋}")
    assert q.name == "標題:一" and q.text == "**問**題" and q.text_format == "markdown"
    assert [(o["text"], o["weight"], o["feedback"]) for o in q.data["options"]] == [
        ("對", 1.0, "好"), ("部分", 0.25, "差一點"), ("錯", 0.0, "")]
    assert q.feedback == "一般回饋"


def test_escapes_keep_special_characters():
    q = only("Is 1\\=1 and a\\~b \\{x\\} \\#3 a\\\\b? {=yes\\: really ~no}")
    assert q.text == "Is 1=1 and a~b {x} #3 a\\b?"
    assert q.data["options"][0]["text"] == "yes: really"


def test_true_false_feedback_is_wrong_then_right():
    q = only("可以先掛？{F#錯：要等客戶先掛。#對。}")
    assert q.data == {"answer": False, "feedback_true": "錯：要等客戶先掛。", "feedback_false": "對。"}


def test_numerical_with_partial_answers_and_wrong_feedback():
    q = only("Year? {#=1822:0 #Correct =%50%1822:2 #Close ~#Wrong}")
    assert [(a["value"], a["tolerance"], a["weight"]) for a in q.data["answers"]] == [(1822, 0, 1.0), (1822, 2, 0.5)]
    assert q.data["wrong_feedback"] == "Wrong"


def test_missing_word_format_keeps_the_blank():
    assert only("The {=cat ~dog} sat on the mat.").text == "The _____ sat on the mat."


def test_comments_carry_id_tags_and_category():
    result = parse_gift("$CATEGORY: 電話\n\n// [id:q-1] [tag:std:4.1.1-a]\n// [tag:phone]\nQ {T}\n")
    q = result.questions[0]
    assert q.uid == "q-1" and q.tags == ["std:4.1.1-a", "phone", "電話"] and q.category == "電話"


def test_errors_point_past_leading_comments():
    result = parse_gift("// [tag:std:4.1.1-a]\n// another comment\nQ {=a ~b\n")
    assert [e.line for e in result.errors] == [3]


def test_errors_name_the_line_and_other_blocks_keep_their_numbers():
    source = "Q1 {T}\n\nQ2 has no end {=a ~b\n\n\nQ3 {=x ~y}\n\n::unclosed title Q4 {T}\n"
    result = parse_gift(source)
    assert [e.line for e in result.errors] == [3, 8]
    assert [q.line for q in result.questions] == [1, 6]


def test_descriptions_are_skipped_with_a_warning_and_translated_keywords_warned():
    result = parse_gift("只是說明文字\n\n對嗎？{錯誤#因為}\n\n$类别：電話\n")
    assert not result.errors
    assert {w.line for w in result.warnings} == {1, 3, 5}
    assert result.questions[0].qtype == "short"


def test_braces_after_the_answer_part_stay_in_the_text_as_moodle_reads_them():
    q = only("A {T} and {F}")
    assert q.qtype == "truefalse" and q.data["answer"] is True and q.text == "A and {F}"
    assert only("The {=cat ~dog} sat {here}.").text == "The _____ sat {here}."


def test_the_shipped_moodle_export_parses_cleanly_with_standards():
    specs, errors, _warnings = gift_to_specs(SHIPPED.read_text(encoding="utf-8"), "moodle-phone-basics.gift")
    assert errors == []
    assert len(specs) >= 20 and all(spec.standards for spec in specs)
    assert {s.qtype for s in specs} >= {"single", "multiple", "truefalse", "short", "numerical", "matching", "essay"}


# ---------------------------------------------------------------- round trip

plain = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r\n\u2028\u2029\x85"),
                min_size=1, max_size=12).map(str.strip).filter(lambda s: s and not s.startswith("[")
                                                                and "->" not in s and s[:1] < "\ue000")
feedback = st.one_of(st.just(""), plain)


def _clean(text):
    return "".join(ch for ch in text if not "\ue000" <= ch <= "\ue00f")


@st.composite
def gift_questions(draw):
    qtype = draw(st.sampled_from(["single", "multiple", "truefalse", "short", "numerical", "matching", "essay"]))
    if qtype == "single":
        texts = draw(st.lists(plain.map(_clean).filter(str.strip), min_size=2, max_size=4, unique=True))
        data = {"options": [{"id": chr(97 + i), "text": t, "weight": 1.0 if i == 0 else 0.0,
                             "feedback": draw(feedback.map(_clean))} for i, t in enumerate(texts)]}
    elif qtype == "multiple":
        texts = draw(st.lists(plain.map(_clean).filter(str.strip), min_size=2, max_size=4, unique=True))
        data = {"options": [{"id": chr(97 + i), "text": t, "weight": 1.0 if i == 0 else -1.0,
                             "feedback": ""} for i, t in enumerate(texts)]}
    elif qtype == "truefalse":
        data = {"answer": draw(st.booleans()), "feedback_true": draw(feedback.map(_clean)),
                "feedback_false": draw(feedback.map(_clean))}
    elif qtype == "short":
        data = {"answers": [{"text": t, "weight": 1.0, "feedback": ""}
                            for t in draw(st.lists(plain.map(_clean).filter(str.strip), min_size=1, max_size=3))]}
    elif qtype == "numerical":
        value = draw(st.integers(min_value=-10**6, max_value=10**6)) / 4
        data = {"answers": [{"value": value, "tolerance": draw(st.integers(0, 100)) / 4, "weight": 1.0, "feedback": ""}]}
    elif qtype == "matching":
        lefts = draw(st.lists(plain.map(_clean).filter(str.strip), min_size=2, max_size=4, unique=True))
        data = {"pairs": [{"left": left, "right": draw(plain.map(_clean).filter(str.strip))} for left in lefts]}
    else:
        data = {"rubric": "", "min_words": 0}
    if QUESTION_TYPES[qtype].validate(data):
        return None
    return GiftQuestion(0, draw(plain.map(_clean).filter(str.strip)), draw(plain.map(_clean).filter(str.strip)),
                        "markdown", qtype, data, draw(feedback.map(_clean)),
                        draw(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)),
                        draw(st.lists(st.from_regex(r"[a-z][a-z0-9:.-]{0,10}", fullmatch=True), max_size=3, unique=True)))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(st.lists(gift_questions().filter(lambda q: q is not None), min_size=1, max_size=4))
def test_property_export_then_import_gives_the_same_questions(questions):
    result = parse_gift(export_gift(questions))
    assert result.errors == []
    assert len(result.questions) == len(questions)
    for original, parsed in zip(questions, result.questions, strict=True):
        assert (parsed.qtype, parsed.name, parsed.text, parsed.feedback, parsed.uid, parsed.tags) == (
            original.qtype, original.name, original.text, original.feedback, original.uid, original.tags)
        if original.qtype in ("single", "multiple"):
            assert [(o["text"], round(o["weight"], 4), o["feedback"]) for o in parsed.data["options"]] == [
                (o["text"], round(o["weight"], 4), o["feedback"]) for o in original.data["options"]]
        elif original.qtype == "numerical":
            assert [(a["value"], a["tolerance"]) for a in parsed.data["answers"]] == [
                (a["value"], a["tolerance"]) for a in original.data["answers"]]
        else:
            assert parsed.data == original.data


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(list("{}~=#:%->.\\\n 01TFabc中文/[]$") + ["//", "::", "####", "$CATEGORY:", "\n\n"]),
                max_size=60).map("".join))
def test_property_any_text_parses_without_crashing(source):
    result = parse_gift(source)
    for error in result.errors + result.warnings:
        assert 1 <= error.line <= source.count("\n") + 1
