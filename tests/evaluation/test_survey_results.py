"""Survey results for staff: averages, NPS, response rate and comments per course, trainer and cohort;
hidden below the minimum group size; a manager reads only their teams."""

from sqlalchemy import select

from lms.accounts.models import Role
from lms.db import db
from lms.evaluation.models import SurveyInvitation
from lms.evaluation.surveys import answer_survey
from tests.conftest import Auth
from tests.evaluation.helpers import finish_course


def _answered(make, count, team=None, trainer=None, comment=""):
    people = []
    for n in range(count):
        learner = make.user(team=team)
        finish_course(make, learner, assigned_by=trainer)
        invitation = db.session.scalar(select(SurveyInvitation).where(SurveyInvitation.user_id == learner.id))
        answer_survey(invitation.id, learner, {"clear": 4 + n % 2, "useful": 3, "recommend": 9 if n % 2 else 5,
                                               "comments": comment if n == 0 else ""})
        people.append(learner)
    db.session.commit()
    return people


def _page(app, user, query=""):
    client = app.test_client()
    Auth(client).login(user)
    response = client.get("/evaluation/manage/surveys" + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_trainer_reads_results_by_course_and_trainer(app, make):
    make.content()
    trainer = make.user(Role.TRAINER, name="講師王")
    learners = _answered(make, 5, trainer=trainer, comment="範例很貼近實際")
    make.user()  # someone who never took the course changes nothing
    page = _page(app, trainer)
    assert "發出 5 份，回覆 5 份（回覆率 100%）" in page
    assert "<th scope=\"row\">內容清楚</th><td>5</td>" in page and "4.40" in page  # 4, 5, 4, 5, 4
    assert "範例很貼近實際" in page and learners[0].name not in page  # comments without names
    assert "淨推薦值（NPS）：-20" in page  # 2 promoters, 3 detractors of 5
    by_trainer = _page(app, trainer, "?by=trainer")
    assert "<th scope=\"row\">講師王</th><td>5 / 5</td>" in by_trainer


def test_results_are_hidden_below_the_minimum_group(app, make):
    make.content()
    trainer = make.user(Role.TRAINER)
    _answered(make, 4, comment="只有少數人回答")
    page = _page(app, trainer)
    assert "回覆人數少於 5 人" in page and "只有少數人回答" not in page and "內容清楚" not in page


def test_a_manager_reads_only_their_teams(app, make):
    make.content()
    manager = make.user(Role.MANAGER)
    team = make.team(managers=[manager])
    _answered(make, 5, team=team)
    _answered(make, 3, team=make.team(), comment="別組的意見")
    page = _page(app, manager)
    assert "發出 5 份，回覆 5 份" in page and "別組的意見" not in page
