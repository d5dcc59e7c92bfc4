"""The training and certification platform: application factory."""

from pathlib import Path

from flask import Flask, current_app, g, request, session

from lms import access, extensions
from lms.config import load_config
from lms.db import (
    SAFE_METHODS,
    begin_request_connection,
    end_request_transaction,
    sqlite_begin_immediate,
    watch_writes,
    watching_writes,
)
from lms.extensions import babel, csrf, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent

def _blueprints():
    # One visible list: every domain's blueprint, in the order the navigation shows them.
    from lms.accounts.admin_views import bp as admin_bp
    from lms.accounts.views import bp as accounts_bp
    from lms.api.pages import bp as api_admin_bp
    from lms.api.views import bp as api_bp
    from lms.audit.views import bp as audit_bp
    from lms.board.views import bp as board_bp
    from lms.calls.admin_views import bp as calls_admin_bp
    from lms.calls.views import bp as calls_bp
    from lms.cases.admin_views import bp as cases_admin_bp
    from lms.cases.views import bp as cases_bp
    from lms.certification.badge_views import bp as badges_bp
    from lms.certification.verify_views import bp as verify_bp
    from lms.certification.views import bp as certification_bp
    from lms.classroom.admin_views import bp as classroom_admin_bp
    from lms.classroom.views import bp as classroom_bp
    from lms.competitions.views import bp as competitions_bp
    from lms.courses.admin_views import bp as courses_admin_bp
    from lms.courses.views import bp as courses_bp
    from lms.dashboard.views import bp as dashboard_bp
    from lms.evaluation.views import admin_bp as evaluation_admin_bp
    from lms.evaluation.views import bp as evaluation_bp
    from lms.exams.admin_views import bp as exams_admin_bp
    from lms.exams.views import bp as exams_bp
    from lms.kpi.views import bp as kpi_bp
    from lms.media.admin_views import bp as media_admin_bp
    from lms.media.views import bp as media_bp
    from lms.mentoring.views import bp as mentoring_bp
    from lms.moved import bp as moved_bp
    from lms.notifications.views import bp as notifications_bp
    from lms.privacy.views import bp as privacy_bp
    from lms.search.views import bp as search_bp
    from lms.standards.views import bp as standards_bp
    from lms.webhooks.views import bp as webhooks_bp

    return [dashboard_bp, notifications_bp, accounts_bp, courses_bp, exams_bp, calls_bp, classroom_bp, certification_bp,
            standards_bp, cases_bp, board_bp, mentoring_bp, competitions_bp, classroom_admin_bp,
            courses_admin_bp, exams_admin_bp, calls_admin_bp, cases_admin_bp, evaluation_bp, evaluation_admin_bp,
            kpi_bp, admin_bp, audit_bp, webhooks_bp, privacy_bp, search_bp, verify_bp, badges_bp, moved_bp,
            api_admin_bp, api_bp, media_bp, media_admin_bp]


