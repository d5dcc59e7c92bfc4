"""The pure statistics of levels 1 and 3 against hand-computed values, and over random inputs."""

from hypothesis import given
from hypothesis import strategies as st

from lms.evaluation.calibration import compare_ratings
from lms.evaluation.scorecard import RATINGS, CriterionRef, score_scorecard
from lms.evaluation.survey_stats import aggregate, likert_summary, nps_summary, response_rate

ITEMS = [{"id": "a", "kind": "likert", "text": "A", "required": True},
         {"id": "b", "kind": "likert", "text": "B", "required": True},
         {"id": "r", "kind": "nps", "text": "R", "required": True},
         {"id": "c", "kind": "comment", "text": "C", "required": False}]
CRITERIA = [CriterionRef("open", "開場", 10), CriterionRef("apology", "致歉", 30),
            CriterionRef("privacy", "隱私", 20, critical=True), CriterionRef("close", "結束", 40)]


def test_likert_and_nps_by_hand():
    s = likert_summary("a", "A", [5, 4, 4, 2, 1])
    assert (s.n, s.mean, s.distribution) == (5, 3.2, (1, 1, 0, 2, 1))  # 16 / 5
    nps = nps_summary([10, 9, 8, 7, 6, 0, 9])  # 3 promoters, 2 passives, 2 detractors of 7
    assert (nps.promoters, nps.passives, nps.detractors, nps.score) == (3, 2, 2, 14.3)
    assert nps_summary([]).score is None and nps_summary([9, 10]).score == 100.0
    assert response_rate(3, 8) == 0.375 and response_rate(0, 0) is None


def test_aggregate_by_hand_and_hidden_below_the_minimum():
    answers = [{"a": 5, "b": 3, "r": 10, "c": "實例很實用"}, {"a": 4, "b": 2, "r": 6},
               {"a": 3, "b": 4, "r": 9, "c": "  "}, {"a": 4, "b": 3, "r": 8, "c": "節奏太快"}]
    result = aggregate(ITEMS, answers, offered=5, minimum=4)
    assert not result.hidden and result.rate == 0.8
    assert [(i.id, i.mean) for i in result.items] == [("a", 4.0), ("b", 3.0)]
    assert result.overall_mean == 3.5  # (16 + 12) / 8
    assert result.nps.score == 25.0  # 2 promoters − 1 detractor of 4
    assert result.comments == (("C", ("實例很實用", "節奏太快")),)  # blank left out; sorted, never who wrote it
    hidden = aggregate(ITEMS, answers, offered=5, minimum=5)
    assert hidden.hidden and hidden.items == () and hidden.comments == () and hidden.nps is None
    assert (hidden.responded, hidden.offered) == (4, 5)  # the counts alone stay visible


def test_scorecard_by_hand():
    result = score_scorecard(CRITERIA, {"open": "met", "apology": "partly", "privacy": "breached", "close": ""})
    assert result.percent == 41.7  # (10 + 15 + 0) / 60
    assert result.rated == 3 and result.critical_failed == ("privacy",)
    assert score_scorecard(CRITERIA, {}).percent is None


def test_calibration_by_hand():
    first = {"open": "met", "apology": "met", "privacy": "met", "close": "partly"}
    second = {"open": "met", "apology": "missed", "privacy": "", "close": "breached"}
    result = compare_ratings(CRITERIA, first, second)
    assert [r.distance for r in result.rows] == [0, 2, None, 2]
    assert result.compared == 3 and result.agreement == 0.333 and result.mean_distance == 1.33
    assert [r.criterion.id for r in result.rows if r.discuss] == ["apology", "close"]
    assert (result.first_percent, result.second_percent, result.score_gap) == (80.0, 12.5, 67.5)


ratings = st.dictionaries(st.sampled_from([c.id for c in CRITERIA]), st.sampled_from([*RATINGS, ""]))


@given(ratings, ratings)
def test_calibration_holds_its_bounds_and_is_symmetric(first, second):
    ab, ba = compare_ratings(CRITERIA, first, second), compare_ratings(CRITERIA, second, first)
    assert [r.distance for r in ab.rows] == [r.distance for r in ba.rows]
    assert ab.agreement == ba.agreement and ab.mean_distance == ba.mean_distance
    if ab.compared:
        assert 0 <= ab.agreement <= 1 and 0 <= ab.mean_distance <= 3
    else:
        assert ab.agreement is None and ab.mean_distance is None
    assert compare_ratings(CRITERIA, first, first).agreement in (None, 1.0)


@given(st.lists(st.fixed_dictionaries({}, optional={
    "a": st.integers(-3, 8), "b": st.one_of(st.none(), st.integers(1, 5), st.booleans()),
    "r": st.integers(-2, 12), "c": st.text(max_size=5)}), max_size=30), st.integers(0, 40), st.integers(1, 10))
def test_aggregate_never_crashes_and_its_figures_hold_their_bounds(answers, extra, minimum):
    result = aggregate(ITEMS, answers, offered=len(answers) + extra, minimum=minimum)
    assert result.hidden == (len(answers) < minimum)
    assert result.rate is None or 0 <= result.rate <= 1
    for item in result.items:
        assert item.mean is None or 1 <= item.mean <= 5
        assert sum(item.distribution) == item.n <= len(answers)
    if result.nps is not None and result.nps.score is not None:
        assert -100 <= result.nps.score <= 100


@given(ratings)
def test_scorecard_percent_is_a_percentage(found):
    result = score_scorecard(CRITERIA, found)
    assert result.percent is None or 0 <= result.percent <= 100
    assert (result.percent is None) == (result.rated == 0)
