"""Domain errors raised by services, and the friendly pages for HTTP errors."""

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from lms.db import RowNotFound, db


class DomainError(Exception):
    """A rule of the domain refused the request; ``field`` names the form field at fault, if any."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    pass


_TITLES = {
    400: _l("The request could not be understood"),
    401: _l("Please log in"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    413: _l("The file is too large"),
    429: _l("Too many requests"),
    500: _l("Something went wrong on our side"),
}

_HINTS = {
    400: _l("Go back, reload the page and try again."),
    401: _l("Your session may have ended. Log in and try again."),
    403: _l("If you think you should have access, ask your manager or an administrator."),
    404: _l("The address may be mistyped, or the page has moved."),
    405: _l("Go back and use the buttons on the page."),
    413: _l("Split the file into smaller parts and upload them one by one."),
    429: _l("Wait a few minutes before trying again."),
    500: _l("The error has been logged. Try again in a moment."),
}


def _render(code: int, detail: str | None = None):
    if request.path.startswith("/api/v1/"):  # the API's one error shape, never an HTML page
        from lms.api.errors import error_response

        return error_response(code)
    return render_template(
        "errors/error.html", code=code, title=_TITLES.get(code, _TITLES[500]),
        hint=_HINTS.get(code, _HINTS[500]), detail=detail,
    ), code


def register_error_handlers(app):
    @app.errorhandler(CSRFError)
    def csrf_error(err):
        return _render(400, str(_l("The form had expired or was sent from elsewhere. Reload the page and send it again.")))

    @app.errorhandler(RowNotFound)
    def row_not_found(err):
        return _render(404)

    @app.errorhandler(HTTPException)
    def http_error(err):
        if err.code is None or err.code < 400:
            return err
        if err.code >= 500:
            db.session.rollback()
        return _render(err.code)

    @app.errorhandler(Exception)
    def unexpected(err):
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return _render(InternalServerError.code)
