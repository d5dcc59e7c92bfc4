"""A NUL typed into an accounts form is an ordinary wrong value, not a server error (PostgreSQL text holds no NUL)."""

from lms.accounts.models import Role


def test_forgot_password_with_a_nul(client, make):
    response = client.post("/password/forgot", data={"identifier": "A\x00001"})
    assert response.status_code in (200, 302)


def test_user_search_with_a_nul(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    for key in ("q", "team"):
        assert client.get("/admin/users", query_string={key: "a\x00b"}).status_code == 200, key
    assert client.get("/admin/teams", query_string={"q": "a\x00b"}).status_code == 200


def test_team_search_takes_percent_and_underscore_literally(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    make.team("客服_一組")
    make.team("客服二組")
    html = client.get("/admin/teams", query_string={"q": "_"}).get_data(as_text=True)
    assert "客服_一組" in html and "客服二組" not in html
    html = client.get("/admin/teams", query_string={"q": "%"}).get_data(as_text=True)
    assert "客服_一組" not in html and "客服二組" not in html


def test_every_people_search_takes_a_nul(client, auth, make):
    auth.login(make.user(Role.TRAINER))
    assert client.get("/certification/team", query_string={"q": "a\x00b"}).status_code == 200
