"""The registry of every table that holds personal data: what it holds about a person, which columns tie a
row to them, how it is exported and what erasure does to it.

Registering a table is one call, in the module that owns the table or in lms/privacy/tables.py::

    register(PersonalTable("api_tokens", _l("API tokens they created"), about=("user_id",), fate=DELETE))

tests/privacy/test_registry.py fails, naming the table, for a table with a foreign key to ``users`` (or a
column such as an e-mail address, phone or employee number) that is neither registered nor declared
``not_personal``.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, false, or_, select

from lms.db import db


class Fate(enum.StrEnum):
    """What erasure does to the rows about the person."""

    DELETE = "delete"  # the rows go
    ANONYMISE = "anonymise"  # the rows stay (figures add up), the listed columns are scrubbed
    KEEP = "keep"  # the rows stay as they are (an aggregate's input or a legal record), for the reason given


DELETE, ANONYMISE, KEEP = Fate.DELETE, Fate.ANONYMISE, Fate.KEEP


@dataclass(frozen=True)
class ErasureContext:
    """Who is erased: their id, the number of their pseudonym and what identified them before."""

    user_id: int
    number: int
    name: str
    email: str
    employee_no: str
    pseudonym: str


# A scrub turns a column's value into its erased value.
Scrub = Callable[[object, ErasureContext], object]


def blank(_value, _ctx) -> str:
    return ""


def nothing(_value, _ctx):
    return None


def empty_dict(_value, _ctx) -> dict:
    return {}


def without_text(value, _ctx):
    """A dict of answers without its typed text (ratings and choices stay, so averages do not move)."""
    if not isinstance(value, dict):
        return value
    return {k: v for k, v in value.items() if not isinstance(v, str)}


@dataclass(frozen=True)
class PersonalTable:
    table: str
    holds: object  # lazy message: what the table holds about a person
    # Columns naming the person a row is about (their results, their sessions …).
    about: tuple[str, ...] = ()
    # Columns naming them as the person who acted (graded, assigned, authored): exported; the rows stay and
    # keep pointing at the pseudonymous person.
    acted: tuple[str, ...] = ()
    fate: Fate = KEEP
    reason: object = None  # lazy message: why rows stay (KEEP, and ANONYMISE's kept rows)
    scrub: dict[str, Scrub] = field(default_factory=dict)  # ANONYMISE: column -> erased value
    # Rows about the person through a parent row: (this table's column, the registered parent table).
    through: tuple[str, str] | None = None
    # Instead of about/through: a function (table, ErasureContext) -> a WHERE clause.
    where: Callable | None = None
    secret: tuple[str, ...] = ()  # never exported (hashes, file bytes)
    columns: tuple[str, ...] | None = None  # exported columns (None: all but secret ones)
    # Instead of the generic scrub (the users row, the audit log): fn(entry, ctx) -> rows changed.
    erase: Callable | None = None

    def sa_table(self) -> Table:
        return db.metadata.tables[self.table]

    def exported_columns(self) -> list[str]:
        names = self.columns or [c.name for c in self.sa_table().columns]
        return [n for n in names if n not in self.secret]


REGISTRY: dict[str, PersonalTable] = {}
# Tables a name-based check would flag that hold nothing about a person: table -> why.
NOT_PERSONAL: dict[str, object] = {}


def register(entry: PersonalTable) -> PersonalTable:
    """Add a table to the registry (once)."""
    if entry.fate is ANONYMISE and not (entry.scrub or entry.erase):
        raise ValueError(f"{entry.table}: anonymise what? give scrub columns")
    if entry.fate is KEEP and entry.reason is None:
        raise ValueError(f"{entry.table}: say why its rows are kept")
    REGISTRY[entry.table] = entry
    return entry


def not_personal(table: str, reason) -> None:
    NOT_PERSONAL[table] = reason


def about_clause(entry: PersonalTable, ctx: ErasureContext):
    """WHERE: the rows this table holds about the person (not those where they only acted)."""
    table = entry.sa_table()
    if entry.where is not None:
        return entry.where(table, ctx)
    clauses = [table.c[name] == ctx.user_id for name in entry.about]
    if entry.through:
        column, parent_name = entry.through
        parent = REGISTRY[parent_name]
        parent_table = parent.sa_table()
        clauses.append(table.c[column].in_(select(parent_table.c.id).where(about_clause(parent, ctx))))
    return or_(*clauses) if clauses else false()


def person_clause(entry: PersonalTable, ctx: ErasureContext):
    """WHERE: every row that names the person, about them or as the one who acted."""
    table = entry.sa_table()
    return or_(about_clause(entry, ctx), *(table.c[name] == ctx.user_id for name in entry.acted))


def entries() -> list[PersonalTable]:
    """Every registered table, in the metadata's dependency order (parents first)."""
    from lms.privacy import tables, tables_added  # noqa: F401  (the registrations of the existing tables)

    order = {t.name: i for i, t in enumerate(db.metadata.sorted_tables)}
    return sorted(REGISTRY.values(), key=lambda e: order.get(e.table, len(order)))


FATE_LABELS = {
    DELETE: _l("Deleted"),
    ANONYMISE: _l("Kept, with the personal details removed"),
    KEEP: _l("Kept as it is"),
}
