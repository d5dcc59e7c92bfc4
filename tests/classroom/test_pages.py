"""The classroom pages and the readiness board's session figures run a fixed number of statements whatever the
number of sessions and people; the board shows each person's sessions attended."""

from lms.accounts.models import Role
from lms.classroom import seats as seat_service
from lms.classroom.attendance import take_attendance
from lms.classroom.models import Attendance
from lms.db import db
from tests.classroom.helpers import make_session, start_now
from tests.conftest import Auth
from tests.test_query_counts import counting


def _world(make, people: int, sessions: int):
    manager = make.user(Role.MANAGER)
    team = make.team(managers=[manager])
    trainer = make.user(Role.TRAINER)
    members = [make.user(Role.LEARNER, team=team) for _ in range(people)]
    made = [make_session(trainer, capacity=max(1, people - 1)) for _ in range(sessions)]
    for session in made:
        for member in members:
            seat_service.enrol_self(session.id, member)
    db.session.commit()
    start_now(made[0])
    take_attendance(made[0].id, trainer, {m.id: Attendance.PRESENT for m in members[: max(1, people - 1)]})
    db.session.commit()
    return {"learner": members[0], "manager": manager, "trainer": trainer}, made[0].id


def _counts(app, people, session_id):
    pages = [("list", "learner", "/classroom/"), ("session", "learner", f"/classroom/{session_id}"),
             ("session", "trainer", f"/classroom/{session_id}"),
             ("attendance", "trainer", f"/classroom/manage/{session_id}/attendance"), ("board", "manager", "/board/"),
             ("todo", "learner", "/todo")]
    counts = {}
    for name, role, url in pages:
        client = app.test_client()
        Auth(client).login(people[role])
        with counting() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name, role] = len(statements)
    return counts


def test_statement_counts_do_not_grow_with_sessions_and_people(app, make):
    from tests.conftest import _reset_database

    small = _counts(app, *_world(make, 2, 1))
    _reset_database()
    large = _counts(app, *_world(make, 12, 4))
    assert {page: (small[page], large[page]) for page in small if large[page] > small[page]} == {}


def test_the_board_shows_sessions_attended(app, make):
    people, _session_id = _world(make, 3, 1)
    client = app.test_client()
    Auth(client).login(people["manager"])
    html = client.get("/board/").get_data(as_text=True)
    assert html.count("面授課程：出席 1 / 1 場") == 2 and "面授課程：–" in html  # the third is still waiting
