"""The competition's scoring, from plain data: best result per item, averaged over all the items (0 for an
item not taken); a team's score averages all its members; equal scores share a rank."""

from hypothesis import given
from hypothesis import strategies as st

from lms.competitions.scoring import Member, person_scores, ranks, team_scores

ITEMS = [("call", 1), ("call", 2), ("exam", 3)]
percent = st.floats(min_value=0, max_value=100, allow_nan=False)
result = st.tuples(st.integers(1, 6), st.sampled_from(ITEMS), percent)
MEMBERS = [Member(i, f"P{i}", 10 if i <= 3 else 20) for i in range(1, 7)]


def test_best_result_per_item_averaged_over_all_items():
    people = person_scores(ITEMS, MEMBERS[:2], [(1, ITEMS[0], 40.0), (1, ITEMS[0], 90.0), (1, ITEMS[2], 60.0),
                                               (2, ITEMS[1], 30.0), (9, ITEMS[1], 100.0), (2, ("call", 7), 100.0)])
    assert [(p.user_id, p.score, p.best, p.rank) for p in people] == [
        (1, 50.0, (90.0, None, 60.0), 1), (2, 10.0, (None, 30.0, None), 2)]


def test_a_team_cannot_win_with_one_star():
    members = [Member(1, "A", 10), Member(2, "B", 10), Member(3, "C", 20)]
    people = person_scores(ITEMS[:1], members, [(1, ITEMS[0], 100.0), (3, ITEMS[0], 60.0)])
    teams = team_scores([(10, "甲"), (20, "乙")], people)
    assert [(t.team_id, t.score, t.rank, t.took_part, t.members) for t in teams] == [(20, 60.0, 1, 1, 1),
                                                                                      (10, 50.0, 2, 1, 2)]


def test_ties_share_a_rank():
    assert ranks([90, 90, 80, 70, 70, 70, 10]) == [1, 1, 3, 4, 4, 4, 7]
    people = person_scores(ITEMS[:1], MEMBERS[:3], [(1, ITEMS[0], 80.0), (2, ITEMS[0], 80.0)])
    assert [p.rank for p in people] == [1, 1, 3]


@given(st.lists(result, max_size=40))
def test_scores_are_bounded_and_ranked(results):
    people = person_scores(ITEMS, MEMBERS, results)
    assert sorted(p.user_id for p in people) == [m.user_id for m in MEMBERS]
    scores = [p.score for p in people]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)
    for p in people:
        mine = [r for r in results if r[0] == p.user_id]
        assert p.took_part == bool(mine)
        for item, best in zip(ITEMS, p.best, strict=True):
            taken = [r[2] for r in mine if r[1] == item]
            assert best == (max(taken) if taken else None)
    for a, b in zip(people, people[1:], strict=False):
        assert (a.rank == b.rank) == (a.score == b.score)
        assert b.rank > a.rank or a.rank == b.rank
    teams = team_scores([(10, "甲"), (20, "乙"), (30, "丙")], people)
    empty = next(t for t in teams if t.team_id == 30)
    assert empty.score == 0.0 and empty.members == 0 and empty.rank == max(t.rank for t in teams)
    for team in teams:
        own = [p.score for p in people if p.team_id == team.team_id]
        assert abs(team.score - (sum(own) / len(own) if own else 0.0)) < 0.01


@given(st.lists(result, max_size=20), st.permutations(list(range(6))))
def test_the_order_of_results_does_not_matter(results, order):
    first = person_scores(ITEMS, MEMBERS, results)
    again = person_scores(ITEMS, [MEMBERS[i] for i in order], list(reversed(results)))
    assert [(p.user_id, p.score, p.rank) for p in first] == [(p.user_id, p.score, p.rank) for p in again]
