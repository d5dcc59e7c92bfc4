"""Every table that names a person is in the personal-data registry (lms/privacy/registry.py)."""

import re

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table

import lms.models  # noqa: F401  (every table)
from lms.db import db
from lms.privacy.registry import ANONYMISE, KEEP, NOT_PERSONAL, REGISTRY, PersonalTable, entries, register

PERSONAL_COLUMN = re.compile(r"(^|_)(email|phone|mobile|employee_no|holder_name)($|_)|^identifier$")


def unregistered(metadata) -> list[str]:
    """Tables with a foreign key to users, or a column that looks personal, that are not registered."""
    entries()
    missing = []
    for table in metadata.sorted_tables:
        if table.name in REGISTRY or table.name in NOT_PERSONAL:
            continue
        refers = any(fk.column.table.name == "users" for fk in table.foreign_keys)
        personal = [c.name for c in table.columns if PERSONAL_COLUMN.search(c.name)]
        if refers or personal:
            missing.append(table.name)
    return missing


def test_every_table_that_names_a_person_is_registered():
    assert unregistered(db.metadata) == [], "register these in lms/privacy (one register() call each)"


def test_a_new_table_referring_to_users_is_named():
    metadata = MetaData()
    Table("users", metadata, Column("id", Integer, primary_key=True))
    Table(
        "parking_permits",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("user_id", ForeignKey("users.id")),
    )
    Table("callers", metadata, Column("id", Integer, primary_key=True), Column("phone", String(20)))
    Table("topics", metadata, Column("id", Integer, primary_key=True), Column("name", String(20)))
    assert sorted(unregistered(metadata)) == ["callers", "parking_permits"]


def test_registered_columns_exist():
    for entry in entries():
        table = db.metadata.tables[entry.table]
        named = (*entry.about, *entry.acted, *entry.scrub, *entry.secret, *(entry.columns or ()))
        assert {n for n in named if n not in table.c} == set(), entry.table
        if entry.through:
            assert entry.through[0] in table.c and entry.through[1] in REGISTRY, entry.table
        assert entry.about or entry.acted or entry.through or entry.where, entry.table


def test_every_entry_says_what_it_holds_and_why_rows_stay():
    for entry in entries():
        assert str(entry.holds).strip(), entry.table
        if entry.fate in (KEEP, ANONYMISE):
            assert str(entry.reason or "").strip(), entry.table


def test_register_refuses_an_entry_without_its_reasons():
    with pytest.raises(ValueError, match="why"):
        register(PersonalTable("x", _l("X"), about=("user_id",), fate=KEEP))
    with pytest.raises(ValueError, match="anonymise what"):
        register(PersonalTable("x", _l("X"), about=("user_id",), fate=ANONYMISE))
    assert "x" not in REGISTRY
