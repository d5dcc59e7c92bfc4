"""Setting up and closing a competition (flushes; the request commits). Closing, after the window, records
the honours: ranks 1–3 among the people who took part (a tie shares the place) and every member of the
winning team(s); it is audited."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role, Team, User
from lms.audit.services import record_event
from lms.calls.models import Scenario
from lms.competitions.labels import PLACE_LABELS
from lms.competitions.models import Competition, Honour, competition_teams
from lms.competitions.standings import build_standings
from lms.db import RowNotFound, db, get_row, utcnow
from lms.errors import DomainError
from lms.exams.models import Exam
from lms.timeutil import local_today

PLACES_HONOURED = 3


def create_competition(actor: User, title: str, description: str, starts_on, ends_on, team_ids: list[int],
                       scenario_ids: list[int], exam_id: int | None, show_names: bool) -> Competition:
    if ends_on < starts_on:
        raise DomainError(_("The end date must be on or after the start date."), "ends_on")
    teams = list(db.session.scalars(select(Team).where(Team.id.in_(team_ids)))) if team_ids else []
    if not teams:
        raise DomainError(_("Choose at least one team that takes part."), "teams")
    scenarios = list(db.session.scalars(select(Scenario).where(Scenario.id.in_(scenario_ids)))) if scenario_ids else []
    exam = db.session.get(Exam, exam_id) if exam_id else None
    if not scenarios and exam is None:
        raise DomainError(_("Choose at least one call scenario or an exam to assess."), "scenarios")
    competition = Competition(title=title.strip(), description=description.strip(), starts_on=starts_on,
                              ends_on=ends_on, teams=teams, scenarios=scenarios, exam=exam, show_names=show_names,
                              created_by_id=actor.id)
    db.session.add(competition)
    db.session.flush()
    record_event("competition.created", "competition", competition.id, summary=competition.title,
                 after={"teams": len(teams), "items": len(scenarios) + (1 if exam else 0)}, actor=actor)
    return competition


def close_competition(competition: Competition, actor: User) -> list[Honour]:
    """Close after the window and give the honours; a DomainError before the window's end or when closed."""
    if competition.closed_at is not None:
        raise DomainError(_("This competition is already closed."))
    if local_today() <= competition.ends_on:
        raise DomainError(_("The competition can be closed after its last day, %(day)s.",
                            day=competition.ends_on.isoformat()))
    board = build_standings(competition)
    now = utcnow()
    honours = [Honour(user_id=p.user_id, title=competition.title, place=p.rank, competition_id=competition.id,
                      awarded_at=now, awarded_by_id=actor.id)
               for p in board.people if p.rank <= PLACES_HONOURED and p.took_part]
    winners = {t.team_id for t in board.teams if t.rank == 1 and t.took_part}
    honours += [Honour(user_id=p.user_id, title=competition.title, place=0, competition_id=competition.id,
                       awarded_at=now, awarded_by_id=actor.id) for p in board.people if p.team_id in winners]
    db.session.add_all(honours)
    competition.closed_at, competition.closed_by_id = now, actor.id
    db.session.flush()
    record_event("competition.closed", "competition", competition.id, summary=competition.title,
                 after={"people": sum(1 for h in honours if h.place), "team": ", ".join(
                     board.team_names[t] for t in sorted(winners))}, actor=actor)
    return honours


def is_staff(reader: User) -> bool:
    return reader.has_role(Role.TRAINER, Role.MANAGER, Role.ADMIN)


def competition_for(competition_id: int, reader: User, lock: bool = False) -> Competition:
    """A competition the reader may see: staff see all; a learner those their team takes part in (404
    otherwise)."""
    competition = get_row(Competition, competition_id, lock=lock)  # lock: two closings cannot both give honours
    if not is_staff(reader) and reader.team_id not in {t.id for t in competition.teams}:
        raise RowNotFound(f"competition {competition_id}")
    return competition


def visible_competitions(reader: User) -> list[Competition]:
    query = select(Competition).options(selectinload(Competition.teams)).order_by(Competition.starts_on.desc(),
                                                                                   Competition.id.desc())
    if not is_staff(reader):
        query = query.join(competition_teams, competition_teams.c.competition_id == Competition.id).where(
            competition_teams.c.team_id == reader.team_id)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class HonourLine:
    title: str
    place: str  # its label
    awarded_at: object
    competition_id: int | None


def honours_of(user_id: int) -> list[HonourLine]:
    """The honours on a person's record, newest first, ready to show."""
    rows = db.session.scalars(select(Honour).where(Honour.user_id == user_id)
                              .order_by(Honour.awarded_at.desc(), Honour.id.desc()))
    return [HonourLine(h.title, str(PLACE_LABELS.get(h.place, PLACE_LABELS[3])), h.awarded_at, h.competition_id)
            for h in rows]
