"""The effect statistics against hand-computed values, and over random inputs with hypothesis."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.kpi.effect import (
    NO_OVERLAP,
    NO_TRAINED,
    PARTIAL_OVERLAP,
    SMALL_PEERS,
    SMALL_TRAINED,
    Agent,
    effect,
    period_start,
    trend,
)

JAN, FEB, MAR, APR, MAY, JUN = (date(2026, m, 1) for m in range(1, 7))
A = Agent({JAN: 60, FEB: 65, MAR: 80, APR: 76}, trained_on=date(2026, 2, 15))
P = Agent({JAN: 50, FEB: 52, MAR: 55, APR: 57})
Q = Agent({JAN: 70, FEB: 70, MAR: 71, APR: 69})


def test_one_trained_agent_against_two_peers_by_hand():
    # A: before = Jan 60, after = mean(Mar 80, Apr 76) = 78 (Feb is the training month): change 18.
    # Peers: Jan (50+70)/2 = 60; Mar (55+71)/2 = 63, Apr (57+69)/2 = 63: change 3. DiD 15.
    result = effect([A, P, Q], "month", higher_is_better=True, minimum_group=1)
    assert (result.trained_agents, result.peer_agents) == (1, 2)
    assert (result.trained_before, result.trained_after, result.trained_change) == (60, 78, 18)
    assert result.peers_change == pytest.approx(3)
    assert result.did == pytest.approx(15) and result.improvement == pytest.approx(15)
    assert result.cautions == ()


def test_lower_is_better_flips_the_improvement_only():
    result = effect([A, P, Q], "month", higher_is_better=False, minimum_group=1)
    assert result.did == pytest.approx(15) and result.improvement == pytest.approx(-15)


def test_a_peer_is_someone_not_trained_by_the_end_of_the_comparison():
    # B, trained in June, is still untrained through April: a peer in every period.
    b = Agent({JAN: 40, FEB: 40, MAR: 40, APR: 50}, trained_on=date(2026, 6, 3))
    result = effect([A, P, Q, b], "month", higher_is_better=True, minimum_group=1)
    # peers: Jan (50+70+40)/3 = 53.33; Mar (55+71+40)/3 = 55.33, Apr (57+69+50)/3 = 58.67 → after 57
    assert result.trained_agents == 1 and result.peer_agents == 3
    assert result.peers_change == pytest.approx(57 - (53 + 1 / 3))
    assert result.did == pytest.approx(18 - (57 - (53 + 1 / 3)))
    # trained in April, inside A's after window, B is nobody's peer (and has no after window of their own)
    b = Agent(b.values, trained_on=date(2026, 4, 30))
    result = effect([A, P, Q, b], "month", higher_is_better=True, minimum_group=1)
    assert (result.trained_agents, result.peer_agents, result.did) == (1, 2, pytest.approx(15))


def test_small_groups_are_hidden_and_named():
    result = effect([A, P, Q], "month", higher_is_better=True, minimum_group=5)
    assert result.trained_agents == 1 and result.trained_change is None and result.did is None
    assert SMALL_TRAINED in result.cautions
    many = [Agent(A.values, A.trained_on) for _ in range(5)]
    result = effect([*many, P, Q], "month", higher_is_better=True, minimum_group=5)
    assert result.trained_change == 18 and result.did is None and result.cautions == (SMALL_PEERS,)


def test_periods_that_do_not_overlap_give_no_difference_in_differences():
    late_peer = Agent({MAY: 10, JUN: 12})
    result = effect([Agent({JAN: 1, MAR: 3}, trained_on=FEB), late_peer], "month", True, minimum_group=1)
    assert result.trained_change == 2 and result.did is None and result.cautions == (NO_OVERLAP,)
    partial = effect([A, Agent({JAN: 1, MAY: 3}, trained_on=MAR), P, Q], "month", True, minimum_group=1)
    assert PARTIAL_OVERLAP in partial.cautions and partial.trained_agents == 2


def test_nobody_trained():
    assert effect([P, Q], "month", True).cautions == (NO_TRAINED,)
    assert effect([], "week", True).trained_agents == 0


def test_periods_start_on_monday_or_the_first():
    assert period_start(date(2026, 12, 10), "week") == date(2026, 12, 7)
    assert period_start(date(2026, 12, 10), "month") == date(2026, 12, 1)


def test_trend_splits_each_period_into_trained_and_not_yet_trained():
    points = trend([A, P, Q], "month", minimum_group=1)
    assert [(p.period, p.trained_mean, p.trained_count, p.peers_mean, p.peers_count) for p in points] == [
        (JAN, None, 0, 60, 3), (FEB, None, 0, 61, 2), (MAR, 80, 1, 63, 2), (APR, 76, 1, 63, 2)]
    assert trend([A, P, Q], "month", minimum_group=3)[0].peers_mean == 60
    assert trend([A, P, Q], "month", minimum_group=3)[2].peers_mean is None


months = st.sampled_from([date(2025 + (m // 12), m % 12 + 1, 1) for m in range(24)])
agents = st.lists(st.builds(
    Agent, st.dictionaries(months, st.floats(0, 100, allow_nan=False), max_size=24),
    st.one_of(st.none(), st.dates(date(2024, 12, 1), date(2027, 1, 31)))), max_size=12)


@settings(max_examples=200, deadline=None)
@given(agents, st.integers(1, 6), st.booleans())
def test_no_crash_and_bounds_hold(group, minimum, higher):
    result = effect(group, "month", higher, minimum)
    assert 0 <= result.trained_agents <= sum(1 for a in group if a.trained_on)
    assert 0 <= result.peer_agents <= len(group)
    for mean in (result.trained_before, result.trained_after):
        assert mean is None or -1e-9 <= mean <= 100 + 1e-9
    for change in (result.trained_change, result.peers_change):
        assert change is None or abs(change) <= 100 + 1e-9
    assert result.did is None or abs(result.did) <= 200 + 1e-9
    assert (result.did is None) == (result.improvement is None)
    if result.trained_agents < minimum:
        assert result.trained_change is None and result.did is None
    opposite = effect(group, "month", not higher, minimum)
    assert opposite.did == result.did
    assert result.improvement is None or opposite.improvement == pytest.approx(-result.improvement)
    for point in trend(group, "month", minimum):
        assert point.trained_mean is None or point.trained_count >= minimum


@settings(max_examples=100, deadline=None)
@given(agents, st.floats(-50, 50, allow_nan=False))
def test_shifting_every_value_changes_no_difference(group, shift):
    moved = [Agent({p: v + shift for p, v in a.values.items()}, a.trained_on) for a in group]
    before, after = effect(group, "month", True, 1), effect(moved, "month", True, 1)
    assert (after.trained_agents, after.peer_agents) == (before.trained_agents, before.peer_agents)
    for old, new in ((before.trained_change, after.trained_change), (before.did, after.did)):
        assert (old is None) == (new is None)
        assert old is None or new == pytest.approx(old, abs=1e-6)
