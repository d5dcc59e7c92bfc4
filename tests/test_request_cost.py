"""What every request pays before its view (issue 11): the cuts keep their behaviour."""

from flask_migrate import upgrade

from lms import create_app
from lms.db import db
from lms.extensions import limiter
from tests.conftest import TEST_CONFIG


def _app(tmp_path, **config):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/cost.sqlite3",
                      **config})
    with app.app_context():
        upgrade()
    return app


def test_no_limiter_pass_before_every_request_yet_a_route_limit_still_holds(tmp_path):
    app = _app(tmp_path, RATELIMIT_ENABLED=True, VERIFY_RATE_LIMIT="2 per minute")
    assert limiter._check_request_limit not in app.before_request_funcs[None]
    # nor its after-request and teardown passes (no rate-limit headers, no limit that counts only some answers)
    assert not [f for f in app.after_request_funcs[None] + app.teardown_request_funcs[None]
                if getattr(f, "__self__", None) is limiter or getattr(f, "args", (None,))[0] is limiter]
    client = app.test_client()
    statuses = [client.get("/verify/no-such-certificate").status_code for _ in range(3)]
    assert statuses == [404, 404, 429]


def test_a_request_that_never_reads_the_database_opens_no_session(tmp_path):
    app = _app(tmp_path, BENCH_ROUTES=True)
    opened = []
    with app.app_context():
        original = db.session.registry.createfunc
        db.session.registry.createfunc = lambda: opened.append(1) or original()
        try:
            assert app.test_client().get("/_bench/trivial").status_code == 200
        finally:
            db.session.registry.createfunc = original
    assert opened == []


def test_security_headers_are_added_once_and_a_view_s_own_header_wins(client, make, auth):
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert len(response.headers.getlist("Content-Security-Policy")) == 1
    assert "Cache-Control" not in response.headers
    assert client.get("/verify/no-such-certificate").headers["Referrer-Policy"] == "no-referrer"
    auth.login(make.user())
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_a_page_without_chinese_needs_no_language_and_one_with_chinese_is_marked(app, monkeypatch):
    import flask_babel
    from flask import Response

    from lms.i18n import mark_content_language_of

    with app.test_request_context("/"):
        def no_locale_needed():
            raise AssertionError("looked up the language of a page with nothing to mark")

        monkeypatch.setattr(flask_babel, "get_locale", no_locale_needed)
        plain = Response("ok: <b>1 (2)</b>", mimetype="text/html")
        assert mark_content_language_of(plain).get_data(as_text=True) == "ok: <b>1 (2)</b>"
        monkeypatch.setattr(flask_babel, "get_locale", lambda: "en")
        chinese = Response("<p>課程（1）</p>", mimetype="text/html")
        assert mark_content_language_of(chinese).get_data(as_text=True) == '<p><span lang="zh-Hant">課程</span> (1)</p>'


def test_sqlite_gets_planner_statistics_and_postgresql_is_left_to_autovacuum(app):
    from sqlalchemy import text

    from lms.db import refresh_planner_statistics

    refresh_planner_statistics()
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")).scalar() == 1
