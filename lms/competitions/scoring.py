"""The competition's scores, from plain data (no database): a person's score is their best result on each
assessed item within the window, averaged over all the items, an item not taken counting 0 (the page shows
it as not taken); a team's score is the average of all its members' scores, a member who took nothing
counting 0, so one star alone cannot carry a team. Equal scores share a rank (1, 1, 3)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PLACES = 2  # scores are compared as shown, to two decimals


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
    team_id: int


@dataclass(frozen=True)
class PersonScore:
    user_id: int
    name: str
    team_id: int
    best: tuple  # per item, in the items' order: the best percent, or None when not taken
    score: float
    rank: int

    @property
    def took_part(self) -> bool:
        return any(b is not None for b in self.best)


@dataclass(frozen=True)
class TeamScore:
    team_id: int
    name: str
    members: int
    took_part: int
    score: float
    rank: int


def ranks(scores: Sequence[float]) -> list[int]:
    """Standard competition ranks of scores already sorted highest first: equal scores share a rank and the
    next rank skips (1, 1, 3)."""
    out: list[int] = []
    for index, value in enumerate(scores):
        out.append(out[-1] if index and value == scores[index - 1] else index + 1)
    return out


def best_results(results: Iterable[tuple[int, object, float]]) -> dict[tuple[int, object], float]:
    """The best percent per (person, item) of (person, item, percent) results."""
    best: dict[tuple[int, object], float] = {}
    for user_id, item, percent in results:
        key = (user_id, item)
        if key not in best or percent > best[key]:
            best[key] = percent
    return best


def person_scores(items: Sequence, members: Sequence[Member], results) -> list[PersonScore]:
    """Everyone of the taking teams, highest score first (then by name): ``results`` are (person, item,
    percent) of the attempts that count; results of anyone else or of another item are ignored."""
    best = best_results(results)
    rows = []
    for member in members:
        taken = tuple(best.get((member.user_id, item)) for item in items)
        score = round(sum(b or 0.0 for b in taken) / len(items), PLACES) if items else 0.0
        rows.append((member, taken, score))
    rows.sort(key=lambda row: (-row[2], row[0].name, row[0].user_id))
    places = ranks([row[2] for row in rows])
    return [PersonScore(m.user_id, m.name, m.team_id, taken, score, rank)
            for (m, taken, score), rank in zip(rows, places, strict=True)]


def team_scores(teams: Sequence[tuple[int, str]], people: Sequence[PersonScore]) -> list[TeamScore]:
    """Each taking team (id, name), highest average first; a team without members scores 0."""
    rows = []
    for team_id, name in teams:
        own = [p for p in people if p.team_id == team_id]
        score = round(sum(p.score for p in own) / len(own), PLACES) if own else 0.0
        rows.append((team_id, name, len(own), sum(1 for p in own if p.took_part), score))
    rows.sort(key=lambda row: (-row[4], row[1], row[0]))
    places = ranks([row[4] for row in rows])
    return [TeamScore(*row, rank) for row, rank in zip(rows, places, strict=True)]
