"""The declarative base, column types shared by every domain, SQLite connection set-up, and the write rule.

The write rule
--------------
1. Services change rows and ``flush()``; they never commit.
2. A request commits once, at its end (``end_request_transaction``, an after-request hook): a request that
   changes state (POST and the like) commits unless it was refused. It is refused when a view shows a
   DomainError through ``lms.views.refuse`` (or ``act``, ``save_form``), or answers with an error status; then
   everything it wrote rolls back, so a refused action leaves nothing half-written.
3. The few records that must survive a refused action (a failed-login count, a late answer, the audit of a
   refusal) go through ``keep_despite_refusal()``, called by the service once the refusing rule has
   decided: the request then commits what its transaction holds although it answers with a refusal.
4. A GET never writes. Its transaction only reads, and in tests a flush or a write statement in a GET
   fails the request. Work that a GET must cause (closing an attempt whose time ran out, auditing a read of
   another person's results) runs as a task, in a transaction of its own (``lms.tasks``).
5. A task commits once at its end (``lms.tasks.app_task``); a CLI command commits once at its end.
   Rendering (PDFs) reads in ``read_then_release()`` and writes its result in one short transaction
   afterwards, so no lock is held while a document renders.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, date, datetime

from flask import current_app
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, DateTime, Engine, MetaData, case, event, select, types
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(types.TypeDecorator):
    """A timezone-aware UTC datetime on every database (SQLite stores no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), dict: JSON(), list: JSON(), date: types.Date()},
    )


db = SQLAlchemy(model_class=Base)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# SQLite: whether the next transaction takes the write lock at BEGIN. A read-then-write transaction
# that begins deferred fails at once with "database is locked" when another writer got in between,
# so state-changing requests, CLI commands and tasks begin IMMEDIATE; GET requests stay deferred so
# readers never queue behind writers.
sqlite_begin_immediate: ContextVar[bool] = ContextVar("sqlite_begin_immediate", default=True)
# Whether the current request is a safe one whose writes must be noticed (rule 4 below). A context
# variable, not the session's info, so that a request that never touches the database opens no session.
watching_writes: ContextVar[bool] = ContextVar("watching_writes", default=False)

@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, _record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" hook below emit BEGIN itself instead of the driver's implicit one.
    dbapi_connection.isolation_level = None
    # The busy timeout comes from the driver's ``timeout`` connect argument (lms.config).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(connection):
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE" if sqlite_begin_immediate.get() else "BEGIN")


