"""Parallel requests against one attempt: one attempt, one finalisation, one grade."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from lms import create_app
from lms.audit.models import AuditEvent
from lms.db import db
from lms.quizzes import services
from lms.quizzes.models import Attempt, Exam

PARALLEL = 50


@pytest.fixture
def app(database_url):
    """The app with room for 50 simultaneous requests: a pool that large and, on SQLite, writers that
    wait their turn (a server has a handful of workers; this test has fifty threads)."""
    from tests.conftest import TEST_CONFIG, _reset_database

    options = {"pool_size": 60, "max_overflow": 0, "pool_timeout": 120}
    if database_url.startswith("sqlite"):
        options["connect_args"] = {"timeout": 120}
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "SQLALCHEMY_ENGINE_OPTIONS": options})
    with app.app_context():
        yield app
        _reset_database()
        db.engine.dispose()


def _in_parallel(app, work, n=PARALLEL):
    barrier = threading.Barrier(n)

    def run(_):
        with app.app_context():
            barrier.wait()
            try:
                result = work()
                db.session.commit()
                return result
            except Exception as exc:  # noqa: BLE001 - reported to the test
                db.session.rollback()
                return exc
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def test_fifty_parallel_starts_make_one_attempt(app, make):
    make.content()
    user = make.user()
    make.enrol(user, "TST-101")
    user_id = user.id
    exam = db.session.scalar(select(Exam).where(Exam.slug == "tst-fixed"))
    exam.current_version.settings = dict(exam.current_version.settings, attempts=1)
    db.session.commit()
    db.session.close()  # hold no transaction while the threads run

    def start():
        from lms.accounts.models import User

        me = db.session.get(User, user_id)
        return services.start_attempt(me, db.session.scalar(select(Exam).where(Exam.slug == "tst-fixed"))).id

    results = _in_parallel(app, start)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_fifty_parallel_submits_finalise_once(app, make):
    make.content()
    user = make.user()
    user_id = user.id
    attempt = services.start_attempt(user, db.session.scalar(select(Exam).where(Exam.slug == "tst-101-post")))
    attempt_id = attempt.id
    db.session.commit()
    db.session.close()  # hold no transaction while the threads run

    def submit():
        from lms.accounts.models import User

        return services.submit_attempt(attempt_id, db.session.get(User, user_id)).status

    results = _in_parallel(app, submit)
    assert not [r for r in results if isinstance(r, Exception)], results
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "attempt.submitted")) == 1
    assert db.session.get(Attempt, attempt_id).score is not None
