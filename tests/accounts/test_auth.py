import re
from datetime import timedelta

from sqlalchemy import func, select, update

from lms.accounts.models import LoginFailure, PasswordToken, Role, UserSession
from lms.audit.models import AuditEvent
from lms.db import db, utcnow
from tests.conftest import Auth
from tests.factories import Factory


def _reset_link(message) -> str:
    return re.search(r"http://\S+/password/reset/(\S+)", message.get_content()).group(0)


def test_login_with_employee_number_or_email_any_case(client, make):
    user = make.user(employee_no="A123")
    for identifier in ("A123", "a123", "Ａ１２３", user.email.upper()):
        response = client.post("/login", data={"identifier": identifier, "password": Factory.PASSWORD})
        assert response.status_code == 302, identifier
        assert response.headers["Location"] == "/"
        client.post("/logout")


def test_wrong_password_and_unknown_account_answer_the_same(client, make):
    make.user(employee_no="A200")
    wrong = client.post("/login", data={"identifier": "A200", "password": "nope-nope-nope"})
    unknown = client.post("/login", data={"identifier": "ZZ999", "password": "nope-nope-nope"})
    assert wrong.status_code == unknown.status_code == 200
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731
    assert strip(wrong.get_data(as_text=True)) == strip(unknown.get_data(as_text=True))


def test_next_parameter_only_follows_local_paths(client, make):
    user = make.user()
    data = {"identifier": user.employee_no, "password": Factory.PASSWORD}
    assert client.post("/login?next=/account", data=data).headers["Location"] == "/account"
    client.post("/logout")
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        assert client.post(f"/login?next={evil}", data=data).headers["Location"] == "/"
        client.post("/logout")


def test_inactive_user_cannot_log_in(client, make):
    user = make.user(active=False)
    response = client.post("/login", data={"identifier": user.employee_no, "password": Factory.PASSWORD})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_repeated_failures_are_throttled_even_for_unknown_accounts(app, client, make):
    user = make.user()
    for identifier in (user.employee_no, "NOBODY1"):
        for _ in range(app.config["LOGIN_MAX_FAILURES"]):
            client.post("/login", data={"identifier": identifier, "password": "wrong-password"})
        blocked = client.post("/login", data={"identifier": identifier, "password": Factory.PASSWORD})
        assert blocked.status_code == 429
    # The right password does not get through while throttled.
    assert client.get("/").status_code == 302


def test_throttle_window_expires(app, client, make):
    user = make.user()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"identifier": user.employee_no, "password": "wrong-password"})
    db.session.execute(update(LoginFailure).values(at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    assert client.post("/login", data={"identifier": user.employee_no,
                                       "password": Factory.PASSWORD}).status_code == 302


def test_session_cookie_replayed_after_logout_is_refused(app, client, auth, make):
    user = make.user()
    auth.login(user)
    cookie = client.get_cookie("session").value
    auth.logout()
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client, auth, make):
    user = make.user()
    other = app.test_client()
    Auth(other).login(user)
    auth.login(user)
    response = client.post("/account/password", data={
        "current_password": Factory.PASSWORD, "password": "a-brand-new-passphrase",
        "confirm": "a-brand-new-passphrase"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302


def test_deactivation_ends_sessions_at_once(app, client, auth, make):
    admin = make.user(Role.ADMIN)
    learner = make.user()
    learner_client = app.test_client()
    Auth(learner_client).login(learner)
    assert learner_client.get("/").status_code == 200
    auth.login(admin)
    client.post(f"/admin/users/{learner.id}/deactivate")
    assert learner_client.get("/").status_code == 302


def test_demoted_user_next_request_uses_new_role(app, client, auth, make):
    admin = make.user(Role.ADMIN)
    other_admin = make.user(Role.ADMIN)
    auth.login(other_admin)
    assert client.get("/admin/users").status_code == 200
    other_admin.set_roles({Role.LEARNER})
    db.session.commit()
    assert client.get("/admin/users").status_code == 403
    assert admin  # the remaining administrator


def test_remember_me_sets_a_cookie_tied_to_the_session(app, client, auth, make):
    user = make.user()
    auth.login(user, remember=True)
    remember = client.get_cookie("remember_token")
    assert remember is not None
    # A fresh browser with only the remember cookie is logged in …
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember.value)
    assert fresh.get("/").status_code == 200
    # … until the session is ended by logging out.
    auth.logout()
    fresh2 = app.test_client()
    fresh2.set_cookie("remember_token", remember.value)
    assert fresh2.get("/").status_code == 302


def test_password_reset_round_trip_single_use(client, make, outbox):
    user = make.user()
    response = client.post("/password/forgot", data={"identifier": user.email})
    assert response.status_code == 302
    assert len(outbox) == 1 and outbox[0]["To"] == user.email
    link = _reset_link(outbox[0])
    path = link.split("127.0.0.1:5000", 1)[1]
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": "my-new-passphrase", "confirm": "my-new-passphrase"})
    assert response.status_code == 302
    assert client.post("/login", data={"identifier": user.employee_no,
                                       "password": "my-new-passphrase"}).status_code == 302
    client.post("/logout")
    # The link works once.
    assert client.get(path).status_code == 410
    assert client.post(path, data={"password": "another-passphrase", "confirm": "another-passphrase"}).status_code == 410


def test_password_reset_for_unknown_account_looks_the_same(client, make, outbox):
    known = make.user()
    a = client.post("/password/forgot", data={"identifier": known.email}, follow_redirects=True)
    b = client.post("/password/forgot", data={"identifier": "nobody@example.com"}, follow_redirects=True)
    assert a.status_code == b.status_code == 200
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731
    assert strip(a.get_data(as_text=True)) == strip(b.get_data(as_text=True))
    assert len(outbox) == 1


def test_expired_reset_token_is_refused(client, make, outbox):
    user = make.user()
    client.post("/password/forgot", data={"identifier": user.employee_no})
    path = _reset_link(outbox[0]).split("127.0.0.1:5000", 1)[1]
    db.session.execute(update(PasswordToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get(path).status_code == 410


def test_only_token_hashes_are_stored(client, make, outbox):
    user = make.user()
    client.post("/password/forgot", data={"identifier": user.employee_no})
    raw = _reset_link(outbox[0]).rsplit("/", 1)[1]
    stored = db.session.scalar(select(PasswordToken.token_hash))
    assert raw not in stored and len(stored) == 64


def test_short_password_is_refused_with_a_message(client, auth, make):
    user = make.user()
    auth.login(user)
    response = client.post("/account/password", data={
        "current_password": Factory.PASSWORD, "password": "short", "confirm": "short"})
    assert response.status_code == 200
    assert b'class="error"' in response.data and b'aria-invalid="true"' in response.data


def test_password_change_is_audited_without_secrets(client, auth, make):
    user = make.user()
    auth.login(user)
    client.post("/account/password", data={"current_password": Factory.PASSWORD,
                                           "password": "fresh-passphrase-1", "confirm": "fresh-passphrase-1"})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.password_changed"))
    assert event is not None
    assert "fresh-passphrase-1" not in str(event.before) + str(event.after)


def test_no_secret_reaches_the_log(app, client, make, outbox, caplog):
    user = make.user()
    with caplog.at_level("DEBUG"):
        client.post("/login", data={"identifier": user.employee_no, "password": Factory.PASSWORD})
        client.post("/password/forgot", data={"identifier": user.employee_no})
    token = _reset_link(outbox[0]).rsplit("/", 1)[1]
    for secret in (Factory.PASSWORD, token):
        assert secret not in caplog.text
