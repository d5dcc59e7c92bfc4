"""Data generations: a token per kind of data that every write to that data replaces, and a per-process
cache of what is built from it, kept while the token stays the same.

Two generations:

- ``CONTENT``: standards, citations and other content the coverage matrix and the standards chapters show.
  Its writers call ``changed(CONTENT)`` inside their transaction.
- ``RESULTS``: the people, their courses, exams, calls, certificates, observations, surveys, KPIs and
  improvement actions the evaluation reports, the readiness board and the to-do counts add up. Nobody has
  to remember to call anything for it: every flush (and every ORM bulk statement) that writes any table
  replaces the token, except tables that are never added up (sessions, login failures, audit,
  notifications, the search index) and what changes on every keystroke or turn (an answer being typed, a
  call's running state or a new turn that needs no review, a login time). So a page built from a cache is
  never older than the last commit that could change it; what changes with the clock alone (overdue,
  expiring) is keyed by the minute as well.

The new token shows when the transaction commits, for every worker at once, since each request reads it
(one primary-key read) before using a cache. Tokens are random, never counters, so a database restored from
a backup (or emptied by a test) can never meet a cache built from other data under the same value. A
database without the row caches nothing until the first change writes it.
"""

import secrets
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from flask_babel import get_locale
from sqlalchemy import String, event, insert, inspect, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.db import db, utcnow

T = TypeVar("T")
CONTENT = "content"
RESULTS = "results"
# Two stores, each least-recently-used first out: what many readers share (reports, the board, the coverage
# matrix) and what one person sees (the header's to-do count and list), so that thousands of people's entries
# never push out the reports.
_STORES: dict[str, OrderedDict] = {"shared": OrderedDict(), "personal": OrderedDict()}
_LIMITS = {"shared": 1000, "personal": 5000}  # a to-do list is a few kB: at most ~15 MB a worker

# Tables whose rows no cached results page adds up.
QUIET_TABLES = frozenset({
    "data_generation", "user_sessions", "login_failures", "password_tokens", "audit_events", "notifications",
    "notification_preferences", "search_documents", "api_tokens",
    "webhook_endpoints", "webhook_events", "webhook_deliveries", "webhook_attempts",  # no report reads them
})
# Columns that change often without changing any result: while an answer is typed (the autosave writes it
# without the ORM), while a call runs, while a lesson is read, when someone logs in.
QUIET_COLUMNS = {
    "attempt_questions": frozenset({"response", "sequence", "saved_at", "choice_key"}),
    "call_attempts": frozenset({"state", "node_shown_at"}),
    "lesson_progress": frozenset({"position", "updated_at"}),  # how far down a lesson someone has scrolled
    "users": frozenset({"last_login_at", "password_hash", "password_changed_at", "locale"}),
}
# New rows that count only when this says so: a call's turn, one per reply, only when a trainer has to
# review it (the to-do lists); a review changes the row and counts.
COUNTED_INSERTS = {"call_turns": lambda turn: bool(getattr(turn, "needs_review", False))}


class DataGeneration(db.Model):
    __tablename__ = "data_generation"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


def changed(name: str, session: Session | None = None) -> None:
    """Note, in the current transaction, that data of this generation changed. The new token is written
    when the transaction commits, so the row is locked only for the commit itself (a KPI import that runs
    for half a minute must not hold up every exam being graded meanwhile)."""
    session = session or db.session()
    session.info.setdefault("generations_changed", set()).add(name)
    if not session.in_transaction():
        session.begin()  # so that the commit that follows has a transaction to write the token in


def _write_token(session: Session, name: str) -> None:
    connection = session.connection()
    token = secrets.token_hex(16)
    moved = connection.execute(update(DataGeneration).where(DataGeneration.name == name).values(token=token))
    if moved.rowcount == 0:
        connection.execute(insert(DataGeneration).values(name=name, token=token))


