"""Write and read the audit log. Every domain records its sensitive changes through record_event."""

from datetime import date, datetime

from flask import has_request_context, request
from flask_login import current_user

from lms.audit.models import AuditEvent
from lms.db import db
from lms.tasks import app_task

# Never written into before/after snapshots, whatever a caller passes.
_SECRET_FIELDS = {"password", "password_hash", "token", "token_hash", "secret"}


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple | list):
        return sorted((_jsonable(v) for v in value), key=str)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _snapshot(state: dict | None) -> dict | None:
    if state is None:
        return None
    return {k: _jsonable(v) for k, v in state.items() if k not in _SECRET_FIELDS}


def record_event(action: str, obj_type: str, obj_id, *, summary: str = "", before=None, after=None,
                 actor=None) -> AuditEvent:
    """Add an audit row in the current transaction; it commits or rolls back with the change itself."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=obj_type,
        object_id=str(obj_id),
        summary=summary[:500],
        before=_snapshot(before),
        after=_snapshot(after),
        ip=(request.remote_addr or "")[:64] if has_request_context() else "",
    )
    db.session.add(event)
    return event


@app_task()
def _record_read_task(action: str, obj_type: str, obj_id: str, summary: str, actor_id: int | None, ip: str) -> None:
    db.session.add(AuditEvent(actor_id=actor_id, action=action, object_type=obj_type, object_id=obj_id,
                              summary=summary[:500], ip=ip))


def record_read(action: str, obj_type: str, obj_id, *, summary: str = "") -> None:
    """Audit a read of another person's results (a page that only reads, so the row is written by a task
    in a transaction of its own; lms/db.py, the write rule)."""
    actor_id = current_user.id if has_request_context() and current_user.is_authenticated else None
    ip = (request.remote_addr or "")[:64] if has_request_context() else ""
    _record_read_task(action, obj_type, str(obj_id), summary, actor_id, ip)
