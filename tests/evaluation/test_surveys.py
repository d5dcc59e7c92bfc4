"""Reaction surveys: offered when a course or a block of practice calls ends, once per person per run,
answered once on an accessible form; the home page lists them; nobody reads another's invitation."""

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.db import db
from lms.errors import DomainError
from lms.evaluation.models import SurveyInvitation
from lms.evaluation.surveys import check_answers, offer_survey
from tests.conftest import Auth
from tests.evaluation.helpers import finish_course

ANSWERS = {"item_clear": "4", "item_useful": "5", "item_recommend": "9", "item_comments": "多一點實例"}


def _invitations(user=None):
    stmt = select(SurveyInvitation).order_by(SurveyInvitation.id)
    return list(db.session.scalars(stmt.where(SurveyInvitation.user_id == user.id) if user else stmt))


def test_completing_a_course_offers_its_survey_once(app, make):
    make.content()
    trainer = make.user(Role.TRAINER)
    learner = make.user()
    enrolment = finish_course(make, learner, assigned_by=trainer)
    [invitation] = _invitations(learner)
    assert (invitation.context_kind, invitation.context_key, invitation.trainer_id) == ("course", "TST-201", trainer.id)
    assert invitation.survey_version.survey.slug == "tst-reaction" and len(invitation.cohort) == 7
    assert offer_survey(learner, "course", enrolment.course) is invitation  # the same run: no second invitation
    assert len(_invitations(learner)) == 1


def test_a_finished_block_of_practice_calls_offers_the_calls_survey(app, make):
    from lms.calls import playing

    make.content()
    learner = make.user()
    call = playing.start_call(learner, "tst-call", "practice")
    for option in (0, 0, 0):
        playing.take_turn(call.id, learner, option=option)
    playing.take_turn(call.id, learner, text="我幫您核對")
    assert _invitations(learner) == []  # the call goes on: nothing offered yet
    playing.take_turn(call.id, learner, option=0)
    db.session.commit()
    assert [(i.context_kind, i.context_key) for i in _invitations(learner)] == [("calls", "TST-201")]


def test_learner_answers_on_the_home_page_link_once(app, make):
    make.content()
    learner = make.user()
    finish_course(make, learner)
    [invitation] = _invitations(learner)
    client = app.test_client()
    Auth(client).login(learner)
    home = client.get("/").get_data(as_text=True)
    assert f"/evaluation/surveys/{invitation.id}" in home and "測試回饋問卷" in home
    page = client.get(f"/evaluation/surveys/{invitation.id}").get_data(as_text=True)
    assert page.count("<fieldset") == 3 and "<legend>內容清楚</legend>" in page and 'type="radio"' in page
    # A required question left out: the form comes back with the message under it and nothing is saved.
    response = client.post(f"/evaluation/surveys/{invitation.id}", data={**ANSWERS, "item_useful": ""})
    assert response.status_code == 200 and "請回答這一題" in response.get_data(as_text=True)
    assert db.session.get(SurveyInvitation, invitation.id).responded_at is None
    assert client.post(f"/evaluation/surveys/{invitation.id}", data=ANSWERS).status_code == 302
    saved = db.session.get(SurveyInvitation, invitation.id)
    assert saved.answers == {"clear": 4, "useful": 5, "recommend": 9, "comments": "多一點實例"}
    again = client.post(f"/evaluation/surveys/{invitation.id}", data={**ANSWERS, "item_clear": "1"})
    assert again.status_code == 200 and db.session.get(SurveyInvitation, invitation.id).answers["clear"] == 4
    assert f"/evaluation/surveys/{invitation.id}" not in client.get("/").get_data(as_text=True)


def test_out_of_range_answers_are_refused(app, make):
    make.content()
    learner = make.user()
    finish_course(make, learner)
    [invitation] = _invitations(learner)
    client = app.test_client()
    Auth(client).login(learner)
    response = client.post(f"/evaluation/surveys/{invitation.id}", data={**ANSWERS, "item_recommend": "11"})
    assert response.status_code == 200
    assert db.session.get(SurveyInvitation, invitation.id).responded_at is None


def test_nobody_opens_another_persons_survey(app, make):
    make.content()
    learner, other = make.user(), make.user()
    finish_course(make, learner)
    [invitation] = _invitations(learner)
    client = app.test_client()
    Auth(client).login(other)
    assert client.get(f"/evaluation/surveys/{invitation.id}").status_code == 404
    assert client.post(f"/evaluation/surveys/{invitation.id}", data=ANSWERS).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(SurveyInvitation).where(
        SurveyInvitation.responded_at.is_not(None))) == 0


ITEMS = [{"id": "a", "kind": "likert", "text": "A", "required": True},
         {"id": "r", "kind": "nps", "text": "R", "required": True},
         {"id": "c", "kind": "comment", "text": "C", "required": False}]


def test_check_answers_keeps_what_fits_and_names_what_does_not():
    assert check_answers(ITEMS, {"a": 3, "r": 0, "c": "  好  "}) == {"a": 3, "r": 0, "c": "好"}
    assert check_answers(ITEMS, {"a": 5, "r": 10}) == {"a": 5, "r": 10}
    for bad, field in (({"r": 5}, "item_a"), ({"a": 6, "r": 5}, "item_a"), ({"a": 1, "r": -1}, "item_r"),
                       ({"a": True, "r": 1}, "item_a")):
        with pytest.raises(DomainError) as refused:
            check_answers(ITEMS, bad)
        assert refused.value.field == field
