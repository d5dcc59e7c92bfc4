"""The declarative base, column types shared by every domain, and SQLite connection set-up."""

import sqlite3
from contextvars import ContextVar
from datetime import UTC, date, datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, DateTime, Engine, MetaData, event, types
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

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


def single_statement_writes(view):
    """Mark a view whose usual work is one self-contained write statement (the exam autosave).

    On PostgreSQL its connection runs in autocommit, so the request costs its statements and no BEGIN
    and COMMIT round trips; a view that needs a transaction after all calls ``db.session.commit()``
    first, and the next statement then runs on a connection with the normal isolation level. SQLite
    keeps its transaction: BEGIN IMMEDIATE costs no round trip there."""
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


def include_in_autogenerate(obj, name, type_, reflected, compare_to) -> bool:
    """Leave out the objects migrations create by hand (full-text tables, trigram indexes)."""
    from lms.search.models import UNMANAGED_INDEXES, UNMANAGED_TABLE_PREFIXES

    if type_ == "table" and name and name.startswith(UNMANAGED_TABLE_PREFIXES):
        return False
    return not (type_ == "index" and name in UNMANAGED_INDEXES)


def start_writing() -> None:
    """In a GET request that must write (closing an attempt whose deadline passed): end the read
    transaction so that, on SQLite, the next one begins IMMEDIATE as a writer."""
    db.session.commit()
    sqlite_begin_immediate.set(True)


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
