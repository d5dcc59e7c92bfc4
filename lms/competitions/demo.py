"""Demo competition (``flask lms demo``): a finished, closed skill competition of the team 客服一組 on the
roaming-bill chat two to three weeks ago, with three agents' assessment results and the honours it gave. The
scenario is one no certification programme requires, so the demo's certification progress is unchanged."""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from lms.accounts.demo import DEMO_TEAM
from lms.accounts.models import Team, User
from lms.calls.models import CallAttempt, CallMode, CallStatus, Scenario, ScenarioVersion
from lms.competitions.models import Competition
from lms.competitions.running import close_competition
from lms.db import db
from lms.timeutil import local_today, local_zone

TITLE = "線上客服帳單說明競賽（示範）"
SCENARIO = "chat-bill-roaming"
RESULTS = [("L0003", 93.0), ("L0002", 88.0), ("L0004", 75.0)]


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
    for offset, (employee_no, percent) in enumerate(RESULTS):
        user = db.session.scalar(select(User).where(User.employee_no == employee_no))
        if user is None or version is None:
            continue
        started = datetime.combine(first + timedelta(days=offset + 1), time(14), tzinfo=local_zone()).astimezone(UTC)
        db.session.add(CallAttempt(scenario_id=scenario.id, version_id=version.id, user_id=user.id,
                                   mode=CallMode.ASSESSMENT, status=CallStatus.FINISHED, state={}, started_at=started,
                                   finished_at=started + timedelta(minutes=9), outcome="resolved", percent=percent,
                                   passed=True))
    db.session.flush()
    close_competition(competition, trainer)
    return True
