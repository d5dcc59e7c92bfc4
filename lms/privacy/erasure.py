"""Erase a departed person's personal data, all or nothing, while results and certificates stay honest.

Every registered table is treated by its fate (lms/privacy/registry.py): rows deleted, columns scrubbed, or
kept. The person's row stays as a pseudonym (「已刪除的人員 #n」), so every count, average and KPI effect
that included them is unchanged; their certificates stay verifiable with the holder's name withheld.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.db import db, get_row
from lms.errors import DomainError
from lms.generations import RESULTS, changed
from lms.privacy.models import Erasure
from lms.privacy.registry import ANONYMISE, DELETE, ErasureContext, PersonalTable, about_clause, entries


def pseudonym(number: int) -> str:
    """The name an erased person goes by, in the centre's language (it is stored, like any name)."""
    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        return _("Erased person #%(n)s", n=number)


def erasure_of(user_id: int) -> Erasure | None:
    return db.session.scalar(select(Erasure).where(Erasure.user_id == user_id))


def erasure_problem(user: User, acting: User | None) -> str | None:
    """Why this person's data may not be erased now, in words; None when it may."""
    if erasure_of(user.id) is not None:
        return _("This person's personal data has already been erased.")
    if acting is not None and user.id == acting.id:
        return _("You cannot erase your own personal data.")
    if user.is_active:
        return _("Only a departed person's data can be erased: deactivate the account first.")
    return None


def _scrubbed(entry: PersonalTable, ctx: ErasureContext) -> int:
    table = entry.sa_table()
    names = list(entry.scrub)
    pk = table.primary_key.columns.values()
    rows = db.session.execute(select(*pk, *(table.c[n] for n in names)).where(about_clause(entry, ctx))).all()
    for row in rows:
        key = {c.name: row._mapping[c.name] for c in pk}
        values = {n: entry.scrub[n](row._mapping[n], ctx) for n in names}
        db.session.execute(update(table).where(*(table.c[k] == v for k, v in key.items())).values(**values))
    return len(rows)


def _apply(entry: PersonalTable, ctx: ErasureContext) -> int:
    if entry.erase is not None:
        return entry.erase(entry, ctx)
    if entry.fate is DELETE:
        return db.session.execute(delete(entry.sa_table()).where(about_clause(entry, ctx))).rowcount
    if entry.fate is ANONYMISE:
        return _scrubbed(entry, ctx)
    return 0


@dataclass(frozen=True)
class ErasureResult:
    erasure: Erasure
    counts: dict[str, int]
    pseudonym: str


def erase_person(user_id: int, typed_employee_no: str | None, acting: User | None) -> ErasureResult:
    """Erase a departed person's personal data (see the module's docstring). An administrator confirms by
    typing the person's employee number; the scheduled purge (``acting`` None) passes None."""
    user = get_row(User, user_id, lock=True)
    if problem := erasure_problem(user, acting):
        raise DomainError(problem, field="employee_no")
    if acting is not None and (typed_employee_no or "").strip().casefold() != user.employee_no.casefold():
        raise DomainError(
            _("Type the person's employee number exactly as shown to confirm."), field="employee_no"
        )
    erasure = Erasure(user_id=user.id, erased_by_id=acting.id if acting else None)
    db.session.add(erasure)
    db.session.flush()
    ctx = ErasureContext(
        user_id=user.id,
        number=erasure.id,
        name=user.name,
        email=user.email,
        employee_no=user.employee_no,
        pseudonym=pseudonym(erasure.id),
    )
    # Children before the person's own row: a child's rows are found through what identifies the person.
    counts = {}
    for entry in reversed(entries()):
        if count := _apply(entry, ctx):
            counts[entry.table] = count
    erasure.counts = counts
    record_event(
        "privacy.erased",
        "user",
        user.id,
        summary=ctx.pseudonym,
        actor=acting,
        after={"count": sum(counts.values())},
    )
    changed(RESULTS)  # names on reports and the board change (the statements above bypass the ORM)
    db.session.flush()
    db.session.expire_all()
    return ErasureResult(erasure, counts, ctx.pseudonym)
