"""Write and read the audit log. Every domain records its sensitive changes through record_event."""

from dataclasses import dataclass
from datetime import date, datetime

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

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


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    actor_id: int | None = None


def search_events(flt: AuditFilter, page: int, per_page: int = 50):
    """Return one page of audit events, newest first, matching the filter."""
    stmt = select(AuditEvent).options(selectinload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    if flt.action:
        stmt = stmt.where(AuditEvent.action == flt.action)
    if flt.object_type:
        stmt = stmt.where(AuditEvent.object_type == flt.object_type)
    if flt.object_id:
        stmt = stmt.where(AuditEvent.object_id == flt.object_id)
    if flt.actor_id:
        stmt = stmt.where(AuditEvent.actor_id == flt.actor_id)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)


def list_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
