"""Fixtures shared by the whole suite.

Database-touching tests run once per backend: SQLite always, PostgreSQL too when
``LMS_TEST_DATABASE_URL`` is set. Each backend's schema is built once per test process by the real
migrations; every test starts from empty tables.
"""

import contextvars
import os
import re
import tempfile

# Before the app package is imported: keep the task queue's and the app's files out of the checkout.
os.environ["LMS_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="lms-test-instance-")

import pytest  # noqa: E402
from flask import has_app_context  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import delete, update  # noqa: E402

from lms import create_app  # noqa: E402
from lms.courses.models import Course  # noqa: E402
from lms.db import db  # noqa: E402
from lms.evaluation.models import Survey  # noqa: E402
from lms.exams.models import Exam, Question  # noqa: E402
from tests.factories import Factory  # noqa: E402

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("LMS_TEST_DATABASE_URL") else [])


def _worker_id(config) -> str:
    return getattr(config, "workerinput", {}).get("workerid", "main")


def _postgres_url(base_url: str, worker: str) -> str:
    """Create (afresh) a database of this test process's own and return its URL."""
    import psycopg

    from lms.config import normalise_database_url

    plain = base_url.replace("postgresql+psycopg://", "postgresql://")
    # LMS_TEST_DB_SUFFIX keeps the databases of several checkouts on one server apart.
    name = f"lms_test_{os.environ.get('LMS_TEST_DB_SUFFIX', '')}{worker}"
    try:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                         "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
    except psycopg.errors.InsufficientPrivilege:
        return normalise_database_url(base_url)  # no CREATEDB: share the given database
    return normalise_database_url(re.sub(r"/[^/?]*(\?|$)", f"/{name}\\1", plain, count=1))


TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "WTF_CSRF_ENABLED": False,
    "MAIL_BACKEND": "memory",
    "HUEY_IMMEDIATE": True,
    "RATELIMIT_ENABLED": False,
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "SERVER_NAME": None,
}


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    worker = _worker_id(request.config)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    else:
        url = _postgres_url(os.environ["LMS_TEST_DATABASE_URL"], worker)
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


class IsolatedClient(FlaskClient):
    """Run each request in its own context, as a real server would.

    The test body holds an application context (for factories and queries); without this, requests
    would share its ``g`` and database session, and a logged-in user would leak between clients.
    The test's own transaction is ended around each request so that its objects reload afterwards.
    """

    def open(self, *args, **kwargs):
        if not has_app_context():  # a redirect being followed, already isolated
            return super().open(*args, **kwargs)
        db.session.rollback()
        # A streamed body is read inside the request's context too, as a server iterates it.
        kwargs.setdefault("buffered", True)
        try:
            return contextvars.Context().run(super().open, *args, **kwargs)
        finally:
            db.session.rollback()


def _reset_database():
    """Empty every table (inside an application context)."""
    db.session.remove()
    with db.engine.begin() as conn:
        # Tables that refer to their own versions: cut those links first.
        conn.execute(update(Course).values(published_version_id=None))
        conn.execute(update(Question).values(current_version_id=None))
        conn.execute(update(Exam).values(current_version_id=None))
        conn.execute(update(Survey).values(current_version_id=None))
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(delete(table))


@pytest.fixture
def app(database_url):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        _reset_database()
        db.engine.dispose()
    from lms import mail

    mail.outbox.clear()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """Factory for rows: make.user(roles=...), make.team(...)."""
    return Factory()


@pytest.fixture
def outbox(app):
    from lms import mail

    return mail.outbox


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, user, password=Factory.PASSWORD, remember=False):
        response = self.client.post("/login", data={
            "identifier": user.employee_no, "password": password, "remember": "y" if remember else ""})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def cache_minute_held(monkeypatch):
    """Statement-count tests compare two builds of a page: what ``cached_results`` keeps is keyed by the minute,
    so a minute turning between the two would make one of them build again and count more statements. The
    cache's clock is held at the minute the test starts (the app's own clock keeps running)."""
    from lms import generations
    from lms.db import utcnow

    held = utcnow()
    monkeypatch.setattr(generations, "utcnow", lambda: held)
