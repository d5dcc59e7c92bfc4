"""Item-writing cues (lms/exams/item_lint.py): each check on hand-built banks with and without the cue, the
exact probabilities against values worked out by hand, and properties over random banks."""

import math
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from lms.exams import item_lint
from lms.exams.item_lint import (
    ALL_BANKS,
    LintItem,
    at_least,
    chi_square_tail,
    cue_figures,
    fair_coin_two_sided,
    lint_bank,
    lint_banks,
    lint_item,
    question_findings,
)


def choice(uid, key_at, n=4, lengths=None, bank="b", text="問題", keys=None):
    """A choice question with ``n`` options; the key at ``key_at`` (or at every index in ``keys``)."""
    keys = {key_at} if keys is None else set(keys)
    lengths = lengths or [4] * n
    options = tuple(("選項" + str(i) + "字" * (lengths[i] - 3), i in keys) for i in range(n))
    return LintItem(bank, uid, text, options)


def statement(uid, answer, bank="b"):
    return LintItem(bank, uid, "敘述", statement=answer)


def checks(findings):
    return sorted({f.check for f in findings})


# ---------------------------------------------------------------- probabilities


def test_fair_coin_two_sided_matches_hand_computed_values():
    assert fair_coin_two_sided(0, 5) == 2 / 32
    assert fair_coin_two_sided(1, 10) == (1 + 10 + 10 + 1) / 1024
    assert fair_coin_two_sided(5, 10) == 1.0
    assert fair_coin_two_sided(0, 0) == 1.0
    assert math.isclose(fair_coin_two_sided(7, 59), fair_coin_two_sided(52, 59))


def test_poisson_binomial_tail_is_the_binomial_tail_when_chances_are_equal():
    n, p = 12, 0.25
    for k in range(n + 1):
        binomial = sum(math.comb(n, j) * p ** j * (1 - p) ** (n - j) for j in range(k, n + 1))
        assert math.isclose(at_least(k, [p] * n), binomial, rel_tol=1e-9)
    assert at_least(0, []) == 1.0
    assert at_least(2, [1 / 3, 1 / 4]) == 1 / 12  # both events


def test_chi_square_tail_matches_table_values():
    for x, df in ((3.841, 1), (5.991, 2), (7.815, 3), (9.488, 4), (11.070, 5), (12.592, 6)):
        assert math.isclose(chi_square_tail(x, df), 0.05, abs_tol=2e-4), df
    assert math.isclose(chi_square_tail(2.0, 2), math.exp(-1))
    assert chi_square_tail(0.0, 3) == 1.0
    assert chi_square_tail(10_000.0, 3) == 0.0


# ---------------------------------------------------------------- spread checks


def test_keys_always_first_is_found_and_a_varied_bank_passes():
    first = [choice(f"q{i}", 0) for i in range(6)]
    assert "keys_first" in checks(lint_bank(first, "b"))
    finding = next(f for f in lint_bank(first, "b") if f.check == "keys_first")
    assert finding.figures["observed"] == 6 and math.isclose(finding.figures["p"], 0.25 ** 6)
    varied = [choice(f"q{i}", i % 4) for i in range(8)]
    assert checks(lint_bank(varied, "b")) == []


def test_multiple_response_keys_before_every_wrong_option_count_as_first():
    prefix = [choice(f"m{i}", 0, n=5, keys=[0, 1]) for i in range(3)]  # chance 1/10 each
    figures = cue_figures(prefix)
    assert figures.keys_first.observed == 3 and math.isclose(figures.keys_first.p, 0.001)
    mixed = [choice(f"m{i}", 0, n=5, keys=[i % 5, (i + 2) % 5]) for i in range(5)]
    assert cue_figures(mixed).keys_first.observed <= 1


def test_uneven_key_position_is_found_once_there_are_enough_questions():
    always_third = [choice(f"q{i}", 2) for i in range(24)]
    finding = next(f for f in lint_bank(always_third, "b") if f.check == "key_position")
    assert finding.figures["counts"] == (0, 0, 24, 0)
    assert "keys_first" not in checks(lint_bank(always_third, "b"))
    even = [choice(f"q{i}", i % 4) for i in range(24)]
    assert cue_figures(even).key_position_p == 1.0
    # five questions per position expected is the least the chi-square is trusted with
    assert cue_figures([choice(f"q{i}", 2) for i in range(19)]).key_position_p is None


def test_true_false_imbalance_beyond_chance():
    lopsided = [statement(f"t{i}", i < 2) for i in range(12)]  # 2 true, 10 false: p = 0.039
    finding = next(f for f in lint_bank(lopsided, "b") if f.check == "truefalse_balance")
    assert (finding.figures["true"], finding.figures["false"]) == (2, 10)
    assert math.isclose(finding.figures["p"], 2 * (1 + 12 + 66) / 4096)
    fair = [statement(f"t{i}", i < 4) for i in range(10)]  # 4 to 6 is chance
    assert checks(lint_bank(fair, "b")) == []


