"""Cursor pagination: an opaque cursor names the last row of the previous page (keyset, so a page costs
the same wherever it is and rows added meanwhile are neither skipped nor repeated)."""

import base64
import json
from urllib.parse import urlencode

from flask import request
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from lms.api.errors import ApiError
from lms.db import db

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageQuery(BaseModel):
    cursor: str | None = Field(None, max_length=200, description="The `next` link's cursor; omit for the first page")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page")


def encode_cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps([value]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, kind: type):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)[0]
    except (ValueError, TypeError, IndexError, KeyError):
        value = None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ApiError(400, _("This cursor is not one the API gave."), [{"field": "cursor", "message": _("Invalid cursor.")}])
    return value


def page(stmt, key_column, query: PageQuery, key_of, kind: type = int):
    """One page of ``stmt`` ordered by the unique ``key_column``: (rows, the next page's link or None)."""
    if query.cursor:
        stmt = stmt.where(key_column > decode_cursor(query.cursor, kind))
    rows = list(db.session.scalars(stmt.order_by(key_column).limit(query.limit + 1)))
    if len(rows) <= query.limit:
        return rows, None
    rows = rows[:query.limit]
    args = {k: v for k, v in request.args.items() if k != "cursor"}
    args["cursor"] = encode_cursor(key_of(rows[-1]))
    return rows, f"{request.path}?{urlencode(args)}"
