"""KPI definitions and their standard items: synced from courses/kpis.yaml, the mapping kept by trainers."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from lms.audit.services import record_event
from lms.db import db, utcnow
from lms.errors import DomainError
from lms.kpi.loader import KpiSpec
from lms.kpi.models import KpiDefinition, KpiItem
from lms.standards.models import StandardItem
from lms.standards.services import SyncCounts


def sync_kpis(specs: list[KpiSpec]) -> SyncCounts:
    """Create or update the KPIs of the file; a KPI the file no longer has is retired (its records stay).

    The file's item list is written when its entry is new or changed; otherwise the mapping trainers
    keep in the browser stays as they left it."""
    counts = SyncCounts()
    existing = {k.code: k for k in db.session.scalars(select(KpiDefinition))}
    for spec in specs:
        kpi = existing.pop(spec.code, None)
        if kpi is not None and kpi.content_hash == spec.content_hash and kpi.is_active:
            # the threshold is outside the hash, so changing it never resets the trainers' item mapping
            counts.tally(False, kpi.threshold != spec.threshold)
            kpi.threshold = spec.threshold
            continue
        counts.tally(kpi is None, True)
        if kpi is None:
            kpi = KpiDefinition(code=spec.code)
            db.session.add(kpi)
        kpi.name, kpi.unit, kpi.direction = spec.name, spec.unit, spec.direction
        kpi.min_value, kpi.max_value, kpi.decimals = spec.min_value, spec.max_value, spec.decimals
        kpi.reference_lines = [{"label": r.label, "value": r.value} for r in spec.reference_lines]
        kpi.description, kpi.position, kpi.content_hash = spec.description, spec.position, spec.content_hash
        kpi.is_active, kpi.source, kpi.threshold = True, "file", spec.threshold
        db.session.flush()
        _write_items(kpi, spec.items)
    for kpi in existing.values():
        if kpi.source == "file" and kpi.is_active:
            kpi.is_active = False
            counts.updated += 1
    db.session.flush()
    return counts


def _write_items(kpi: KpiDefinition, codes) -> None:
    db.session.execute(delete(KpiItem).where(KpiItem.kpi_id == kpi.id))
    db.session.add_all(KpiItem(kpi_id=kpi.id, item_code=code) for code in dict.fromkeys(codes))
    db.session.flush()


def active_kpis() -> list[KpiDefinition]:
    return list(db.session.scalars(select(KpiDefinition).where(KpiDefinition.is_active.is_(True))
                                   .order_by(KpiDefinition.position, KpiDefinition.code)))


@dataclass(frozen=True)
class MappedItem:
    code: str
    title: str


@dataclass(frozen=True)
class KpiWithItems:
    kpi: KpiDefinition
    items: list[MappedItem]


def kpis_with_items() -> list[KpiWithItems]:
    """Every active KPI with its standard items and their titles (two statements)."""
    kpis = active_kpis()
    rows = db.session.execute(
        select(KpiItem.kpi_id, KpiItem.item_code, StandardItem.title)
        .join(StandardItem, StandardItem.code == KpiItem.item_code, isouter=True)
        .order_by(KpiItem.item_code)).all()
    by_kpi: dict[int, list[MappedItem]] = {}
    for kpi_id, code, title in rows:
        by_kpi.setdefault(kpi_id, []).append(MappedItem(code, title or ""))
    return [KpiWithItems(k, by_kpi.get(k.id, [])) for k in kpis]


def item_choices() -> list[tuple[str, str]]:
    """Every current standard item as (code, "code title"), in code order."""
    rows = db.session.execute(select(StandardItem.code, StandardItem.title).order_by(StandardItem.code)).all()
    return [(code, f"{code} {title}") for code, title in rows]


def set_kpi_items(kpi: KpiDefinition, codes: list[str]) -> None:
    """Replace the KPI's standard items (a trainer's edit), with an audit entry."""
    known = set(db.session.scalars(select(StandardItem.code).where(StandardItem.code.in_(codes))))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise DomainError(_l("Unknown standard items: %(codes)s", codes=", ".join(unknown)), field="items")
    before = sorted(db.session.scalars(select(KpiItem.item_code).where(KpiItem.kpi_id == kpi.id)))
    _write_items(kpi, sorted(codes))
    kpi.updated_at = utcnow()  # the mapping is part of the KPI: reports computed before it are stale
    record_event("kpi.items_changed", "kpi", kpi.code, summary=f"{kpi.code}: {len(codes)} standard items",
                 before={"items": before}, after={"items": sorted(codes)})


def kpi_by_code(code: str) -> KpiWithItems | None:
    return next((k for k in kpis_with_items() if k.kpi.code == code), None)
