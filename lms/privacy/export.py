"""Everything the platform holds about one person: every registered table's rows, as JSON and as a PDF
summary. A person has at most thousands of rows; each table is cut at EXPORT_ROW_LIMIT and says so."""

import base64
import enum
import json
from dataclasses import dataclass
from datetime import date, datetime

from flask import render_template
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.content_language import html_in_readers_script
from lms.db import db, utcnow
from lms.pdf import font_css, render_pdf, without_bidi_controls
from lms.privacy.registry import (
    FATE_LABELS,
    ErasureContext,
    PersonalTable,
    about_clause,
    entries,
    person_clause,
)

EXPORT_ROW_LIMIT = 20_000


def context_of(user: User) -> ErasureContext:
    """The person's identifiers, as the registry's clauses read them."""
    return ErasureContext(
        user_id=user.id,
        number=0,
        name=user.name,
        email=user.email,
        employee_no=user.employee_no,
        pseudonym="",
    )


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def table_rows(entry: PersonalTable, ctx: ErasureContext) -> tuple[list[dict], bool]:
    """The rows of one table that name the person (as a dict of column -> plain value) and whether the
    export was cut at EXPORT_ROW_LIMIT."""
    table = entry.sa_table()
    names = entry.exported_columns()
    order = table.primary_key.columns.values()
    rows = db.session.execute(
        select(*(table.c[n] for n in names))
        .where(person_clause(entry, ctx))
        .order_by(*order)
        .limit(EXPORT_ROW_LIMIT + 1)
    ).all()
    return [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in rows[:EXPORT_ROW_LIMIT]], len(
        rows
    ) > EXPORT_ROW_LIMIT


def export_data(user: User) -> dict:
    """The person's export: who, when, and each registered table with what it holds and its rows."""
    ctx = context_of(user)
    tables = []
    for entry in entries():
        rows, cut = table_rows(entry, ctx)
        tables.append(
            {
                "table": entry.table,
                "holds": str(entry.holds),
                "on_erasure": str(FATE_LABELS[entry.fate]),
                "rows": rows,
                **({"cut_at": EXPORT_ROW_LIMIT} if cut else {}),
            }
        )
    return {
        "person": {"id": user.id, "employee_no": user.employee_no, "name": user.name, "email": user.email},
        "exported_at": utcnow().isoformat(),
        "tables": tables,
    }


def export_json(user: User) -> str:
    return json.dumps(export_data(user), ensure_ascii=False, indent=1, default=str)


@dataclass(frozen=True)
class TableSummary:
    table: str
    holds: str
    about: int  # rows about the person
    acted: int  # rows where they acted (graded, assigned, authored)
    fate: str
    reason: str


def summaries(user: User) -> list[TableSummary]:
    """Per registered table, how many rows name the person and what erasure does to them (one COUNT each)."""
    ctx = context_of(user)
    result = []
    for entry in entries():
        table = entry.sa_table()
        about = db.session.scalar(select(func.count()).select_from(table).where(about_clause(entry, ctx)))
        every = (
            db.session.scalar(select(func.count()).select_from(table).where(person_clause(entry, ctx)))
            if entry.acted
            else about
        )
        result.append(
            TableSummary(
                entry.table,
                str(entry.holds),
                about,
                every - about,
                str(FATE_LABELS[entry.fate]),
                str(entry.reason or ""),
            )
        )
    return result


def export_pdf(user: User) -> bytes:
    """A readable summary of the export: who, and per table what it holds, how many rows and their fate."""
    context = {
        "person": user,
        "tables": [s for s in summaries(user) if s.about or s.acted],
        "now": utcnow(),
        "plain": without_bidi_controls,
    }
    in_script = html_in_readers_script()
    body = in_script(render_template("privacy/pdf/export.html", fonts=("", "sans-serif"), **context))
    return render_pdf(in_script(render_template("privacy/pdf/export.html", fonts=font_css(body), **context)))
