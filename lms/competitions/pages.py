"""What the competition pages show, ready for the templates: the list, the set-up form's choices and the
leaderboard by person and by team, with names hidden from participants when the competition says so."""

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select

from lms.accounts.models import Role, Team, User
from lms.calls.models import Scenario, ScenarioVersion
from lms.competitions.forms import CloseForm, CompetitionForm
from lms.competitions.models import Competition
from lms.competitions.running import is_staff, visible_competitions
from lms.competitions.standings import standings
from lms.db import db
from lms.exams.models import Exam, ExamVersion
from lms.timeutil import local_today


@dataclass(frozen=True)
class PersonLine:
    rank: int
    name: str  # "" when hidden from the reader
    team: str
    score: float
    best: list  # per item: the best percent, or None (not taken)
    own: bool


def may_set_up(reader: User) -> bool:
    return reader.has_role(Role.TRAINER, Role.ADMIN)


def state_of(competition: Competition) -> str:
    today = local_today()
    if competition.closed_at is not None:
        return "closed"
    if today < competition.starts_on:
        return "upcoming"
    return "running" if today <= competition.ends_on else "ended"


def competition_form() -> CompetitionForm:
    form = CompetitionForm()
    form.teams.choices = [(t.id, t.name) for t in db.session.scalars(select(Team).order_by(Team.name))]
    form.scenarios.choices = [(sid, title) for sid, title in db.session.execute(
        select(Scenario.id, ScenarioVersion.title).join(ScenarioVersion, (ScenarioVersion.scenario_id == Scenario.id)
                                                        & (ScenarioVersion.number == Scenario.current_number))
        .order_by(ScenarioVersion.title))]
    exams = db.session.execute(select(Exam.id, ExamVersion.title)
                               .join(ExamVersion, ExamVersion.id == Exam.current_version_id)
                               .order_by(ExamVersion.title)).all()
    form.exam.choices = [(0, gettext("No exam"))] + [(eid, title) for eid, title in exams]
    if form.starts_on.data is None and not form.is_submitted():
        form.starts_on.data = form.ends_on.data = local_today()
    return form


def index_page(reader: User) -> dict:
    rows = [(c, state_of(c)) for c in visible_competitions(reader)]
    return {"competitions": rows, "may_set_up": may_set_up(reader)}


def leaderboard_page(competition: Competition, reader: User) -> dict:
    board = standings(competition)
    staff = is_staff(reader)
    names = staff or competition.show_names
    people = [PersonLine(p.rank, p.name if names or p.user_id == reader.id else "", board.team_names[p.team_id],
                         p.score, list(p.best), p.user_id == reader.id) for p in board.people]
    state = state_of(competition)
    return {"competition": competition, "state": state, "items": board.items, "people": people,
            "teams": board.teams, "names_shown": names, "staff": staff,
            "close_form": CloseForm() if state == "ended" and may_set_up(reader) else None}
