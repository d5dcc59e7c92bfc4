"""API fixtures: people with tokens, and a client that sends the bearer token."""

from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.api.models import TokenKind
from lms.api.scopes import ALL_SCOPES
from lms.api.tokens import create_token
from lms.db import db, utcnow


@pytest.fixture
def admin(make):
    return make.user(Role.ADMIN, name="管理員", employee_no="ADM1")


@pytest.fixture
def token_for(app):
    def token_for(user, scopes=ALL_SCOPES, kind=TokenKind.SERVICE, days=30):
        new = create_token(kind, "HR system", list(scopes), utcnow().date() + timedelta(days=days), user)
        db.session.commit()
        return new.secret

    return token_for


class Api:
    def __init__(self, client, secret):
        self.client, self.secret = client, secret

    def open(self, method, path, **kwargs):
        headers = kwargs.pop("headers", {})
        if self.secret:
            headers.setdefault("Authorization", f"Bearer {self.secret}")
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.open("GET", path, **kwargs)

    def put(self, path, **kwargs):
        return self.open("PUT", path, **kwargs)

    def post(self, path, **kwargs):
        return self.open("POST", path, **kwargs)


@pytest.fixture
def api(client, admin, token_for):
    """A client with a service token holding every scope."""
    return Api(client, token_for(admin))


@pytest.fixture
def api_as(client, token_for):
    def api_as(user, scopes=ALL_SCOPES, kind=TokenKind.SERVICE, days=30):
        return Api(client, token_for(user, scopes, kind, days))

    return api_as


def assert_error(response, status, code=None):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    if code:
        assert body["error"]["code"] == code
    return body["error"]
