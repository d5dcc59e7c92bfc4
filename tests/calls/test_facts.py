"""The facts a typed reply must carry: reading amounts, dates and names whatever the keyboard did, a
typed turn that does not credit a reply with a fact missing or wrong, and the definition's checks."""

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.calls import definition as definitions
from lms.calls import engine, paths
from lms.calls.facts import check_fact, chinese_number, date_mentions, money_mentions, read_amount
from lms.calls.loader import check_definition
from lms.content.files import load_yaml

FIXTURE = Path(__file__).parent.parent / "fixtures/content/courses/tst-201-phone/scenarios/tst-call.yaml"
ITEMS = {"4.1.1-a", "4.1.1-b", "4.1.3-a", "4.1.3-b", "5.2.1-a", "5.2.1-b"}

# ---------------------------------------------------------------- reading amounts

DIGITS = "零一二三四五六七八九"
FORMAL = "零壹貳參肆伍陸柒捌玖"


def chinese(n: int, digits: str = DIGITS, units: str = "十百千", two: bool = False) -> str:
    """n written in Chinese numerals (below 100,000,000), as a person would write it."""
    if n == 0:
        return digits[0]
    out, high, low = "", n // 10_000, n % 10_000
    if high:
        out = chinese(high, digits, units, two) + ("萬" if digits is FORMAL else "万")
        if low and low < 1000:
            out += digits[0]
    places = [(1000, units[2]), (100, units[1]), (10, units[0]), (1, "")]
    zero = False
    for value, unit in places:
        digit = low // value % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero and out and not out.endswith(digits[0]):
            out += digits[0]
        zero = False
        word = "兩" if two and digit == 2 and value >= 100 else digits[digit]
        out += word + unit
    return out


@pytest.mark.parametrize(("text", "amount"), [
    ("1,299 元", 1299), ("1299元", 1299), ("NT$1,299", 1299), ("NT$ 1299", 1299), ("新臺幣1299元", 1299),
    ("１，２９９元", 1299), ("ＮＴ＄１２９９", 1299), ("一千二百九十九元", 1299), ("一千兩百九十九元", 1299),
    ("壹仟貳佰玖拾玖元", 1299), ("一千两百九十九块", 1299), ("五九七元", 597), ("十五元", 15), ("一萬零五百元", 10500),
])
def test_an_amount_reads_the_same_whatever_the_keyboard_did(text, amount):
    assert read_amount(text) == amount


def test_chinese_numerals_are_an_amount_only_beside_money():
    assert money_mentions("我確認一下，三個月") == []
    assert [v for v, marked in money_mentions("門號 0925-617-083，共 597 元") if marked] == [597]
    assert chinese_number("万") is None and chinese_number("百") is None and chinese_number("十二") == 12


@given(st.integers(0, 99_999_999), st.sampled_from(["plain", "comma", "wide", "nt", "yuan", "chinese", "formal",
                                                   "two", "simplified"]))
@settings(max_examples=300, deadline=None)
def test_property_every_way_of_writing_an_amount_reads_back(n, style):
    written = {
        "plain": f"{n}元",
        "comma": f"NT${n:,}",
        "wide": f"{n:,}元".translate(str.maketrans("0123456789,", "０１２３４５６７８９，")),
        "nt": f"新臺幣 {n} 元",
        "yuan": f"共 {n:,} 塊",
        "chinese": chinese(n) + "元",
        "formal": chinese(n, FORMAL, "拾佰仟") + "元",
        "two": chinese(n, two=True) + "元",
        "simplified": chinese(n, two=True).replace("兩", "两").replace("萬", "万") + "块",
    }[style]
    assert read_amount(f"您是說{written}，對嗎？") == n, written


# ---------------------------------------------------------------- dates and names


@pytest.mark.parametrize(("text", "date"), [
    ("3月2日", (3, 2)), ("3/2", (3, 2)), ("2026-03-02", (3, 2)), ("三月二號", (3, 2)), ("３月２號", (3, 2)),
    ("十二月三十一日", (12, 31)), ("2026年3月2日", (3, 2)),
])
def test_a_date_reads_the_same_whatever_the_keyboard_did(text, date):
    assert date in date_mentions(f"是{text}開通的")


def test_a_phone_number_or_an_agent_number_is_no_date():
    assert date_mentions("門號 0925-617-083，我是 1024 號") == set()
    assert date_mentions("每個月 2 號扣款") == {(None, 2)}


def test_a_range_of_hours_is_no_date():
    assert date_mentions("3月5日 9-12點到府") == {(3, 5)}
    assert date_mentions("上午 9-12 點之間，或 14:00-17:00") == set()


