"""The write rule (lms/db.py): a request commits once at its end unless refused; records that must
survive a refusal go through keep_despite_refusal(); a GET never writes; tasks commit on their own."""

import pytest
from sqlalchemy import func, select

from lms.access import public
from lms.accounts.models import Team
from lms.db import WriteInSafeRequest, db, keep_despite_refusal
from lms.errors import DomainError
from lms.views import refuse


def _teams() -> list[str]:
    db.session.rollback()
    return sorted(db.session.scalars(select(Team.name)))


@pytest.fixture
def routes(app):
    """Throw-away routes on this test's app (before its first request)."""

    def add(rule, view, methods=("POST",)):
        app.add_url_rule(rule, view.__name__, public(view), methods=list(methods))

    def adds_then_refuses():
        db.session.add(Team(name="半途"))
        db.session.flush()
        refuse(DomainError("不行"))
        return "refused"

    def adds_keeps_then_refuses():
        db.session.add(Team(name="留下"))
        keep_despite_refusal()
        return "kept", 409

    def adds():
        db.session.add(Team(name="成功"))
        return "ok"

    def answers_404_after_a_write():
        db.session.add(Team(name="找不到"))
        db.session.flush()
        return "missing", 404

    def reads_then_writes():
        db.session.scalar(select(func.count()).select_from(Team))
        db.session.add(Team(name="讀取"))
        db.session.flush()
        return "oops"

    for view in (adds_then_refuses, adds_keeps_then_refuses, adds, answers_404_after_a_write):
        add(f"/_t/{view.__name__}", view)
    add("/_t/reads_then_writes", reads_then_writes, methods=("GET",))
    return app


def test_a_request_commits_once_at_its_end(routes, client):
    assert client.post("/_t/adds").status_code == 200
    assert _teams() == ["成功"]


def test_a_refused_request_leaves_nothing_half_written(routes, client):
    assert client.post("/_t/adds_then_refuses").status_code == 200
    assert client.post("/_t/answers_404_after_a_write").status_code == 404
    assert _teams() == []


def test_records_kept_despite_a_refusal_are_committed(routes, client):
    assert client.post("/_t/adds_keeps_then_refuses").status_code == 409
    assert _teams() == ["留下"]


def test_a_get_that_writes_fails_in_tests_and_writes_nothing(routes, client):
    with pytest.raises(WriteInSafeRequest):
        client.get("/_t/reads_then_writes")
    assert _teams() == []


def test_a_task_commits_in_a_transaction_of_its_own(app):
    from lms.tasks import app_task, enqueue_after_commit

    @app_task(name=f"name_a_team-{db.engine.url.get_backend_name()}")
    def name_a_team(name):
        db.session.add(Team(name=name))

    db.session.add(Team(name="呼叫者"))
    enqueue_after_commit(name_a_team, "任務")
    assert _teams() == []  # rolled back: the task never ran
    db.session.add(Team(name="呼叫者"))
    enqueue_after_commit(name_a_team, "任務")
    db.session.commit()
    assert _teams() == ["任務", "呼叫者"]


def test_tasks_wait_for_the_outer_commit_and_skip_savepoints_that_rolled_back(app):
    from lms.tasks import app_task, enqueue_after_commit

    ran = []

    @app_task(name=f"name_a_team_later-{db.engine.url.get_backend_name()}")
    def name_a_team_later(name):
        ran.append(name)
        db.session.add(Team(name=name))

    db.session.add(Team(name="外層"))
    with db.session.begin_nested():
        enqueue_after_commit(name_a_team_later, "保存點內")
    assert ran == []  # a released savepoint is not a commit
    try:
        with db.session.begin_nested():
            enqueue_after_commit(name_a_team_later, "撤回")
            raise ValueError
    except ValueError:
        pass
    db.session.commit()
    assert ran == ["保存點內"]
    assert _teams() == ["保存點內", "外層"]
