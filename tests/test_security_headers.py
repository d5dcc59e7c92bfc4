"""Every response carries the security headers; the Content-Security-Policy is enforced unless the local
demo asks for report-only."""

from lms.db import db


def _headers(app):
    return app.test_client().get("/login").headers


def test_the_policy_is_enforced_by_default(app):
    headers = _headers(app)
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert "Content-Security-Policy-Report-Only" not in headers
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"


def test_the_demo_can_send_it_report_only(database_url):
    from lms import create_app
    from tests.conftest import TEST_CONFIG

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "CSP_REPORT_ONLY": True})
    try:
        headers = _headers(app)
    finally:
        with app.app_context():
            db.engine.dispose()
    assert "Content-Security-Policy" not in headers
    assert "script-src 'self'" in headers["Content-Security-Policy-Report-Only"]