def test_check_fact_says_ok_missing_or_wrong():
    assert check_fact("amount", "金額", ["597"], "您是說共五百九十七元對嗎").state == "ok"
    wrong = check_fact("amount", "金額", ["597"], "您是說共 579 元對嗎")
    assert (wrong.state, wrong.found, wrong.expected) == ("wrong", "579", "597")
    assert check_fact("amount", "金額", ["597"], "您是說被多收錢對嗎").state == "missing"
    assert check_fact("amount", "金額", ["597"], "每月 199 元、共 597 元", allowed=["199"]).state == "ok"
    assert check_fact("amount", "金額", ["597"], "每月 199 元、共 597 元").state == "wrong"
    assert check_fact("name", "稱呼", ["潘先生"], "簡小姐您好").found == "簡小姐"
    assert check_fact("name", "稱呼", ["潘先生"], "潘先生您好，這位先生").state == "ok"
    assert check_fact("text", "服務", ["影音加值服務"], "影音加值服务").state == "ok"  # simplified
    service = check_fact("text", "服務", ["影音加值服務", "影音加值"], "您的音樂串流", wrong=["影音加值", "音樂串流"])
    assert (service.state, service.found) == ("wrong", "音樂串流")
    assert check_fact("date", "日期", ["3/2"], "3月5號開通").found == "3/5"
    assert check_fact("date", "日期", ["3月2日"], "2號開通的").state == "ok"


# ---------------------------------------------------------------- a typed turn with facts

FACTS = [{"label": "扣款金額", "kind": "amount", "value": "{amount}"},
         {"label": "客戶稱呼", "kind": "name", "value": "{caller}", "required": False}]


def with_facts(facts=None) -> dict:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    verify = next(n for n in data["nodes"] if n["id"] == "a_verify")
    verify["free_text"]["criteria"]["verify"]["facts"] = copy.deepcopy(FACTS if facts is None else facts)
    return data


def _at_verify(scenario, variant=0):
    state = engine.begin(scenario, variant, "1024")
    for option in (0, 0, 0):
        engine.choose_reply(scenario, state, option)
    assert state.node == "a_verify"
    return state


@pytest.mark.parametrize(("variant", "reply", "mark", "problem"), [
    (0, "王先生，我跟您確認一下，是被扣了兩次 599 元嗎？", "met", None),
    (1, "林小姐，我核對一下，您是被扣兩次一千一百九十九元對嗎？", "met", None),
    (1, "我確認一下，扣了兩次 NT$1,199 對嗎", "met", None),
    (0, "我跟您確認一下，是被扣了兩次 959 元嗎？", "missed", ("扣款金額", "wrong", "959")),
    (0, "我跟您確認一下，是被扣了兩次錢嗎？", "missed", ("扣款金額", "missing", "")),
    (0, "林小姐，我確認一下，是兩次 599 元嗎？", "missed", ("客戶稱呼", "wrong", "林小姐")),
])
def test_a_reply_with_a_fact_missing_or_wrong_is_not_credited_and_says_why(variant, reply, mark, problem):
    scenario = definitions.compile_scenario(with_facts())
    assert definitions.validate(scenario, ITEMS) == []
    state = _at_verify(scenario, variant)
    event = engine.type_reply(scenario, state, reply)
    assert ["verify", mark] in event.marks
    if problem is None:
        assert event.review == [] and state.events[-1].node == "c_thanks"
    else:
        assert [(p["fact"], p["state"], p["found"]) for p in event.review] == [problem]
        assert state.events[-1].node == "c_unsure"  # the criterion's set (verified) did not apply


def test_walking_every_path_says_the_facts_so_the_best_path_still_scores_full():
    scenario = definitions.compile_scenario(with_facts())
    assert max(p.score.percent for p in paths.walk_paths(scenario)) == 100.0


@pytest.mark.parametrize(("facts", "message"), [
    ([{"label": "金額", "kind": "money", "value": "{amount}"}], "a fact's kind must be one of"),
    ([{"label": "金額", "kind": "amount"}], "each fact needs a label, a kind and a value"),
    ([{"kind": "amount", "value": "1"}], "each fact needs a label, a kind and a value"),
    ([{"label": "金額", "kind": "amount", "value": "{caller}"}], "fact 金額: 王先生 cannot be read as an amount (customer 1)"),
    ([{"label": "金額", "kind": "amount", "value": "{price}"}], "{price} is in no variant"),
    ([{"label": "日期", "kind": "date", "value": "下個月"}], "cannot be read as a date"),
    ([{"label": "金額", "kind": "amount", "value": "1", "required": "yes"}], "required is true or false"),
    ("金額", "facts is a list of facts"),
])
def test_a_bad_fact_is_refused_naming_its_line(facts, message):
    text = yaml.safe_dump(with_facts(facts), allow_unicode=True, sort_keys=False)
    errors = check_definition(load_yaml(text, "tst.yaml"), "tst.yaml", ITEMS)
    assert errors and message in errors[0].message, errors
    assert "a_verify" in errors[0].field
    lines = text.splitlines()
    assert errors[0].line is not None
    pointed = lines[errors[0].line - 1]
    assert "label" in pointed or "kind" in pointed or "facts" in pointed or "a_verify" in pointed, pointed