def test_longest_key_beyond_chance_and_ties_count_for_nothing():
    longest = [choice(f"q{i}", i % 4, lengths=[4 + 6 * (j == i % 4) for j in range(4)]) for i in range(8)]
    finding = next(f for f in lint_bank(longest, "b") if f.check == "longest_key")
    assert (finding.figures["observed"], finding.figures["total"], finding.figures["expected"]) == (8, 8, 2.0)
    assert finding.uids == tuple(f"q{i}" for i in range(8))
    # the longest option is the key in q0 and q1 only: a quarter, as chance gives
    spread = [choice(f"q{i}", i % 4, lengths=[4 + 6 * (j == (i + (i > 1)) % 4) for j in range(4)]) for i in range(8)]
    assert cue_figures(spread).longest_key.observed == 2
    assert checks(lint_bank(spread, "b")) == []
    tied = [choice(f"q{i}", i % 4, lengths=[9, 9, 4, 4]) for i in range(8)]
    assert cue_figures(tied).longest_key.total == 0


def test_all_banks_are_checked_together_as_well():
    a = [choice(f"a{i}", 0, bank="a") for i in range(2)] + [choice("a9", 1, bank="a")]
    b = [choice(f"b{i}", 0, bank="b") for i in range(2)] + [choice("b9", 2, bank="b")]
    c = [choice(f"c{i}", 0, bank="c") for i in range(2)] + [choice("c9", 3, bank="c")]
    findings = lint_banks({"a": a, "b": b, "c": c})
    assert [(f.check, f.bank) for f in findings] == [("keys_first", ALL_BANKS)]  # 6 of 9: p ≈ 0.01


# ---------------------------------------------------------------- question checks


def test_a_stem_holding_the_key_is_found_but_short_keys_are_not():
    giveaway = LintItem("b", "q1", "客戶要求「**轉接主管**」時，你應該怎麼做？",
                        (("轉接 主管。", True), ("掛斷電話", False)))
    finding = question_findings(giveaway)[0]
    assert (finding.check, finding.uid, finding.figures["option"]) == ("stem_has_key", "q1", "轉接 主管。")
    short = LintItem("b", "q2", "鈴響三聲內要接起嗎？", (("三聲", True), ("五聲", False)))
    assert question_findings(short) == []
    distractor_in_stem = LintItem("b", "q3", "有人說掛斷電話就好，對嗎？", (("先致歉並查明", True), ("掛斷電話", False)))
    assert question_findings(distractor_in_stem) == []


def test_duplicate_options_ignore_width_case_and_punctuation():
    item = LintItem("b", "q1", "問題", (("ＯＫ，好的。", True), ("ok 好的", False), ("不行", False)))
    assert [(f.check, f.figures["option"]) for f in question_findings(item)] == [("duplicate_options", "ok 好的")]
    assert question_findings(LintItem("b", "q2", "問題", (("可以", True), ("不行", False)))) == []


def test_questions_come_from_the_type_registry():
    data = {"options": [{"id": "a", "text": "甲", "weight": 0.0}, {"id": "b", "text": "乙", "weight": 1.0}]}
    assert lint_item("b", "q", "single", "題", data).options == (("甲", False), ("乙", True))
    assert lint_item("b", "q", "truefalse", "題", {"answer": True}).statement is True
    essay = lint_item("b", "q", "essay", "題", {"rubric": "…"})
    assert (essay.options, essay.statement) == ((), None)


def test_every_finding_reads_as_words(app):
    with app.test_request_context("/"):
        bank = ([choice(f"q{i}", 2, lengths=[4, 4, 9, 4]) for i in range(24)]
                + [statement(f"t{i}", False) for i in range(8)]
                + [LintItem("b", "d", "重複", (("一樣的", True), ("一樣的", False)))])
        findings = lint_bank(bank, "b")
        assert set(checks(findings)) == set(item_lint.CHECKS) - {"keys_first", "stem_has_key"}
        for finding in findings:
            assert finding.message and finding.check not in finding.message


# ---------------------------------------------------------------- properties


@st.composite
def random_items(draw):
    items = []
    for index in range(draw(st.integers(0, 40))):
        if draw(st.booleans()):
            items.append(LintItem("b", f"t{index}", draw(st.text(max_size=20)), statement=draw(st.booleans())))
            continue
        texts = draw(st.lists(st.text(max_size=12), min_size=0, max_size=6))
        flags = draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts)))
        items.append(LintItem("b", f"q{index}", draw(st.text(max_size=30)), tuple(zip(texts, flags, strict=True))))
    return items


@settings(max_examples=300, deadline=None)
@given(random_items())
def test_property_the_lint_never_crashes_and_chances_stay_probabilities(items):
    figures = cue_figures(items)
    for p in (figures.keys_first.p, figures.truefalse_p, figures.longest_key.p, figures.key_position_p):
        assert p is None or 0.0 <= p <= 1.0
    for finding in lint_bank(items, "b"):
        assert finding.check in item_lint.CHECKS
        assert 0.0 <= finding.figures.get("p", 0.0) <= 1.0


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 200), st.integers(1, 60), st.floats(0, 500, allow_nan=False))
def test_property_tails_are_probabilities_that_shrink_as_the_count_grows(n, df, x):
    k = n // 3
    assert 0.0 <= fair_coin_two_sided(k, n) <= 1.0
    assert 0.0 <= chi_square_tail(x, df) <= 1.0
    assert chi_square_tail(x + 1, df) <= chi_square_tail(x, df) + 1e-12
    chances = [random.Random(n).random() for _ in range(n)]
    assert at_least(k + 1, chances) <= at_least(k, chances) + 1e-12
