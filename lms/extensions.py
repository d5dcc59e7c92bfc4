"""Flask extensions, created unbound and initialised in create_app."""

from flask.sessions import SecureCookieSessionInterface
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from lms.db import db

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Limits are declared per route; none applies by default.
limiter = Limiter(key_func=get_remote_address, default_limits=[])



class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, with its signer built once per app instead of on every request
    (a quarter of the fixed cost left after the other cuts; python -m bench.request_cost)."""

    def get_signing_serializer(self, app):
        key = ("lms_session_serializer", app.secret_key)
        serializer = app.extensions.get(key)
        if serializer is None:
            serializer = app.extensions[key] = super().get_signing_serializer(app)
        return serializer


__all__ = ["babel", "csrf", "db", "limiter", "login_manager", "migrate"]
