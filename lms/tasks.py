"""The task queue: Huey on SQLite in the instance folder by default, Redis when configured.

Run the consumer with ``huey_consumer lms.worker.huey`` (``make run`` starts one). Tests switch Huey
to immediate mode, where a task runs at once in the calling process, but still as the consumer runs it:
in an application context and a transaction of its own, committed once at its end (lms/db.py, the
write rule). A task that depends on the caller's writes is queued with ``enqueue_after_commit``.
"""

import os
from functools import wraps
from pathlib import Path

from flask import current_app, has_app_context
from huey import RedisHuey, SqliteHuey
from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.db import db, sqlite_begin_immediate, watching_writes

INSTANCE_PATH = Path(os.environ.get("LMS_INSTANCE_PATH") or Path(__file__).resolve().parent.parent / "instance")


def _make_huey():
    redis_url = os.environ.get("LMS_HUEY_REDIS_URL")
    if redis_url:
        # The queue's name: two deployments (or test runs) sharing one Redis keep their tasks apart.
        return RedisHuey(os.environ.get("LMS_HUEY_NAME") or "lms", url=redis_url)
    INSTANCE_PATH.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("lms", filename=str(INSTANCE_PATH / "huey.sqlite3"))


huey = _make_huey()
_worker_app = None


def _app_for_worker():
    global _worker_app
    if _worker_app is None:
        from lms import create_app

        _worker_app = create_app()
    return _worker_app


def app_task(**task_options):
    """Declare a Huey task that runs inside an application context and commits once at the end."""

    def decorator(fn):
        @wraps(fn)
        def run(*args, **kwargs):
            # A new application context has a session (and connection) of its own, also in immediate mode.
            app = current_app._get_current_object() if has_app_context() else _app_for_worker()
            with app.app_context():
                token = sqlite_begin_immediate.set(True)
                # A task writes in a transaction of its own, also when a GET runs it in immediate mode.
                not_watched = watching_writes.set(False)
                try:
                    result = fn(*args, **kwargs)
                    db.session.commit()
                    return result
                except Exception:
                    db.session.rollback()
                    raise
                finally:
                    watching_writes.reset(not_watched)
                    sqlite_begin_immediate.reset(token)

        return huey.task(**task_options)(run)

    return decorator


def enqueue_after_commit(task, *args, **kwargs):
    """Queue a task once the current transaction commits (never for a change that rolled back, nor for one
    made inside a savepoint that rolled back)."""
    pending = db.session.info.setdefault("tasks_after_commit", [])
    pending.append((db.session().get_nested_transaction(), task, args, kwargs))


def _within(transaction, savepoint) -> bool:
    while transaction is not None:
        if transaction is savepoint:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_commit")
def _send_pending(session):
    if session.in_nested_transaction():  # a savepoint released: its work commits with the transaction around it
        return
    for _savepoint, task, args, kwargs in session.info.pop("tasks_after_commit", []):
        task(*args, **kwargs)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session):
    savepoint = session.get_nested_transaction()  # during a savepoint's rollback: that savepoint
    if savepoint is None:
        session.info.pop("tasks_after_commit", None)
        return
    pending = session.info.get("tasks_after_commit", [])
    session.info["tasks_after_commit"] = [entry for entry in pending if not _within(entry[0], savepoint)]
