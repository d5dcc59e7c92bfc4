"""Demo competition (``flask lms demo``): a finished, closed skill competition of the team 客服一組 on the
roaming-bill chat two to three weeks ago, with three agents' assessment results and the honours it gave. The
scenario is one no certification programme requires, so the demo's certification progress is unchanged."""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from lms.accounts.demo import DEMO_TEAM
from lms.accounts.models import Team, User
from lms.calls import autoplay
from lms.calls.models import CallAttempt, CallTurn, Scenario, ScenarioVersion
from lms.calls.scenarios import compiled
from lms.competitions.models import Competition
from lms.competitions.running import close_competition
from lms.db import db
from lms.timeutil import local_today, local_zone

TITLE = "線上客服帳單說明競賽（示範）"
SCENARIO = "chat-bill-roaming"
AGENTS = ["L0003", "L0002", "L0004"]  # placed first, second and third


def load_demo_competition() -> bool:
    """Write the demo competition once; False when it is there already or the content or people lack."""
    if db.session.scalar(select(Competition.id).where(Competition.title == TITLE)) is not None:
        return False
    team = db.session.scalar(select(Team).where(Team.name == DEMO_TEAM))
    trainer = db.session.scalar(select(User).where(User.employee_no == "T0001"))
    scenario = db.session.scalar(select(Scenario).where(Scenario.slug == SCENARIO))
    if team is None or trainer is None or scenario is None:
        return False
    version = db.session.scalar(select(ScenarioVersion).where(ScenarioVersion.scenario_id == scenario.id,
                                                              ScenarioVersion.number == scenario.current_number))
    first = local_today() - timedelta(days=20)
    competition = Competition(title=TITLE, description="以線上客服說明漫遊帳單的情境進行考核，前三名列入個人榮譽紀錄。",
                              starts_on=first, ends_on=first + timedelta(days=6), teams=[team], scenarios=[scenario],
                              show_names=True, created_by_id=trainer.id)
    db.session.add(competition)
    paths = autoplay.finished_paths(compiled(version), "L0000") if version is not None else []
    # Three agents, each along a path of a different score (the best, then lesser ones), played for real.
    scores = sorted({percent for percent, _, _ in paths}, reverse=True)
    for offset, employee_no in enumerate(AGENTS):
        user = db.session.scalar(select(User).where(User.employee_no == employee_no))
        if user is None or not scores:
            continue
        percent = scores[min(offset, len(scores) - 1)]
        attempt = autoplay.play(user, SCENARIO, next(moves for p, _, moves in paths if p == percent), trainer)
        started = datetime.combine(first + timedelta(days=offset + 1), time(14), tzinfo=local_zone()).astimezone(UTC)
        _move_to(attempt, started)
    db.session.flush()
    close_competition(competition, trainer)
    return True


def _move_to(attempt: CallAttempt, started: datetime) -> None:
    """Date a call played just now as played at ``started`` (inside the competition's days)."""
    shift = started - attempt.started_at
    for turn in db.session.scalars(select(CallTurn).where(CallTurn.attempt_id == attempt.id)):
        turn.created_at += shift
        if turn.reviewed_at is not None:
            turn.reviewed_at += shift
    attempt.started_at += shift
    if attempt.finished_at is not None:
        attempt.finished_at += shift
    if attempt.node_shown_at is not None:
        attempt.node_shown_at += shift
