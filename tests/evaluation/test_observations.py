"""Observed calls: scheduled at 30/60/90 days after a course or a certificate, filled in by the observer
from the task list criterion by criterion, read by the learner beside their simulated calls, and
calibrated by a second observer."""

from datetime import timedelta

from sqlalchemy import select

from lms.accounts.models import Role
from lms.db import db
from lms.evaluation.models import Observation, ObservationStatus
from lms.timeutil import local_today
from tests.conftest import Auth
from tests.evaluation.helpers import finish_course

SCORECARD = {"call_reference": "REC-20261201-17", "observed_on": "", "c_pickup": "met", "c_greeting": "partly",
             "c_apology": "met", "c_verify": "missed", "c_no_argue": "met", "c_closing": "", "notes": "道歉很自然"}


def _team_world(make):
    make.content()
    manager, other_manager = make.user(Role.MANAGER, name="組長甲"), make.user(Role.MANAGER, name="組長乙")
    team = make.team(managers=[manager])
    make.team(managers=[other_manager])
    learner = make.user(team=team, name="新人甲")
    return manager, other_manager, learner


def _observations(learner):
    return list(db.session.scalars(select(Observation).where(Observation.learner_id == learner.id)
                                   .order_by(Observation.offset_days)))


def _client(app, user):
    client = app.test_client()
    Auth(client).login(user)
    return client


def test_completing_a_course_schedules_30_60_90_day_observations_for_the_team_manager(app, make):
    manager, _other, learner = _team_world(make)
    finish_course(make, learner)
    found = _observations(learner)
    today = local_today()
    assert [(o.offset_days, o.due_on, o.observer_id, o.source_key) for o in found] == [
        (d, today + timedelta(days=d), manager.id, "TST-201") for d in (30, 60, 90)]
    assert all(o.status == ObservationStatus.SCHEDULED for o in found)
    from lms.evaluation.observations import schedule_observations

    assert schedule_observations("course", "TST-201", learner, today) == []  # never twice for one course


def test_a_certificate_schedules_the_trainers_observation(app, make):
    from lms.certification import programmes, workflow
    from tests.certification.helpers import make_ready

    make.content()
    trainer, learner = make.user(Role.TRAINER), make.user()
    make_ready(learner, trainer)
    application = workflow.apply_for_certificate(learner, programmes.get_programme("tst-cert"))
    workflow.issue_certificate(application, trainer)
    db.session.commit()
    [observation] = _observations(learner)
    assert (observation.source_kind, observation.source_key, observation.offset_days, observation.observer_id) == (
        "certification", "tst-cert", 30, trainer.id)


def test_observer_fills_the_scorecard_from_the_task_list_and_the_learner_sees_it(app, make):
    manager, other_manager, learner = _team_world(make)
    finish_course(make, learner)
    first = _observations(learner)[0]
    client = _client(app, manager)
    tasks = client.get("/evaluation/manage/observations").get_data(as_text=True)
    assert "新人甲" in tasks and f"/evaluation/manage/observations/{first.id}/scorecard" in tasks
    form = client.get(f"/evaluation/manage/observations/{first.id}/scorecard").get_data(as_text=True)
    assert form.count("<fieldset") == 6 and "<legend>先致歉</legend>" in form
    # The call's reference is required: refused, nothing recorded.
    refused = client.post(f"/evaluation/manage/observations/{first.id}/scorecard",
                          data={**SCORECARD, "call_reference": "", "observed_on": local_today().isoformat()})
    assert refused.status_code == 200 and db.session.get(Observation, first.id).status == ObservationStatus.SCHEDULED
    done = client.post(f"/evaluation/manage/observations/{first.id}/scorecard",
                       data={**SCORECARD, "observed_on": local_today().isoformat()})
    assert done.status_code == 302 and done.headers["Location"] == f"/evaluation/observations/{first.id}"
    recorded = db.session.get(Observation, first.id)
    assert recorded.status == ObservationStatus.DONE and recorded.percent == 61.1  # (10 + 5 + 30 + 0 + 10) / 90: closing not observed
    assert recorded.ratings["closing"] == "" and recorded.call_reference == "REC-20261201-17"
    # Another team's manager neither sees nor opens it.
    other = _client(app, other_manager)
    assert "新人甲" not in other.get("/evaluation/manage/observations").get_data(as_text=True)
    assert other.get(f"/evaluation/manage/observations/{_observations(learner)[1].id}/scorecard").status_code == 404
    assert other.get(f"/evaluation/observations/{first.id}").status_code == 404
    # The learner reads it beside the simulated call of the same scenario.
    from lms.calls import playing

    call = playing.start_call(learner, "tst-call", "practice")
    for option in (0, 1, 0):
        playing.take_turn(call.id, learner, option=option)
    playing.take_turn(call.id, learner, text="我幫您核對")
    playing.take_turn(call.id, learner, option=0)
    db.session.commit()
    mine = _client(app, learner)
    assert f"/evaluation/observations/{first.id}" in mine.get("/evaluation/observations").get_data(as_text=True)
    page = mine.get(f"/evaluation/observations/{first.id}").get_data(as_text=True)
    assert "真實來電" in page and "模擬通話" in page and "道歉很自然" in page
    greeting_row = page.split("標準問候語</th>")[1].split("</tr>")[0]
    assert "部分達成" in greeting_row and "未達成" in greeting_row  # real: partly; simulated: missed ("喂？")