def refresh_planner_statistics() -> None:
    """Give SQLite's query planner statistics (sqlite_stat1), on a sample of each index.

    Without them SQLite guesses: with 700,000 graded attempts it read a team's exam results through the
    index on (status, deadline) — every attempt — instead of (user, exam), 0.2 s instead of a few ms, on
    the certification team pages at 100,000 learners. A sampled ANALYZE took 24 ms on that database.
    Run after loading data in bulk (the demo, a content import, the benchmark's organisation) and when a
    server starts. PostgreSQL keeps its own statistics (autovacuum): nothing to do there."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA analysis_limit=400")
        connection.exec_driver_sql("ANALYZE")


def single_statement_writes(view):
    """Mark a view whose usual work is one self-contained write statement (the exam autosave).

    On PostgreSQL its connection runs in autocommit, so the request costs its statements and no BEGIN
    and COMMIT round trips; a service that needs a transaction after all calls
    ``end_single_statement_mode()`` first. SQLite keeps its transaction: BEGIN IMMEDIATE costs no round
    trip there."""
    view.single_statement_writes = True
    return view


def begin_request_connection(view) -> None:
    """before_request: give a single_statement_writes view its autocommit connection on PostgreSQL."""
    if getattr(view, "single_statement_writes", False) and db.session.get_bind().dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def str_enum(enum_cls, length: int = 20) -> types.Enum:
    """Store a StrEnum by its value ('learner'), not its Python name, as plain VARCHAR."""
    return types.Enum(enum_cls, native_enum=False, length=length, validate_strings=True,
                      values_callable=lambda members: [m.value for m in members])


def unindexed(condition):
    """The same condition, written so that no index is chosen for it.

    For a query whose rows a list of people already picks (``user_id IN (…500 ids…)``): with a second
    condition on a column shared by many rows (an attempt's status, a course), SQLite chose that column's
    index and read every graded attempt or every enrolment in the course (0.1–0.5 s per 500 people at
    100,000 learners) instead of each person's few rows. A CASE expression matches no index; PostgreSQL
    plans the same query by the people either way."""
    return case((condition, 1), else_=0) == 1


def fetch_tuples(stmt) -> list[tuple]:
    """Run a SELECT of plain columns on the session's connection and return the driver's own tuples.

    For reports that read hundreds of thousands of numbers (item analysis): skipping SQLAlchemy's
    row objects makes the read several times faster. No type conversion is applied."""
    connection = db.session.connection()
    compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    if compiled.positional:
        params = [params[name] for name in compiled.positiontup]
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        return cursor.fetchall()
    finally:
        cursor.close()


# ---------------------------------------------------------------- the write rule

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class WriteInSafeRequest(RuntimeError):
    """A GET (or HEAD, OPTIONS) request tried to write: a bug the test suite must see."""


class RowNotFound(LookupError):
    """No such row, or not one the caller may act on; views answer 404 (lms.errors)."""


def keep_despite_refusal() -> None:
    """Commit this request's transaction even though the action is refused (rule 3 above).

    For the records that must outlive a refusal: the failed-login count, the late-answer record and the
    closing of the attempt it found overdue, the audit of a refused action."""
    db.session.info["keep_despite_refusal"] = True


def mark_refused() -> None:
    """Roll this request's writes back at its end (lms.views.refuse calls it)."""
    db.session.info["refused"] = True


def end_request_transaction(method: str, status_code: int) -> None:
    """At the end of a request, commit once or roll back, by the write rule."""
    if not db.session.registry.has():  # the request never opened a session: nothing to end
        return
    session = db.session
    info = session.info
    if method in SAFE_METHODS:
        wrote = info.pop("wrote", None)
        session.rollback()
        if wrote is not None:
            if current_app.testing:
                raise WriteInSafeRequest(f"a {method} request wrote to the database ({wrote})")
            current_app.logger.error("a %s request wrote to the database (%s); rolled back", method, wrote)
        return
    refused = info.pop("refused", False) or status_code >= 400
    if refused and not info.pop("keep_despite_refusal", False):
        session.rollback()
    else:
        session.commit()


def watch_writes() -> Token:
    """Note whether the session writes (before a safe request: a GET never writes); the token ends it."""
    return watching_writes.set(True)


def end_single_statement_mode() -> None:
    """Leave the autocommit connection of a single_statement_writes request (PostgreSQL) before work that
    needs a transaction: every statement so far committed itself, so this ends no work, it only hands the
    connection back; the next statement runs on one with the normal isolation level. SQLite: nothing to do."""
    connection = db.session.connection()
    if connection.get_isolation_level() == "AUTOCOMMIT":
        db.session.commit()


@event.listens_for(Session, "after_flush")
def _note_flush(session, _flush_context):
    if watching_writes.get() and (session.new or session.dirty or session.deleted):
        session.info.setdefault("wrote", ", ".join(sorted({type(o).__name__ for o in
                                                           [*session.new, *session.dirty, *session.deleted]})))


@event.listens_for(Session, "do_orm_execute")
def _note_write_statement(state):
    if watching_writes.get() and (state.is_insert or state.is_update or state.is_delete):
        state.session.info.setdefault("wrote", str(state.statement).split(" ", 2)[0] + " statement")


@contextmanager
def read_then_release() -> Iterator[None]:
    """Read in a transaction that takes no write lock, and end it on leaving the block.

    For work that reads, then takes long without the database (rendering a PDF), then writes: the write
    comes after, in a transaction of its own, and nothing waits on a lock held during the slow part."""
    token = sqlite_begin_immediate.set(False)
    try:
        db.session.rollback()  # begin afresh, as a reader
        yield
    finally:
        db.session.rollback()
        sqlite_begin_immediate.reset(token)


def fresh_snapshot() -> None:
    """End a read transaction, so that the next read sees what other transactions committed since (a
    page that had a task do work in a transaction of its own reads the result this way)."""
    db.session.rollback()


def found(row, what: str):
    """``row`` itself, or RowNotFound naming ``what`` was looked for (a 404 in a request)."""
    if row is None:
        raise RowNotFound(f"no {what}")
    return row


def get_row(model, row_id, *, lock: bool = False, options=(), where=()):
    """The row of ``model`` with this id (and matching ``where``), or RowNotFound.

    ``lock`` reads it FOR UPDATE and refreshes it from the database (state-changing work on it)."""
    stmt = select(model).where(model.id == row_id, *where).options(*options)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    row = db.session.scalar(stmt)
    if row is None:
        raise RowNotFound(f"no {model.__name__} {row_id}")
    return row
