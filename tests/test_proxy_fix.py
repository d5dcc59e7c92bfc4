"""Behind a proxy (LMS_PROXY_FIX=1), the per-address rate limit counts each forwarded client on its own;
without the setting the forwarded header is not trusted (a client could otherwise choose its address)."""

from contextlib import contextmanager

from lms import create_app
from lms.db import db
from tests.conftest import TEST_CONFIG


@contextmanager
def _client(database_url, proxies):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                      "RATELIMIT_STORAGE_URI": "memory://", "VERIFY_RATE_LIMIT": "2 per minute",
                      "PROXY_FIX": proxies})
    try:
        yield app.test_client()
    finally:
        with app.app_context():
            db.engine.dispose()


def _statuses(client, forwarded_for, n):
    return [client.get("/verify/" + "x" * 43, headers={"X-Forwarded-For": forwarded_for}).status_code
            for _ in range(n)]


def test_forwarded_clients_are_counted_apart_only_when_the_proxy_is_trusted(database_url):
    with _client(database_url, 1) as behind:
        assert _statuses(behind, "10.0.0.1", 3) == [404, 404, 429]
        assert _statuses(behind, "10.0.0.2", 1) == [404]
    with _client(database_url, 0) as direct:
        assert _statuses(direct, "10.0.0.3", 2) == [404, 404]
        assert _statuses(direct, "10.0.0.4", 1) == [429]  # the header is ignored: the same client
