"""The home page's competitions: the running ones the person's team takes part in, and their honours."""

from dataclasses import dataclass

from sqlalchemy import select

from lms.accounts.models import User
from lms.competitions.models import Competition, competition_teams
from lms.competitions.running import HonourLine, honours_of
from lms.db import db
from lms.timeutil import local_today


@dataclass(frozen=True)
class CompetitionsHome:
    running: list[Competition]
    honours: list[HonourLine]

    def __bool__(self) -> bool:
        return bool(self.running or self.honours)


def competitions_home(user: User) -> CompetitionsHome:
    today = local_today()
    running = list(db.session.scalars(
        select(Competition).join(competition_teams, competition_teams.c.competition_id == Competition.id)
        .where(competition_teams.c.team_id == user.team_id, Competition.closed_at.is_(None),
               Competition.starts_on <= today, Competition.ends_on >= today)
        .order_by(Competition.ends_on, Competition.id))) if user.team_id else []
    return CompetitionsHome(running, honours_of(user.id))