def results_token_column():
    """The results token as a column another statement can carry (the signed-in user's, read on every
    request): pass the value it brings to ``remember_current``, and the request reads no token of its own."""
    return select(DataGeneration.token).where(DataGeneration.name == RESULTS).scalar_subquery()


def remember_current(name: str, token: str | None) -> None:
    """The token as a statement of this transaction read it (see ``results_token_column``)."""
    db.session().info[f"generation:{name}"] = token


def current(name: str) -> str | None:
    """The current token (read once per transaction, so once per request), or None when the database has
    no row for it."""
    info = db.session().info
    key = f"generation:{name}"
    if key not in info:
        info[key] = db.session.scalar(select(DataGeneration.token).where(DataGeneration.name == name))
    return info[key]


def cached(name: str, key: tuple, build: Callable[[], T], store: str = "shared") -> T:
    """``build()``, or what it returned for the same key while the generation was the same."""
    generation = current(name)
    if generation is None:
        return build()
    key = (str(db.engine.url), name, *key)  # one process may serve (or test) more than one database
    entries = _STORES[store]
    hit = entries.get(key)
    if hit is not None and hit[0] == generation:
        entries.move_to_end(key)
        return hit[1]
    value = build()
    entries[key] = (generation, value)
    entries.move_to_end(key)
    while len(entries) > _LIMITS[store]:
        entries.popitem(last=False)
    return value


def clear_caches(*stores: str) -> None:
    """Forget what was built, in these stores or all (for a test that changes how something is built, not
    the data, or measures the building)."""
    for store in stores or tuple(_STORES):
        _STORES[store].clear()


def cached_results(key: tuple, build: Callable[[], T], store: str = "shared", per: str = "minute") -> T:
    """``cached(RESULTS, …)`` for what is built from results, the reader's language and the clock (overdue,
    expiring, "today"): also keyed by the language and the minute, or, for what takes seconds to build and
    reads the clock by the day (reports, the readiness board: a certificate's expiry shows within the hour),
    the hour. The centre's zone is a whole number of hours from UTC, so a new local day starts a new hour."""
    clock = utcnow().replace(second=0, microsecond=0)
    if per == "hour":
        clock = clock.replace(minute=0)
    return cached(RESULTS, (*key, str(get_locale()), clock), build, store)


def _writes_results(instance, deleted: bool = False) -> bool:
    table = getattr(instance, "__tablename__", None)
    if table in COUNTED_INSERTS and inspect(instance).pending:
        return COUNTED_INSERTS[table](instance)
    if table is None or table in QUIET_TABLES:
        return False
    quiet = QUIET_COLUMNS.get(table)
    if quiet is None or deleted:
        return True
    state = inspect(instance)
    if state.pending or state.transient:
        return True
    return any(attr.key not in quiet and attr.history.has_changes() for attr in state.attrs)


@event.listens_for(Session, "before_flush")
def _note_results_written(session, _context, _instances):
    if RESULTS in session.info.get("generations_changed", ()):
        return
    if (any(_writes_results(o) for o in session.new) or any(_writes_results(o, True) for o in session.deleted)
            or any(_writes_results(o) for o in session.dirty if session.is_modified(o))):
        changed(RESULTS, session)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state):
    """An ORM ``update()``/``delete()``/``insert()`` statement on a table that is added up."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and table.name not in QUIET_TABLES:
        changed(RESULTS, state.session)


@event.listens_for(Session, "before_commit")
def _write_tokens(session):
    if session.in_nested_transaction():
        return
    session.flush()  # commit() flushes after this event: what it would write must be noted first
    for name in sorted(session.info.pop("generations_changed", ())):
        _write_token(session, name)


@event.listens_for(Session, "after_commit")  # the outermost transaction's commit only
@event.listens_for(Session, "after_soft_rollback")
def _transaction_ended(session, previous_transaction=None):
    if previous_transaction is not None and previous_transaction.nested:
        return  # a savepoint ended: what it noted is written with the transaction (at worst a cache rebuilt)
    for key in [k for k in session.info if k.startswith("generation")]:
        session.info.pop(key, None)