def create_app(test_config: dict | None = None) -> Flask:
    import os

    app = Flask(
        __name__,
        instance_path=os.environ.get("LMS_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    load_config(app, test_config)
    app.json.ensure_ascii = False
    app.session_interface = extensions.SessionCookies()

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
    _limit_only_decorated_routes(app)
    _trust_proxies(app)

    app.before_request(_begin_mode)
    app.before_request(access.enforce_access)
    app.extensions["lms_security_headers"] = _security_header_values(app)
    app.after_request(_security_headers)
    app.after_request(_end_transaction)  # after-request hooks run in reverse: this one first
    app.teardown_request(_reset_begin_mode)

    from lms.errors import register_error_handlers

    register_error_handlers(app)

    from lms.cli import lms_cli

    app.cli.add_command(lms_cli)

    from lms.templating import register_template_helpers

    register_template_helpers(app)

    from lms.media import references as media_references

    media_references.init_app(app)  # media: references in Markdown and on call turns
    return app


def _limit_only_decorated_routes(app):
    # Limits are declared per route (``@limiter.limit``), and a decorated view checks its own limits when
    # it runs. The extension's before-request pass only adds default, application-wide or blueprint-wide
    # limits, of which there are none, yet it cost every request a third of its fixed time
    # (python -m bench.request_cost); it is kept if such a limit is ever declared.
    manager = limiter.limit_manager
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks and not (
            manager.default_limits or manager.application_limits or manager._blueprint_limits):
        hooks.remove(limiter._check_request_limit)
    # Its after-request pass adds rate-limit headers (off: RATELIMIT_HEADERS_ENABLED) and deducts the limits
    # that count only some answers (``deduct_when``, used by none); its teardown resets a context that dies with
    # the request anyway. Together they were a fifth of the trivial route's remaining time in process.
    conditional = any(getattr(limit, "deduct_when", None) for limits in manager._decorated_limits.values()
                      for limit in limits)
    if not app.config.get("RATELIMIT_HEADERS_ENABLED") and not conditional:
        after = app.after_request_funcs.get(None, [])
        after[:] = [f for f in after if getattr(getattr(f, "func", None), "__name__", "") != "__inject_headers"]
        teardown = app.teardown_request_funcs.get(None, [])
        teardown[:] = [f for f in teardown if getattr(f, "__self__", None) is not limiter]


def _trust_proxies(app):
    # Behind N proxies (nginx, a load balancer), the client's address and scheme are the ones they forward.
    proxies = int(app.config.get("PROXY_FIX") or 0)
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0)


def _init_login(app):
    from lms.accounts.sessions import load_session_user

    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side session row is the protection
    login_manager.user_loader(load_session_user)


def _init_i18n(app):
    from lms.forms import use_app_catalogue_for_forms
    from lms.i18n import mark_content_language_of, select_locale

    babel.init_app(app, locale_selector=select_locale)
    app.before_request(use_app_catalogue_for_forms)
    app.after_request(mark_content_language_of)


def _connect_signals():
    # Cross-domain reactions, wired in one visible place (blinker ignores repeated connections).
    from lms.accounts.users import users_created
    from lms.calls.results import call_finished
    from lms.cases.review import case_returned
    from lms.certification.workflow import application_returned, certificate_issued, certificate_revoked
    from lms.classroom import attendance as classroom_attendance
    from lms.classroom import notices as classroom_notices
    from lms.classroom import onboarding as classroom_onboarding
    from lms.classroom.signals import seats_given, session_cancelled, session_changed
    from lms.courses.completion import course_completed, on_attempt_graded
    from lms.courses.enrolment import courses_assigned
    from lms.courses.onboarding import on_users_created
    from lms.evaluation import observations, surveys
    from lms.exams.grading import attempt_graded
    from lms.kpi.imports import kpis_imported
    from lms.mentoring import relations as mentoring
    from lms.notifications import hooks as notify
    from lms.webhooks import events as webhooks

    users_created.connect(on_users_created)
    users_created.connect(classroom_onboarding.on_users_created)  # the path's sessions (an induction day)
    users_created.connect(mentoring.on_users_created)  # a new hire on a path with mentoring: a mentorship
    attempt_graded.connect(on_attempt_graded)
    course_completed.connect(surveys.on_course_completed)  # level 1: the reaction survey
    course_completed.connect(observations.on_course_completed)  # level 3: observed calls at 30/60/90 days
    call_finished.connect(surveys.on_call_finished)
    certificate_issued.connect(observations.on_certificate_issued)
    # Notifications of events raised in a request, sent by a task once the request commits.
    courses_assigned.connect(notify.on_courses_assigned)
    attempt_graded.connect(notify.on_attempt_graded)
    certificate_issued.connect(notify.on_certificate_issued)
    application_returned.connect(notify.on_application_returned)
    kpis_imported.connect(notify.on_kpis_imported)
    # Classroom sessions: a passed quiz completes an attended seat; places, changes and cancellations are mailed.
    attempt_graded.connect(classroom_attendance.on_attempt_graded)
    seats_given.connect(classroom_notices.on_seats_given)
    session_changed.connect(classroom_notices.on_session_changed)
    session_cancelled.connect(classroom_notices.on_session_cancelled)
    # Webhooks: each endpoint that asked for the event is sent it by a task once the request commits.
    certificate_issued.connect(webhooks.on_certificate_issued)
    certificate_revoked.connect(webhooks.on_certificate_revoked)
    course_completed.connect(webhooks.on_course_completed)
    case_returned.connect(notify.on_case_returned)


def _init_tasks(app):
    from lms.tasks import huey

    if app.config.get("HUEY_IMMEDIATE"):
        huey.immediate = True


def _begin_mode():
    # SQLite: state-changing requests take the write lock when their transaction begins.
    g._begin_token = sqlite_begin_immediate.set(request.method not in SAFE_METHODS)
    if request.method in SAFE_METHODS:
        g._watch_token = watch_writes()
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
    token = g.pop("_watch_token", None)
    if token is not None:
        watching_writes.reset(token)


def _security_headers(response):
    # Worked out once per app (this hook runs on every response); a header a view or blueprint set wins.
    headers = response.headers
    present = {name.lower() for name, _value in headers}
    for name, value in current_app.extensions["lms_security_headers"]:
        if name.lower() not in present:
            headers.add(name, value)
    # A signed-in browser's pages are personal: no cache keeps them. (The session, not current_user, so
    # that a response that never needed the user does not load it for this.)
    if "_user_id" in session and "cache-control" not in present:
        headers.add("Cache-Control", "no-store")
    return response


def _security_header_values(app) -> list[tuple[str, str]]:
    # Report-only (a setting for the local demo) lets page-inspecting tools such as an injected axe-core run.
    csp = ("Content-Security-Policy-Report-Only" if app.config.get("CSP_REPORT_ONLY")
           else "Content-Security-Policy")
    return [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            (csp, "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")]
