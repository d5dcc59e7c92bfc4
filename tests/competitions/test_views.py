"""The competition pages, by role: set-up (trainers and administrators), the leaderboard (staff, and learners of
the taking teams), closing with honours, and where the honours show."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from lms.audit.models import AuditEvent
from lms.calls.models import CallMode
from lms.competitions.models import Competition, Honour
from lms.db import db
from lms.timeutil import local_today
from tests.competitions.conftest import local_moment, make_competition, seed_call


def _form(world, **changes) -> dict:
    today = local_today()
    data = {"title": "第一季接聽競賽", "description": "兩組比賽", "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=2)).isoformat(), "teams": [world.team_a.id, world.team_b.id],
            "scenarios": [world.scenario.id], "exam": "0", "show_names": "y"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(("who", "status"), [("trainer", 302), ("admin", 302), ("manager", 403), ("ann", 403)])
def test_who_may_set_up_a_competition(app, world, who, status):
    client = world.client(app, getattr(world, who))
    assert client.get("/competitions/new").status_code == (200 if status == 302 else 403)
    response = client.post("/competitions/new", data=_form(world))
    assert response.status_code == status
    count = db.session.scalar(select(func.count()).select_from(Competition))
    assert count == (1 if status == 302 else 0)
    if status == 302:
        competition = db.session.scalar(select(Competition))
        assert [t.name for t in competition.teams] == ["乙組", "甲組"] or len(competition.teams) == 2
        assert competition.scenarios == [world.scenario] and competition.exam is None
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "competition.created")) is not None


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"teams": None}, "teams", "Choose at least one team"),
    ({"scenarios": None}, "scenarios", "Choose at least one call scenario or an exam"),
    ({"ends_on": "2020-01-01"}, "ends_on", "The end date must be on or after the start date"),
    ({"title": ""}, "title", "This field is required"),
    ({"starts_on": "not a date"}, "starts_on", "Not a valid date value"),
])
def test_bad_set_up_names_the_field(app, world, changes, field, message):
    client = world.client(app, world.trainer)
    response = client.post("/competitions/new", data=_form(world, **changes))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and f'id="{field}-error"' in page
    assert db.session.scalar(select(func.count()).select_from(Competition)) == 0


def test_an_exam_alone_is_enough(app, world):
    from lms.exams.models import Exam

    exam = db.session.scalar(select(Exam).where(Exam.slug == "tst-fixed"))
    client = world.client(app, world.trainer)
    assert client.post("/competitions/new", data=_form(world, scenarios=None, exam=str(exam.id))).status_code == 302
    assert db.session.scalar(select(Competition)).exam_id == exam.id


def test_the_leaderboard_counts_only_what_the_rules_say(app, world):
    competition = make_competition(world, days_ago=1)
    start = competition.starts_on
    seed_call(world.ann, world.scenario, 70, local_moment(start))
    seed_call(world.ann, world.scenario, 90, local_moment(start + timedelta(days=1)))
    seed_call(world.amy, world.scenario, 100, local_moment(start - timedelta(days=1)))  # before the window
    seed_call(world.amy, world.scenario, 100, local_moment(start), mode=CallMode.PRACTICE)  # practice
    seed_call(world.bob, world.scenario, 80, local_moment(start))
    seed_call(world.outsider, world.scenario, 100, local_moment(start))  # not a taking team
    page = world.client(app, world.trainer).get(f"/competitions/{competition.id}").get_data(as_text=True)
    assert page.index("安安") < page.index("小波") < page.index("艾美")
    assert "局外" not in page and "90.0" in page and "80.0" in page
    # Teams: B 80 (one member) ahead of A (90 + 0) / 2 = 45: a star alone does not carry a team.
    assert page.index("乙組") < page.index("甲組")
    assert "45.0" in page


def test_names_hidden_from_participants_when_the_competition_says_so(app, world):
    competition = make_competition(world, show_names=False)
    seed_call(world.bob, world.scenario, 80, local_moment(competition.starts_on))
    learner_page = world.client(app, world.ann).get(f"/competitions/{competition.id}").get_data(as_text=True)
    assert "小波" not in learner_page and "艾美" not in learner_page
    assert "安安" in learner_page and "乙組" in learner_page
    staff_page = world.client(app, world.manager).get(f"/competitions/{competition.id}").get_data(as_text=True)
    assert "小波" in staff_page and "艾美" in staff_page


@pytest.mark.parametrize(("who", "status"), [("ann", 200), ("bob", 200), ("outsider", 404), ("trainer", 200),
                                             ("manager", 200), ("admin", 200)])
def test_who_may_read_the_leaderboard(app, world, who, status):
    competition = make_competition(world)
    client = world.client(app, getattr(world, who))
    assert client.get(f"/competitions/{competition.id}").status_code == status
    listed = "退費技能競賽" in client.get("/competitions/").get_data(as_text=True)
    assert listed == (status == 200)


def test_closing_gives_honours_shown_on_the_record_and_home(app, world):
    competition = make_competition(world, days_ago=5)
    start = competition.starts_on
    seed_call(world.ann, world.scenario, 90, local_moment(start))
    seed_call(world.amy, world.scenario, 85, local_moment(start))
    seed_call(world.bob, world.scenario, 60, local_moment(start))
    trainer = world.client(app, world.trainer)
    assert "Close" in trainer.get(f"/competitions/{competition.id}").get_data(as_text=True)
    assert world.client(app, world.ann).post(f"/competitions/{competition.id}/close").status_code == 403
    assert trainer.post(f"/competitions/{competition.id}/close").status_code == 302
    honours = db.session.execute(select(Honour.user_id, Honour.place).order_by(Honour.place, Honour.user_id)).all()
    assert sorted(honours) == sorted([(world.ann.id, 0), (world.amy.id, 0), (world.ann.id, 1), (world.amy.id, 2),
                                      (world.bob.id, 3)])
    assert db.session.get(Competition, competition.id).closed_at is not None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "competition.closed")) is not None
    trainer.post(f"/competitions/{competition.id}/close")  # a second close changes nothing
    assert db.session.scalar(select(func.count()).select_from(Honour)) == 5
    record = world.client(app, world.manager).get(f"/board/people/{world.ann.id}").get_data(as_text=True)
    assert "First place" in record and "Winning team" in record and "退費技能競賽" in record
    home = world.client(app, world.bob).get("/").get_data(as_text=True)
    assert "Third place" in home


def test_closing_waits_for_the_end_of_the_window(app, world):
    competition = make_competition(world, days_ago=0)
    seed_call(world.ann, world.scenario, 90, local_moment(competition.starts_on, 0))
    client = world.client(app, world.trainer)
    client.post(f"/competitions/{competition.id}/close")
    assert db.session.get(Competition, competition.id).closed_at is None
    assert db.session.scalar(select(func.count()).select_from(Honour)) == 0
    home = world.client(app, world.ann).get("/").get_data(as_text=True)
    assert "Your team takes part until" in home


@contextmanager
def _counting():
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_the_leaderboard_statements_do_not_grow_with_people(app, world, make):
    competition = make_competition(world)
    seed_call(world.ann, world.scenario, 90, local_moment(competition.starts_on, 0))
    counts = []
    for _ in range(2):
        client = world.client(app, world.trainer)
        with _counting() as statements:
            assert client.get(f"/competitions/{competition.id}").status_code == 200
        counts.append(len(statements))
        for _i in range(5):
            seed_call(make.user(team=world.team_b), world.scenario, 50, local_moment(competition.starts_on, 1))
    assert counts[1] <= counts[0]


def test_the_readiness_board_shows_the_managers_teams_results(app, world):
    competition = make_competition(world)
    seed_call(world.ann, world.scenario, 90, local_moment(competition.starts_on, 0))
    page = world.client(app, world.manager).get("/board/").get_data(as_text=True)
    section = page[page.index('id="board-competitions-h"'):]
    assert "退費技能競賽" in section and "甲組" in section and "1 of 2" in section and "45.0" in section
    assert "乙組" not in section  # another manager's team


def test_the_team_report_has_a_competitions_section(app, world):
    competition = make_competition(world)
    seed_call(world.ann, world.scenario, 90, local_moment(competition.starts_on, 0))
    client = world.client(app, world.manager)
    page = client.get(f"/evaluation/manage/reports/team/{world.team_a.id}").get_data(as_text=True)
    assert "The team took part in 1 skill competition; its best rank was 1." in page
    assert "退費技能競賽" in page and "1 of 2" in page
    assert "A team score over fewer than" in page  # two members: the score is not shown
    other = client.get(f"/evaluation/manage/reports/team/{world.team_a.id}?start=2020-01-01&end=2020-12-31")
    assert "退費技能競賽" not in other.get_data(as_text=True)


def test_a_running_competition_is_on_the_taking_teams_to_do_lists(app, world):
    competition = make_competition(world)
    page = world.client(app, world.ann).get("/todo").get_data(as_text=True)
    assert "Skill competitions running" in page and f'href="/competitions/{competition.id}">Take part in' in page
    assert "退費技能競賽" not in world.client(app, world.outsider).get("/todo").get_data(as_text=True)
    closed = make_competition(world, days_ago=9)
    assert f"/competitions/{closed.id}" not in world.client(app, world.ann).get("/todo").get_data(as_text=True)
