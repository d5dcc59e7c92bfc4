"""Reading the audit log: the filtered list page by page, the same list for export, and failed-login bursts."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from lms.accounts.identifiers import normalise_employee_no
from lms.accounts.models import User
from lms.audit.labels import action_label, changes, object_type_label, summarise
from lms.audit.models import AuditEvent
from lms.audit.subjects import describe_objects
from lms.db import db, utcnow

FAILED_LOGINS = ("login.failed", "login.throttled")


@dataclass(frozen=True)
class AuditFilter:
    who: str = ""  # the actor's name (part of it) or employee number
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    ip: str = ""
    start: datetime | None = None  # inclusive
    end: datetime | None = None  # exclusive
    actor_id: int | None = None


@dataclass
class ShownEvent:
    """An event as a person reads it."""

    event: AuditEvent
    action: str
    object: str
    summary: str
    changes: list = field(default_factory=list)

    @property
    def who(self) -> str:
        """The actor's name; without one, a visitor who was not logged in (a request's address was
        recorded) or the system (a task or command)."""
        if self.event.actor is not None:
            return self.event.actor.name
        return _("visitor (not logged in)") if self.event.ip else _("system")


def _statement(flt: AuditFilter):
    stmt = select(AuditEvent)
    if flt.action:
        stmt = stmt.where(AuditEvent.action == flt.action)
    if flt.object_type:
        stmt = stmt.where(AuditEvent.object_type == flt.object_type)
    if flt.object_id:
        stmt = stmt.where(AuditEvent.object_id == flt.object_id)
    if flt.ip:
        stmt = stmt.where(AuditEvent.ip == flt.ip)
    if flt.actor_id:
        stmt = stmt.where(AuditEvent.actor_id == flt.actor_id)
    if flt.start:
        stmt = stmt.where(AuditEvent.at >= flt.start)
    if flt.end:
        stmt = stmt.where(AuditEvent.at < flt.end)
    if flt.who:
        pattern = "%" + flt.who.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        actors = select(User.id).where(or_(User.employee_no == normalise_employee_no(flt.who),
                                           User.name.like(pattern, escape="\\")))
        stmt = stmt.where(AuditEvent.actor_id.in_(actors))
    return stmt


def shown(events: list[AuditEvent]) -> list[ShownEvent]:
    """Events in words: the objects of the whole batch are named in a few queries."""
    pairs = {(e.object_type, e.object_id) for e in events}
    pairs |= {("team", str(s.get("team_id"))) for e in events for s in (e.before, e.after)
              if isinstance(s, dict) and s.get("team_id")}
    names = describe_objects(pairs)
    out = []
    for e in events:
        name = names.get((e.object_type, e.object_id))
        if name is None:
            name = e.object_id if e.object_type == "account" else (
                f"{object_type_label(e.object_type)} {e.object_id}" if e.object_id not in ("", "-") else "")
        out.append(ShownEvent(e, action_label(e.action), name, summarise(e, name), changes(e, names)))
    return out


def search_events(flt: AuditFilter, page: int, per_page: int = 50):
    """One page of events, newest first, matching the filter; ``.shown`` holds them in words."""
    stmt = _statement(flt).options(selectinload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)
    result.shown = shown(list(result.items))
    return result


def iter_events(flt: AuditFilter, batch: int = 500) -> Iterator[ShownEvent]:
    """Every matching event, newest first, read in batches (for the export)."""
    last_id = None
    while True:
        stmt = _statement(flt).options(selectinload(AuditEvent.actor)).order_by(AuditEvent.id.desc()).limit(batch)
        if last_id is not None:
            stmt = stmt.where(AuditEvent.id < last_id)
        events = list(db.session.scalars(stmt))
        if not events:
            return
        yield from shown(events)
        last_id = events[-1].id


def list_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


@dataclass(frozen=True)
class Burst:
    key: str  # the login name typed, or the address
    failures: int
    last_at: datetime


@dataclass(frozen=True)
class Bursts:
    minutes: int
    threshold: int
    by_name: list[Burst]
    by_address: list[Burst]


def failed_login_bursts() -> Bursts:
    """Login names and client addresses with at least LOGIN_BURST_FAILURES failed or refused logins within
    the last LOGIN_BURST_WINDOW_MINUTES, most failures first."""
    minutes = int(current_app.config["LOGIN_BURST_WINDOW_MINUTES"])
    threshold = int(current_app.config["LOGIN_BURST_FAILURES"])
    since = utcnow() - timedelta(minutes=minutes)

    def grouped(column) -> list[Burst]:
        count = func.count(AuditEvent.id)
        rows = db.session.execute(
            select(column, count, func.max(AuditEvent.at))
            .where(AuditEvent.action.in_(FAILED_LOGINS), AuditEvent.at >= since)
            .group_by(column).having(count >= threshold).order_by(count.desc(), column).limit(20))
        return [Burst(key or "", n, last) for key, n, last in rows]

    return Bursts(minutes, threshold, grouped(AuditEvent.object_id), grouped(AuditEvent.ip))
