"""The report sections of levels 1 and 3: registered, scoped, and silent below the minimum group."""

from sqlalchemy import select

from lms.accounts.models import Role
from lms.db import db
from lms.evaluation.models import Observation, SurveyInvitation
from lms.evaluation.observations import submit_scorecard
from lms.evaluation.report_sections import SECTION_KINDS, ReportScope, build_sections
from lms.evaluation.surveys import answer_survey
from lms.timeutil import local_today
from tests.evaluation.helpers import finish_course


def _world(make, count):
    make.content()
    manager = make.user(Role.MANAGER)
    team = make.team(managers=[manager])
    learners = []
    for n in range(count):
        learner = make.user(team=team)
        finish_course(make, learner)
        invitation = db.session.scalar(select(SurveyInvitation).where(SurveyInvitation.user_id == learner.id))
        answer_survey(invitation.id, learner, {"clear": 5, "useful": 4, "recommend": 10 if n else 3})
        observation = db.session.scalar(select(Observation).where(Observation.learner_id == learner.id,
                                                                  Observation.offset_days == 30))
        submit_scorecard(observation.id, manager, {"pickup": "met", "apology": "met" if n % 2 else "missed"},
                         f"REC-{n}", local_today(), "")
        learners.append(learner)
    db.session.commit()
    return team


def test_sections_are_registered_for_their_scopes(app):
    import lms.evaluation.views  # noqa: F401

    assert {"reaction", "behaviour"} <= set(SECTION_KINDS)


def test_course_report_shows_reaction_and_behaviour(app, make):
    _world(make, 5)
    sections = {s.key: s for s in build_sections(ReportScope("course", "TST-201", minimum_group=5))}
    reaction, behaviour = sections["reaction"], sections["behaviour"]
    assert reaction.figures["mean"] == 4.5 and reaction.figures["nps"] == 60.0  # 4 promoters, 1 detractor
    assert reaction.figures["response_rate"] == 1.0
    apology = next(r for r in behaviour.table.rows if r[1] == "先致歉")
    assert apology[2] == "40% (5)"  # met on 2 of 5 real calls
    assert "<svg" in reaction.chart_svg and "內容清楚：平均 5.00 分" in reaction.chart_alt
    assert "<svg" in behaviour.chart_svg and "先致歉：真實來電達成 40%" in behaviour.chart_alt
    assert behaviour.figures["observed"] == 5.0 and behaviour.figures["mean_percent"] == 55.0  # (3 × 25 + 2 × 100) / 5


def test_small_groups_show_counts_only(app, make):
    team = _world(make, 3)
    sections = {s.key: s for s in build_sections(ReportScope("team", str(team.id), minimum_group=5))}
    assert sections["reaction"].table is None and sections["reaction"].figures["mean"] is None
    assert sections["reaction"].chart_svg is None and sections["behaviour"].chart_svg is None
    assert sections["behaviour"].table is None and "mean_percent" not in sections["behaviour"].figures
