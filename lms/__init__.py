"""The training and certification platform: application factory."""

from pathlib import Path

from flask import Flask, current_app, g, request
from flask_login import current_user

from lms import access, extensions
from lms.config import load_config
from lms.db import (
    SAFE_METHODS,
    begin_request_connection,
    end_request_transaction,
    sqlite_begin_immediate,
    watch_writes,
)
from lms.extensions import babel, csrf, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent

def _blueprints():
    # One visible list: every domain's blueprint, in the order the navigation shows them.
    from lms.accounts.admin_views import bp as admin_bp
    from lms.accounts.views import bp as accounts_bp
    from lms.audit.views import bp as audit_bp
    from lms.calls.admin_views import bp as calls_admin_bp
    from lms.calls.views import bp as calls_bp
    from lms.certification.verify_views import bp as verify_bp
    from lms.certification.views import bp as certification_bp
    from lms.courses.admin_views import bp as courses_admin_bp
    from lms.courses.views import bp as courses_bp
    from lms.dashboard.views import bp as dashboard_bp
    from lms.exams.admin_views import bp as exams_admin_bp
    from lms.exams.views import bp as exams_bp
    from lms.moved import bp as moved_bp
    from lms.standards.views import bp as standards_bp

    return [dashboard_bp, accounts_bp, courses_bp, exams_bp, calls_bp, certification_bp, standards_bp,
            courses_admin_bp, exams_admin_bp, calls_admin_bp, admin_bp, audit_bp, verify_bp, moved_bp]


def create_app(test_config: dict | None = None) -> Flask:
    import os

    app = Flask(
        __name__,
        instance_path=os.environ.get("LMS_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    load_config(app, test_config)
    app.json.ensure_ascii = False

    import lms.models  # noqa: F401  (register every table)

    extensions.db.init_app(app)
    migrate.init_app(app, extensions.db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    _init_login(app)
    _init_i18n(app)
    _init_tasks(app)
    _connect_signals()

    for bp in _blueprints():
        app.register_blueprint(bp)
    if app.config.get("BENCH_ROUTES"):
        from lms.bench_routes import bp as bench_bp

        app.register_blueprint(bench_bp)

    app.before_request(_begin_mode)
    app.before_request(access.enforce_access)
    app.after_request(_security_headers)
    app.after_request(_end_transaction)  # after-request hooks run in reverse: this one first
    app.teardown_request(_reset_begin_mode)

    from lms.errors import register_error_handlers

    register_error_handlers(app)

    from lms.cli import lms_cli

    app.cli.add_command(lms_cli)

    from lms.templating import register_template_helpers

    register_template_helpers(app)
    return app


def _init_login(app):
    from lms.accounts.sessions import load_session_user

    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side session row is the protection
    login_manager.user_loader(load_session_user)


def _init_i18n(app):
    from lms.i18n import select_locale

    babel.init_app(app, locale_selector=select_locale)


def _connect_signals():
    # Cross-domain reactions, wired in one visible place (blinker ignores repeated connections).
    from lms.accounts.users import users_created
    from lms.courses.completion import on_attempt_graded
    from lms.courses.onboarding import on_users_created
    from lms.exams.grading import attempt_graded

    users_created.connect(on_users_created)
    attempt_graded.connect(on_attempt_graded)


def _init_tasks(app):
    from lms.tasks import huey

    if app.config.get("HUEY_IMMEDIATE"):
        huey.immediate = True


def _begin_mode():
    # SQLite: state-changing requests take the write lock when their transaction begins.
    g._begin_token = sqlite_begin_immediate.set(request.method not in SAFE_METHODS)
    if request.method in SAFE_METHODS:
        watch_writes()
    if request.endpoint is not None:
        begin_request_connection(current_app.view_functions.get(request.endpoint))


def _end_transaction(response):
    """The write rule (lms/db.py): a request commits once, at its end, unless it was refused."""
    end_request_transaction(request.method, response.status_code)
    return response


def _reset_begin_mode(_exc=None):
    token = g.pop("_begin_token", None)
    if token is not None:
        sqlite_begin_immediate.reset(token)


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    # Report-only (a setting for the local demo) lets page-inspecting tools such as an injected axe-core run.
    header = ("Content-Security-Policy-Report-Only" if current_app.config.get("CSP_REPORT_ONLY")
              else "Content-Security-Policy")
    response.headers.setdefault(
        header,
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    )
    if current_user and current_user.is_authenticated:
        response.headers.setdefault("Cache-Control", "no-store")
    return response
