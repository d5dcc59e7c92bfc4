"""The one shape of every error the API answers, whatever raised it:

    {"error": {"code": "invalid", "message": "…", "details": [{"index": 3, "field": "email", "message": "…"}]}}

``code`` is stable (clients branch on it); ``message`` and each detail's ``message`` are for people, in the
token holder's language."""

from flask import jsonify
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, Field

from lms.db import mark_refused

CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 412: "precondition_failed", 413: "too_large", 415: "unsupported_media_type",
    422: "invalid", 429: "rate_limited", 500: "server_error",
}
MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Send a valid API token: Authorization: Bearer <token>."),
    403: _l("This token may not do this."),
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    409: _l("This conflicts with data already stored."),
    412: _l("The data changed since you read it."),
    413: _l("The request is too large."),
    422: _l("Some values are not valid; see details."),
    429: _l("Too many requests for this token; wait and try again."),
    500: _l("Something went wrong on our side."),
}


class ErrorDetail(BaseModel):
    index: int | None = Field(None, description="The item of a bulk request at fault (from 0)")
    field: str | None = Field(None, description="The field at fault, dotted for nested fields")
    message: str


class ErrorInfo(BaseModel):
    code: str = Field(description="Stable machine-readable code: " + ", ".join(f"`{c}`" for c in sorted(set(CODES.values()))))
    message: str
    details: list[ErrorDetail] = []


class ErrorBody(BaseModel):
    error: ErrorInfo


class ApiError(Exception):
    """Refuse an API request with ``status``; the request's writes roll back."""

    def __init__(self, status: int, message=None, details: list[dict] | None = None, code: str | None = None):
        super().__init__(str(message or MESSAGES.get(status, "")))
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = str(message or MESSAGES.get(status, MESSAGES[500]))
        self.details = details or []


def error_body(status: int, message=None, details=(), code: str | None = None) -> dict:
    return {"error": {"code": code or CODES.get(status, "error"),
                      "message": str(message or MESSAGES.get(status, MESSAGES[500])),
                      "details": [dict(d) for d in details]}}


def error_response(status: int, message=None, details=(), code: str | None = None):
    response = jsonify(error_body(status, message, details, code))
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def answer_api_error(err: ApiError):
    mark_refused()
    return error_response(err.status, err.message, err.details, err.code)


def _location(loc) -> dict:
    """A pydantic error location as the item index (of a bulk body) and the dotted field."""
    parts = list(loc)
    detail: dict = {}
    if len(parts) >= 2 and parts[0] == "items" and isinstance(parts[1], int):
        detail["index"] = parts[1]
        parts = parts[2:]
    fields = [str(p) for p in parts if not isinstance(p, int)]
    detail["field"] = ".".join(fields) if fields else None
    return detail


def validation_details(errors: list[dict]) -> list[dict]:
    """pydantic's errors as ``details`` entries."""
    return [{**_location(e.get("loc", ())), "message": str(e.get("msg", ""))[:300]} for e in errors[:200]]
