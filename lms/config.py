"""Settings: defaults here, overridden by environment variables with the ``LMS_`` prefix.

``LMS_SECRET_KEY`` becomes ``SECRET_KEY`` and so on (Flask's ``from_prefixed_env``, values parsed as
JSON where they can be). Every setting is listed in README.md.
"""

import os
import secrets
import time
from datetime import timedelta
from pathlib import Path

DEFAULTS = {
    # Database: SQLite file in the instance folder unless LMS_DATABASE_URL is set.
    "DATABASE_URL": None,
    "SQLITE_BUSY_TIMEOUT_MS": 10000,
    # Mail: "console" prints each message to standard output, "smtp" sends it, "memory" keeps it (tests).
    "MAIL_BACKEND": "console",
    "MAIL_SERVER": "localhost",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "training@example.com",
    # Where links in e-mail point (no request to read the host from in a cron job or a task).
    "BASE_URL": "http://127.0.0.1:5000",
    # Task queue: Huey on SQLite in the instance folder, or Redis when LMS_HUEY_REDIS_URL is set.
    "HUEY_REDIS_URL": None,
    "HUEY_IMMEDIATE": False,
    # Request rate limits (Flask-Limiter); use redis:// in production so all workers share counts.
    # "auto" (what `make run` sets): RATELIMIT_AUTO_REDIS_URL when a Redis answers there, else memory://,
    # where each worker process counts on its own (README.md, Settings).
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_AUTO_REDIS_URL": "redis://127.0.0.1:6379/1",
    "RATELIMIT_ENABLED": True,
    # Failed-login throttle, kept in the database so every worker sees it.
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_FAILURE_WINDOW_MINUTES": 15,
    "LOGIN_MAX_FAILURES_PER_IP": 50,
    # The audit page shows login names and addresses with this many failed logins within the window.
    "LOGIN_BURST_FAILURES": 5,
    "LOGIN_BURST_WINDOW_MINUTES": 60,
    # Sessions.
    "SESSION_HOURS": 12,
    "REMEMBER_DAYS": 14,
    "SESSION_COOKIE_SECURE": False,
    "PASSWORD_RESET_HOURS": 2,
    "INVITATION_DAYS": 7,
    "PASSWORD_MIN_LENGTH": 10,
    # Uploads (CSV imports, GIFT files) are refused above this size before parsing.
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    "DEFAULT_LOCALE": "zh_Hant",
    "DEFAULT_TIMEZONE": "Asia/Taipei",
    "ORGANISATION_NAME": "客戶服務中心",  # official: the issuer on certificates
    # The name as each interface language shows it (footer); a language left out shows the official name.
    "ORGANISATION_NAMES": {"zh_Hans": "客户服务中心", "en": "Customer Service Centre"},
    # New issuer keys for signed Open Badges: RS256 (what every verifier must support) or ES256.
    "BADGE_SIGNING_ALGORITHM": "RS256",
    # Onboarding courses are due relative to the hire date, but never sooner than this many days after the
    # enrolment (someone imported after their hire date does not start overdue).
    "ONBOARDING_MIN_DAYS": 7,
    # PDFs: where the extracted (and subset) CJK font faces are kept; built by `flask lms fonts`.
    "FONT_DIR": None,
    "PDF_TIMEOUT_SECONDS": 20,
    # Renderer processes per app process: 1 for web workers; the task consumer's worker count for it.
    "PDF_RENDERERS": 1,
    # Send the Content-Security-Policy as report-only (never in production; `make run` sets it for the demo).
    "CSP_REPORT_ONLY": False,
    # Evaluation reports hide aggregates (survey averages, comments) over fewer people than this.
    "EVALUATION_MINIMUM_GROUP": 5,
    # Public certificate verification: requests per client address.
    "VERIFY_RATE_LIMIT": "60 per minute",
    # Behind a load balancer or reverse proxy: how many proxies in front of the app set X-Forwarded-For and
    # X-Forwarded-Proto (1 for nginx alone). 0 trusts no such header: every request then comes from the
    # proxy's address, and the per-address limits (verification, failed logins) count all clients as one.
    "PROXY_FIX": 0,
    "API_RATE_LIMIT": "600 per minute",  # per API token, all of its operations together
    # Media library (lms/media): where the files live ("disk": MEDIA_DIR, default <instance>/media; or "s3"),
    # and the largest file of each kind. An upload is one request, so MAX_CONTENT_LENGTH caps both.
    "MEDIA_STORAGE": "disk",
    "MEDIA_DIR": None,
    "MEDIA_MAX_BYTES": {"image": 4 * 1024 * 1024, "audio": 7 * 1024 * 1024},
    "MEDIA_S3_ENDPOINT_URL": None,
    "MEDIA_S3_BUCKET": None,
    "MEDIA_S3_PREFIX": "media/",
    "MEDIA_S3_REGION": None,
    "MEDIA_S3_ACCESS_KEY": None,
    "MEDIA_S3_SECRET_KEY": None,
}


