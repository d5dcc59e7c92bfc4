"""Tokens: created (secret shown once, stored hashed), listed, revoked; the API refuses what a token may
not do: no token 401; wrong scope, expired, revoked or owner gone 403; cookies never authenticate."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.api.models import ApiToken, TokenKind
from lms.api.tokens import create_token, hash_secret
from lms.audit.models import AuditEvent
from lms.db import db, utcnow
from lms.errors import DomainError
from tests.api.conftest import Api, assert_error
from tests.conftest import Auth

PERSON = {"name": "陳小明", "email": "xiaoming@example.com"}


def test_the_secret_is_stored_only_as_its_hash(admin):
    new = create_token(TokenKind.SERVICE, "HR", ["users:read"], utcnow().date() + timedelta(days=5), admin)
    assert new.secret.startswith("lms_svc_") and len(new.secret) > 40
    assert new.token.secret_hash == hash_secret(new.secret) and new.secret not in new.token.prefix + "…"
    assert new.token.prefix == new.secret[:14]


@pytest.mark.parametrize(("scopes", "days", "field"), [
    ([], 30, "scopes"), (["users:delete"], 30, "scopes"), (["users:read"], 0, "expires_on"),
    (["users:read"], 400, "expires_on"),
])
def test_bad_token_requests_are_refused(admin, scopes, days, field):
    with pytest.raises(DomainError) as info:
        create_token(TokenKind.SERVICE, "HR", scopes, utcnow().date() + timedelta(days=days), admin)
    assert info.value.field == field


def test_only_admins_make_service_tokens_and_personal_ones_stay_within_the_role(make):
    manager = make.user(Role.MANAGER)
    later = utcnow().date() + timedelta(days=5)
    with pytest.raises(DomainError):
        create_token(TokenKind.SERVICE, "HR", ["kpi:write"], later, manager)
    with pytest.raises(DomainError):
        create_token(TokenKind.PERSONAL, "mine", ["users:write"], later, manager)
    assert create_token(TokenKind.PERSONAL, "mine", ["kpi:write"], later, manager).token.id


def test_without_a_token_401(client, admin):
    for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Basic abc"},
                    {"Authorization": "Bearer lms_svc_unknown"}):
        error = assert_error(client.get("/api/v1/users", headers=headers), 401, "unauthorized")
        assert error["message"]


def test_a_logged_in_browser_is_not_authenticated_by_its_cookie(client, admin):
    Auth(client).login(admin)
    assert_error(client.get("/api/v1/users"), 401)
    assert_error(client.put("/api/v1/users/A1", json=PERSON), 401)


def test_wrong_scope_403(api_as, admin):
    api = api_as(admin, ["teams:read"])
    assert_error(api.get("/users"), 403, "insufficient_scope")
    assert api.get("/teams").status_code == 200
    api = api_as(admin, ["users:read"])
    assert_error(api.put("/users/A1", json=PERSON), 403, "insufficient_scope")
    assert api.get("/users").status_code == 200  # write implies read, not the reverse
    assert api_as(admin, ["users:write"]).get("/users").status_code == 200


def test_expired_revoked_and_inactive_403(client, admin, make, token_for):
    secret = token_for(admin)
    token = db.session.scalar(select(ApiToken))
    token.expires_on = utcnow().date() - timedelta(days=1)
    db.session.commit()
    assert_error(Api(client, secret).get("/users"), 403, "token_expired")
    token.expires_on, token.revoked_at = utcnow().date() + timedelta(days=1), utcnow()
    db.session.commit()
    assert_error(Api(client, secret).get("/users"), 403, "token_revoked")
    other = make.user(Role.ADMIN)
    secret = token_for(other)
    other.is_active = False
    db.session.commit()
    assert_error(Api(client, secret).get("/users"), 403, "token_owner_inactive")


def test_a_lost_role_takes_the_tokens_rights(client, make, token_for):
    admin = make.user(Role.ADMIN)
    secret = token_for(admin, ["users:read"])
    admin.set_roles({Role.LEARNER})
    db.session.commit()
    assert_error(Api(client, secret).get("/users"), 403, "insufficient_scope")


def test_use_is_recorded_without_a_read_writing(api, admin):
    assert api.get("/users").status_code == 200
    assert db.session.scalar(select(ApiToken.last_used_at)) is not None


def test_admin_creates_lists_and_revokes_service_tokens(client, admin):
    Auth(client).login(admin)
    later = (utcnow().date() + timedelta(days=30)).isoformat()
    page = client.post("/api/manage/tokens", data={"name": "HR system", "scopes": ["users:write", "teams:write"],
                                                   "expires_on": later})
    assert page.status_code == 200
    token = db.session.scalar(select(ApiToken))
    text = page.get_data(as_text=True)
    secret = text.split('data-testid="new-token"', 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]
    assert hash_secret(secret) == token.secret_hash and token.kind == TokenKind.SERVICE
    assert Api(client, secret).get("/users").status_code == 200
    listed = client.get("/api/manage/tokens").get_data(as_text=True)
    assert "HR system" in listed and token.prefix in listed and secret not in listed
    assert client.post(f"/api/manage/tokens/{token.id}/revoke").status_code == 302
    assert_error(Api(client, secret).get("/users"), 403, "token_revoked")
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"api_token.created", "api_token.revoked"} <= actions


def test_a_person_manages_only_their_own_tokens(client, make):
    manager, other = make.user(Role.MANAGER), make.user(Role.MANAGER)
    later = utcnow().date() + timedelta(days=5)
    theirs = create_token(TokenKind.PERSONAL, "theirs", ["kpi:write"], later, other).token
    db.session.commit()
    Auth(client).login(manager)
    page = client.post("/api/tokens", data={"name": "my script", "scopes": ["kpi:write"], "expires_on": later.isoformat()})
    assert "lms_pat_" in page.get_data(as_text=True)
    assert "theirs" not in client.get("/api/tokens").get_data(as_text=True)
    client.post(f"/api/tokens/{theirs.id}/revoke")
    db.session.refresh(theirs)
    assert theirs.revoked_at is None
    refused = client.post("/api/tokens", data={"name": "x", "scopes": ["users:write"], "expires_on": later.isoformat()})
    assert 'data-testid="new-token"' not in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.user_id == manager.id)) == 1


def test_learners_see_that_they_have_no_api_access(client, make):
    Auth(client).login(make.user(Role.LEARNER))
    page = client.get("/api/tokens").get_data(as_text=True)
    assert "您的角色無法使用 API" in page and 'name="scopes"' not in page


def test_reference_page_lists_every_operation(client, admin, app):
    Auth(client).login(admin)
    page = client.get("/api/reference").get_data(as_text=True)
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    for path, methods in document["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in page


def test_token_lists_say_active_expired_or_revoked(client, admin, token_for):
    for days in (5, 6, 7):
        token_for(admin, ["users:read"], days=days)
    first, second, _third = db.session.scalars(select(ApiToken).order_by(ApiToken.id)).all()
    first.expires_on = utcnow().date() - timedelta(days=1)
    second.revoked_at = utcnow()
    db.session.commit()
    Auth(client).login(admin)
    page = client.get("/api/manage/tokens").get_data(as_text=True)
    assert page.count("已過期") == 1 and page.count("已撤銷") >= 1 and page.count("撤銷 HR system") == 1
