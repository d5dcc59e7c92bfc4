"""KPI files in: checked whole, then written all at once, or not at all. A period already imported is
replaced for the agents and KPIs the file names, with an audit entry saying how many values changed."""

from dataclasses import dataclass
from itertools import islice

from blinker import Namespace
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from lms.accounts.models import Role, User, team_managers
from lms.audit.services import record_event
from lms.db import db
from lms.kpi.csv_reading import Agent, Checked, KpiColumn, check, decode, values
from lms.kpi.definitions import active_kpis
from lms.kpi.models import KpiImport, KpiRecord, PeriodKind

CHUNK = 5000
signals = Namespace()
# Sent with each accepted import, once its values are written (the managers of agents it puts below a
# threshold are told, after the commit).
kpis_imported = signals.signal("kpis-imported")


@dataclass
class ImportOutcome:
    checked: Checked
    record: KpiImport | None = None


def kpi_columns() -> list[KpiColumn]:
    return [KpiColumn(k.id, k.code, k.name, k.min_value, k.max_value, k.decimals) for k in active_kpis()]


def agents_for(user: User) -> dict[str, Agent]:
    """Everyone by employee number, marked allowed when the user may import their KPIs: an administrator
    anyone's, a manager those of the members of their teams."""
    everyone = db.session.execute(select(User.employee_no, User.id, User.team_id)).all()
    if user.has_role(Role.ADMIN):
        return {no: Agent(uid, True) for no, uid, _team in everyone}
    teams = set(db.session.scalars(select(team_managers.c.team_id).where(team_managers.c.user_id == user.id)))
    return {no: Agent(uid, team in teams) for no, uid, team in everyone}


def _chunks(iterable, size: int = CHUNK):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _delete_replaced(checked: Checked) -> int:
    """Remove the values the file replaces; return how many there were."""
    replaced = 0
    periods = sorted(checked.periods)
    for users in _chunks(sorted(checked.user_ids), 500):
        replaced += db.session.execute(delete(KpiRecord).where(
            KpiRecord.kpi_id.in_(checked.kpi_ids), KpiRecord.period_kind == PeriodKind(checked.period_kind),
            KpiRecord.period_start.in_(periods), KpiRecord.user_id.in_(users))).rowcount
    return replaced


COLUMNS = "user_id, kpi_id, period_kind, period_start, value, import_id"


def _insert(rows, kind: PeriodKind, import_id: int) -> int:
    """Write the values straight through the driver (SQLAlchemy's per-row parameter handling cost more
    than the database): COPY on PostgreSQL, executemany on SQLite. Returns how many were written."""
    connection = db.session.connection()
    cursor = connection.connection.cursor()
    written = 0
    if connection.dialect.name == "postgresql":
        with cursor.copy(f"COPY kpi_records ({COLUMNS}) FROM STDIN") as copy:
            for user_id, period, kpi_id, value in rows:
                copy.write_row((user_id, kpi_id, kind.value, period, value, import_id))
                written += 1
        return written
    for chunk in _chunks(rows):
        chunk.sort(key=lambda r: (r[0], r[2], r[1]))  # in the unique index's order: B-tree appends, not splits
        cursor.executemany(f"INSERT INTO kpi_records ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                           [(user_id, kpi_id, kind.value, period.isoformat(), value, import_id)
                            for user_id, period, kpi_id, value in chunk])
        written += len(chunk)
    return written


def import_kpis(data: bytes, filename: str, user: User) -> ImportOutcome:
    """Check the whole file; when nothing is wrong write every value in the current transaction."""
    checked = Checked()
    text = decode(data, checked)
    if text is None:
        return ImportOutcome(checked)
    return import_kpi_text(text, filename, user)


def import_kpi_text(text: str, filename: str, user: User) -> ImportOutcome:
    """The same for a file already read as text (the API builds one from the records it is sent)."""
    kpis, agents = kpi_columns(), agents_for(user)
    checked = check(text, kpis, agents)
    if not checked.ok:
        return ImportOutcome(checked)
    kind = PeriodKind(checked.period_kind)
    record = KpiImport(filename=filename[:200], period_kind=kind, first_period=min(checked.periods),
                       last_period=max(checked.periods), rows=checked.rows, created_by_id=user.id)
    db.session.add(record)
    db.session.flush()
    record.values_replaced = _delete_replaced(checked)
    record.values_written = _insert(values(text, kpis, agents), kind, record.id)
    _audit(record)
    kpis_imported.send(record)
    return ImportOutcome(checked, record)


def _audit(record: KpiImport) -> None:
    figures = {"file": record.filename, "rows": record.rows, "first_period": record.first_period,
               "last_period": record.last_period, "values": record.values_written}
    record_event("kpi.imported", "kpi_import", record.id,
                 summary=f"{record.values_written} KPI values from {record.rows} rows", after=figures)
    if record.values_replaced:
        record_event("kpi.replaced", "kpi_import", record.id,
                     summary=f"{record.values_replaced} KPI values of {record.first_period}–{record.last_period} "
                             f"replaced", before={"values": record.values_replaced}, after=figures)


def recent_imports(user: User, limit: int = 10) -> list[KpiImport]:
    """The latest imports: everyone's for an administrator, their own for a manager."""
    query = select(KpiImport).options(joinedload(KpiImport.created_by)).order_by(KpiImport.id.desc()).limit(limit)
    if not user.has_role(Role.ADMIN):
        query = query.where(KpiImport.created_by_id == user.id)
    return list(db.session.scalars(query))


def example_csv() -> str:
    """A two-row example with a column per active KPI (codes as headers)."""
    kpis = active_kpis()
    header = ",".join(["employee_number", "period", *(k.code for k in kpis)])
    middle = [f"{(k.min_value + k.max_value) / 2:.{k.decimals}f}" for k in kpis]
    return "\r\n".join([header, ",".join(["A1001", "2026-03", *middle]), ",".join(["A1002", "2026-03", *middle])]) + "\r\n"