def load_config(app, test_config=None):
    """Fill app.config from defaults, the environment and an optional test mapping."""
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env(prefix="LMS")
    if test_config:
        app.config.update(test_config)

    cfg = app.config
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)

    if not cfg.get("SECRET_KEY"):
        cfg["SECRET_KEY"] = _instance_secret_key(instance / "secret_key")

    url = cfg.get("SQLALCHEMY_DATABASE_URI") or cfg.get("DATABASE_URL")
    if not url:
        url = f"sqlite:///{instance / 'lms.sqlite3'}"
    url = normalise_database_url(url)
    cfg["SQLALCHEMY_DATABASE_URI"] = url
    options = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        options["connect_args"] = {"timeout": int(cfg["SQLITE_BUSY_TIMEOUT_MS"]) / 1000}
    cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", options)

    cfg["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=int(cfg["SESSION_HOURS"]))
    cfg["REMEMBER_COOKIE_DURATION"] = timedelta(days=int(cfg["REMEMBER_DAYS"]))
    cfg["SESSION_COOKIE_HTTPONLY"] = True
    cfg["SESSION_COOKIE_SAMESITE"] = "Lax"
    cfg["REMEMBER_COOKIE_HTTPONLY"] = True
    cfg["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    cfg["REMEMBER_COOKIE_SECURE"] = bool(cfg["SESSION_COOKIE_SECURE"])
    cfg["REMEMBER_COOKIE_REFRESH_EACH_REQUEST"] = False
    cfg["WTF_CSRF_TIME_LIMIT"] = None  # the token lives as long as the session; exams can be long
    cfg["BABEL_DEFAULT_LOCALE"] = cfg["DEFAULT_LOCALE"]
    cfg["BABEL_DEFAULT_TIMEZONE"] = cfg["DEFAULT_TIMEZONE"]
    cfg["BABEL_TRANSLATION_DIRECTORIES"] = str(Path(app.root_path) / "translations")
    cfg["RATELIMIT_HEADERS_ENABLED"] = False
    cfg["RATELIMIT_STORAGE_URI"] = rate_limit_storage(app)
    # A shared store that stops answering falls back to per-worker counting instead of failing requests.
    cfg["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] = not cfg["RATELIMIT_STORAGE_URI"].startswith("memory:")


def rate_limit_storage(app) -> str:
    """The rate-limit store: the configured URI, or for "auto" the local Redis when one answers a PING,
    else memory:// with a warning that every worker process then keeps counts of its own."""
    uri = str(app.config["RATELIMIT_STORAGE_URI"])
    if uri != "auto":
        return uri
    redis_url = str(app.config["RATELIMIT_AUTO_REDIS_URL"])
    if _redis_answers(redis_url):
        return redis_url
    app.logger.warning(
        "No Redis answers at %s: request rate limits are counted in memory, separately by each worker "
        "process, so a limit admits up to its count times the number of workers (LMS_WORKERS). "
        "Set LMS_RATELIMIT_STORAGE_URI=redis://... to share the counts.", redis_url)
    return "memory://"


def _redis_answers(url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, protocol=2, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # whatever answers there, if it is not a Redis that says PONG it is not the store
        return False


def normalise_database_url(url: str) -> str:
    """Make PostgreSQL URLs use psycopg 3, whatever driver name the operator wrote."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _instance_secret_key(path: Path) -> str:
    # Several workers may start at once: the first to create the file wins, the rest read it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # the winner may still be writing
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.05)
        raise RuntimeError(f"{path} is empty; delete it or set LMS_SECRET_KEY") from None
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
    return path.read_text().strip()