def test_two_observers_calibrate_on_the_same_call(app, make):
    manager, _other, learner = _team_world(make)
    trainer = make.user(Role.TRAINER, name="講師丙")
    finish_course(make, learner)
    first = _observations(learner)[0]
    _client(app, manager).post(f"/evaluation/manage/observations/{first.id}/scorecard",
                               data={**SCORECARD, "observed_on": local_today().isoformat()})
    client = _client(app, trainer)
    assert "我也來評這通電話" in client.get(f"/evaluation/observations/{first.id}").get_data(as_text=True)
    started = client.post(f"/evaluation/manage/observations/{first.id}/calibrate")
    second_id = int(started.headers["Location"].split("/")[-2])
    client.post(f"/evaluation/manage/observations/{second_id}/scorecard", data={
        **SCORECARD, "c_greeting": "met", "c_verify": "breached", "observed_on": local_today().isoformat()})
    assert db.session.get(Observation, second_id).call_reference == "REC-20261201-17"
    listing = client.get("/evaluation/manage/calibration").get_data(as_text=True)
    assert f"/evaluation/manage/calibration/{second_id}" in listing
    page = client.get(f"/evaluation/manage/calibration/{second_id}").get_data(as_text=True)
    assert "比較的評分項目：5 項" in page and "其中 60% 的評等相同" in page
    verify_row = page.split("核實問題</th>")[1].split("</tr>")[0]
    assert "未達成" in verify_row and "違反" in verify_row and "<td>1</td>" in verify_row
    # The first observer cannot calibrate against themselves.
    again = _client(app, manager).post(f"/evaluation/manage/observations/{first.id}/calibrate")
    assert again.headers["Location"] == f"/evaluation/observations/{first.id}"
    assert len(_observations(learner)) == 4


def test_unassigned_observations_wait_in_the_shared_queue_until_taken(app, make):
    make.content()
    trainer, manager = make.user(Role.TRAINER), make.user(Role.MANAGER)
    make.team(managers=[manager])
    learner = make.user(name="無組新人")  # no team, so no team manager to assign
    finish_course(make, learner)
    first = _observations(learner)[0]
    assert first.observer_id is None
    assert "無組新人" not in _client(app, manager).get("/evaluation/manage/observations").get_data(as_text=True)
    client = _client(app, trainer)
    tasks = client.get("/evaluation/manage/observations").get_data(as_text=True)
    assert "無組新人" in tasks and f"/evaluation/manage/observations/{first.id}/take" in tasks
    assert client.post(f"/evaluation/manage/observations/{first.id}/take").status_code == 302
    assert db.session.get(Observation, first.id).observer_id == trainer.id
    mine = client.get("/evaluation/manage/observations").get_data(as_text=True)
    assert f"/evaluation/manage/observations/{first.id}/scorecard" in mine


def test_the_task_list_shows_the_soonest_due_first_and_says_when_it_stops(app, make, monkeypatch):
    from lms.evaluation import observations

    manager, _other, learner = _team_world(make)
    finish_course(make, learner)
    monkeypatch.setattr(observations, "MAX_TASKS", 2)
    page = _client(app, manager).get("/evaluation/manage/observations").get_data(as_text=True)
    first, second, third = _observations(learner)
    assert f"/observations/{first.id}/" in page and f"/observations/{second.id}/" in page
    assert f"/observations/{third.id}/" not in page and "最早到期的 2 項觀察" in page
