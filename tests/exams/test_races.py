"""Parallel requests against one attempt: one attempt, one finalisation, one grade."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from lms import create_app
from lms.audit.models import AuditEvent
from lms.db import db
from lms.exams import attempts, grading, question_types
from lms.exams.models import Attempt, Exam

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
        return attempts.start_attempt(me, db.session.scalar(select(Exam).where(Exam.slug == "tst-fixed"))).id

    results = _in_parallel(app, start)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_fifty_parallel_submits_finalise_once(app, make):
    make.content()
    user = make.user()
    user_id = user.id
    attempt = attempts.start_attempt(user, db.session.scalar(select(Exam).where(Exam.slug == "tst-101-post")))
    attempt_id = attempt.id
    db.session.commit()
    db.session.close()  # hold no transaction while the threads run

    def submit():
        from lms.accounts.models import User

        return attempts.submit_attempt(attempt_id, db.session.get(User, user_id)).status

    results = _in_parallel(app, submit)
    assert not [r for r in results if isinstance(r, Exception)], results
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "attempt.submitted")) == 1
    assert db.session.get(Attempt, attempt_id).score is not None


def test_autosaves_racing_a_submit_are_graded_or_refused(app, make, monkeypatch):
    """Tabs autosaving one question through the route while the learner submits: the newest
    acknowledged save is the stored answer, and it is the answer that was graded (no save slips in
    after the submit read the answers). Grading is slowed down so that saves arrive while it runs."""
    import itertools
    import time

    from lms.exams.models import AttemptQuestion

    grade = question_types.grade_response
    graded = {}

    def slow_grade(qtype, data, response):
        time.sleep(0.2)
        graded[qtype] = response
        return grade(qtype, data, response)

    monkeypatch.setattr(grading, "grade_response", slow_grade)

    make.content()
    user = make.user()
    make.enrol(user, "TST-101")
    attempt = attempts.start_attempt(user, db.session.scalar(select(Exam).where(Exam.slug == "tst-fixed")))
    attempt_id, employee_no = attempt.id, user.employee_no
    db.session.commit()
    db.session.close()
    sequences = itertools.count(1)
    acknowledged = []
    closed = threading.Event()
    savers = 8
    barrier = threading.Barrier(savers + 1)

    def client():
        c = app.test_client()
        assert c.post("/login", data={"identifier": employee_no, "password": make.PASSWORD}).status_code == 302
        return c

    def save():
        c = client()
        barrier.wait()
        while not closed.is_set():
            sequence = next(sequences)
            text = f"第{sequence}次"
            reply = c.post(f"/exams/attempts/{attempt_id}/save",
                           data={"position": "2", "sequence": sequence, "q2": text})
            body = reply.get_json()
            if reply.status_code == 200:
                acknowledged.append(sequence)
            elif body.get("closed"):
                closed.set()
            else:
                assert body.get("stale"), body

    def submit():
        c = client()
        barrier.wait()
        # Submit once the saves are flowing (a fixed pause was not always enough on a loaded machine).
        waited_until = time.time() + 10
        while len(acknowledged) <= savers and time.time() < waited_until:
            time.sleep(0.01)
        assert c.post(f"/exams/attempts/{attempt_id}/submit").status_code == 302
        closed.set()

    with ThreadPoolExecutor(max_workers=savers + 1) as pool:
        futures = [pool.submit(save) for _ in range(savers)] + [pool.submit(submit)]
        for future in futures:
            future.result()
    db.session.rollback()
    aq = db.session.scalar(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id,
                                                         AttemptQuestion.position == 2))
    assert len(acknowledged) > savers
    assert aq.sequence == max(acknowledged)
    assert aq.response == {"text": f"第{aq.sequence}次"} == graded["short"]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "attempt.submitted")) == 1
