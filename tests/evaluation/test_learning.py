"""Level 2 statistics: hand-computed cases and properties over random inputs."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.evaluation.learning import (
    LearnerTests,
    PostAttempt,
    attempts_to_pass,
    blueprint,
    cohort_gain,
    distribution,
    items_still_wrong,
    learner_gain,
    normalised_gain,
    same_blueprint,
)


def test_normalised_gain_by_hand():
    assert normalised_gain(40, 70) == pytest.approx(0.5)  # 30 of the 60 points left
    assert normalised_gain(80, 90) == pytest.approx(0.5)
    assert normalised_gain(50, 50) == 0
    assert normalised_gain(60, 30) == pytest.approx(-0.75)  # went worse
    assert normalised_gain(0, 100) == 1
    assert normalised_gain(100, 100) is None  # nothing left to gain: undefined
    assert normalised_gain(100, 60) is None


def test_learner_gain_uses_best_post_and_counts_attempts_to_pass():
    tests = LearnerTests(7, pre=40, posts=(PostAttempt(2, 85, True), PostAttempt(1, 60, False),
                                           PostAttempt(3, 90, True)))
    gain = learner_gain(tests)
    assert (gain.pre, gain.post, gain.raw_gain) == (40, 90, 50)
    assert gain.normalised_gain == pytest.approx(50 / 60)
    assert gain.passed and gain.attempts_to_pass == 2


def test_learner_without_both_tests_has_no_gain():
    only_pre = learner_gain(LearnerTests(1, pre=30))
    assert only_pre.raw_gain is None and only_pre.normalised_gain is None and not only_pre.gain_undefined
    assert only_pre.attempts_to_pass is None and not only_pre.passed
    only_post = learner_gain(LearnerTests(2, pre=None, posts=(PostAttempt(1, 70, False),)))
    assert only_post.post == 70 and only_post.raw_gain is None and only_post.attempts_to_pass is None


def test_perfect_pre_test_is_undefined_not_zero():
    gain = learner_gain(LearnerTests(3, pre=100, posts=(PostAttempt(1, 100, True),)))
    assert gain.normalised_gain is None and gain.gain_undefined and gain.raw_gain == 0


def test_cohort_by_hand():
    gains = [learner_gain(t) for t in (
        LearnerTests(1, 40, (PostAttempt(1, 70, False), PostAttempt(2, 80, True))),  # g 2/3, 2 tries
        LearnerTests(2, 60, (PostAttempt(1, 90, True),)),  # g 3/4, 1 try
        LearnerTests(3, 100, (PostAttempt(1, 100, True),)),  # g undefined, 1 try
        LearnerTests(4, 20, (PostAttempt(1, 50, False),)),  # g 3/8, not passed
        LearnerTests(5, 50, ()),  # pre only: not paired
    )]
    cohort = cohort_gain(gains)
    assert (cohort.learners, cohort.paired, cohort.undefined_gains) == (5, 4, 1)
    assert cohort.pre_mean == pytest.approx(55)  # (40 + 60 + 100 + 20) / 4
    assert cohort.post_mean == pytest.approx(80)  # (80 + 90 + 100 + 50) / 4
    assert cohort.raw_gain == pytest.approx(25)
    assert cohort.class_gain == pytest.approx(25 / 45)
    assert cohort.mean_gain == pytest.approx((2 / 3 + 3 / 4 + 3 / 8) / 3)
    assert (cohort.took_post, cohort.passed) == (4, 3)
    assert cohort.pass_rate == pytest.approx(0.75)
    assert cohort.attempts_to_pass_mean == pytest.approx(4 / 3)
    assert cohort.attempts_to_pass_median == 1


def test_empty_cohort():
    cohort = cohort_gain([])
    assert cohort.paired == 0 and cohort.class_gain is None and cohort.pass_rate is None
    assert cohort.attempts_to_pass_mean is None


def test_items_still_wrong_by_hand():
    answers = [
        (1, "5.2.1-a", True), (1, "5.2.1-a", False),  # learner 1 missed one of two questions on it: wrong
        (2, "5.2.1-a", True),
        (1, "4.1.1-a", True), (2, "4.1.1-a", True), (3, "4.1.1-a", True),
        (3, "5.2.3-b", False),
    ]
    results = {r.item: r for r in items_still_wrong(answers)}
    assert (results["5.2.1-a"].tested, results["5.2.1-a"].still_wrong) == (2, 1)
    assert results["5.2.1-a"].share_wrong == pytest.approx(0.5)
    assert results["4.1.1-a"].share_wrong == 0
    assert [r.item for r in items_still_wrong(answers)] == ["5.2.3-b", "5.2.1-a", "4.1.1-a"]


def test_attempts_to_pass_follows_attempt_order():
    assert attempts_to_pass([PostAttempt(3, 90, True), PostAttempt(1, 10, False), PostAttempt(2, 85, True)]) == 2
    assert attempts_to_pass([PostAttempt(1, 10, False)]) is None


def test_distribution_bands():
    assert distribution([0, 9.9, 10, 55, 99, 100, 100]) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 3]


def test_blueprint_ignores_counts_but_not_pools():
    pre = [{"draw": {"tags": ["pro-205"], "count": 8, "types": ["single", "truefalse"]}}]
    post = [{"draw": {"tags": ["pro-205"], "count": 10, "types": ["truefalse", "single"]}}]
    assert same_blueprint(pre, post)
    other = [{"draw": {"tags": ["pool-a"], "count": 2, "types": []}}, {"draw": {"tags": ["pool-b"], "count": 2}}]
    assert not same_blueprint(pre, other)
    assert blueprint([{"questions": ["a", "b"]}]) == blueprint([{"questions": ["b", "a"]}])


# Subnormal floats (5e-324) underflow to 0 when divided by 100: no percentage is one.
scores = st.floats(min_value=-20, max_value=140, allow_nan=False, allow_subnormal=False)


@given(scores, scores)
def test_normalised_gain_bounds(pre, post):
    g = normalised_gain(pre, post)
    if min(max(pre, 0), 100) >= 100:
        assert g is None
    else:
        assert g is not None and math.isfinite(g) and g <= 1
        assert (g > 0) == (min(max(post, 0), 100) > min(max(pre, 0), 100))


attempt_lists = st.lists(st.tuples(st.floats(0, 100), st.booleans()), max_size=4).map(
    lambda xs: tuple(PostAttempt(i + 1, p, ok) for i, (p, ok) in enumerate(xs)))
learners = st.builds(LearnerTests, st.integers(1, 10_000), st.one_of(st.none(), st.floats(0, 100)), attempt_lists)


@given(st.lists(learners, max_size=30))
def test_cohort_bounds(people):
    cohort = cohort_gain([learner_gain(p) for p in people])
    assert cohort.paired <= cohort.learners == len(people)
    assert cohort.passed <= cohort.took_post
    if cohort.pass_rate is not None:
        assert 0 <= cohort.pass_rate <= 1
    for g in (cohort.class_gain, cohort.mean_gain):
        assert g is None or g <= 1
    if cohort.paired:
        assert -100 <= cohort.raw_gain <= 100
    if cohort.attempts_to_pass_mean is not None:
        assert 1 <= cohort.attempts_to_pass_mean <= 4


@given(st.lists(st.tuples(st.integers(1, 20), st.sampled_from(["a", "b", "c"]), st.booleans()), max_size=60))
def test_items_still_wrong_bounds(answers):
    for result in items_still_wrong(answers):
        assert 0 <= result.still_wrong <= result.tested
        assert result.tested == len({u for u, item, _ in answers if item == result.item})


@given(st.lists(learners, max_size=30), st.integers(0, 30))
def test_sums_add_up_to_the_same_cohort(people, cut):
    """A cohort added up as sums (the database's way), also in two parts, equals the one computed per learner."""
    from lms.evaluation.learning import CohortSums, cohort_from_sums

    def sums(group):
        gains = [learner_gain(p) for p in group]
        paired = [g for g in gains if g.pre is not None and g.post is not None]
        return CohortSums(len(gains), len(paired), sum(g.pre for g in paired), sum(g.post for g in paired),
                          sum(g.normalised_gain for g in paired if g.normalised_gain is not None),
                          sum(1 for g in paired if g.normalised_gain is None), sum(1 for g in gains if g.post is not None),
                          sum(1 for g in gains if g.passed), sum(g.attempts_to_pass or 0 for g in gains if g.passed))

    direct = cohort_gain([learner_gain(p) for p in people])
    summed = cohort_from_sums(sums(people[:cut]) + sums(people[cut:]))
    for name in ("learners", "paired", "undefined_gains", "took_post", "passed"):
        assert getattr(summed, name) == getattr(direct, name)
    for name in ("pre_mean", "post_mean", "raw_gain", "class_gain", "mean_gain", "pass_rate", "attempts_to_pass_mean"):
        a, b = getattr(summed, name), getattr(direct, name)
        assert (a is None) == (b is None) and (a is None or a == pytest.approx(b, abs=1e-6))
