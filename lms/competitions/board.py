"""The readiness board's competitions: the latest competitions the manager's teams took part in, with each of
their teams' rank and score (a fixed number of statements: at most SHOWN competitions, each read by
lms.competitions.standings in a fixed number)."""

from dataclasses import dataclass

from sqlalchemy import select

from lms.competitions.models import Competition, competition_teams
from lms.competitions.scoring import TeamScore
from lms.competitions.standings import standings
from lms.db import db

SHOWN = 5


@dataclass(frozen=True)
class BoardCompetition:
    competition: Competition
    teams: list[TeamScore]  # the reader's teams only
    taking: int  # how many teams took part


def board_competitions(team_ids: list[int]) -> list[BoardCompetition]:
    if not team_ids:
        return []
    competitions = db.session.scalars(
        select(Competition).where(Competition.id.in_(
            select(competition_teams.c.competition_id).where(competition_teams.c.team_id.in_(team_ids))))
        .order_by(Competition.ends_on.desc(), Competition.id.desc()).limit(SHOWN))
    out = []
    for competition in competitions:
        board = standings(competition)
        out.append(BoardCompetition(competition, [t for t in board.teams if t.team_id in team_ids], len(board.teams)))
    return out
