"""Teams through the API (upsert by name, managers, members) and the rate limit per token."""

from lms.accounts.models import Role
from tests.api.conftest import Api, assert_error


def test_team_upsert_members_and_list(api, make):
    manager = make.user(Role.MANAGER, employee_no="M0100")
    first = api.put("/teams/客服二組", json={"description": "夜班", "managers": ["m0100"]})
    assert first.status_code == 201 and first.get_json()["team"]["managers"] == ["M0100"]
    assert api.put("/teams/客服二組", json={"description": "夜班", "managers": ["M0100"]}).get_json()["result"] == "unchanged"
    assert api.put("/teams/客服二組", json={"description": "日班", "managers": []}).get_json()["result"] == "changed"
    api.put("/users/A1", json={"name": "甲", "email": "a1@example.com", "team": "客服二組"})
    members = api.get("/teams/客服二組/members").get_json()
    assert [m["employee_no"] for m in members["items"]] == ["A1"] and members["next"] is None
    listed = api.get("/teams").get_json()["items"]
    assert {"name": "客服二組", "description": "日班", "managers": [], "members": 1} in listed
    assert_error(api.get("/teams/無此組/members"), 404)
    error = assert_error(api.put("/teams/客服三組", json={"managers": ["NOBODY"]}), 422)
    assert error["details"][0]["field"] == "managers"
    error = assert_error(api.put("/teams/客服三組", json={"managers": [make.user(Role.LEARNER).employee_no]}), 422)
    assert error["details"][0]["field"] == "managers"
    assert manager.id


def test_each_token_has_its_own_rate_limit(database_url, admin, token_for):
    from lms import create_app
    from lms.db import db
    from tests.conftest import TEST_CONFIG

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                      "RATELIMIT_STORAGE_URI": "memory://", "API_RATE_LIMIT": "3 per minute"})
    client = app.test_client()
    first, second = Api(client, token_for(admin)), Api(client, token_for(admin))
    try:
        assert [first.get("/users").status_code for _ in range(3)] == [200, 200, 200]
        error = assert_error(first.get("/users"), 429, "rate_limited")
        assert error["message"]
        assert second.get("/users").status_code == 200
    finally:
        with app.app_context():
            db.engine.dispose()
