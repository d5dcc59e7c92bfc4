"""Write the shipped example cases (lms.cases.loader) into the case library: published, without an author,
matched by slug; a changed file replaces the case's texts and items."""

from sqlalchemy import select

from lms.cases.library import index_cases
from lms.cases.loader import CaseSpec
from lms.cases.models import TEXT_FIELDS, Case, CaseStatus
from lms.courses.models import Tier
from lms.db import db, utcnow
from lms.standards.models import StandardItem
from lms.standards.services import SyncCounts, sync_by_slug


def _save(spec: CaseSpec, items: dict[str, StandardItem]) -> tuple[Case, bool]:
    case = db.session.scalar(select(Case).where(Case.slug == spec.slug))
    if case is not None and case.content_hash == spec.content_hash:
        return case, False
    if case is None:
        case = Case(slug=spec.slug, published_at=utcnow())
        db.session.add(case)
    definition = spec.definition
    for name in TEXT_FIELDS:
        setattr(case, name, definition[name])
    case.channel, case.tier, case.status = definition["channel"], Tier(definition["tier"]), CaseStatus.PUBLISHED
    case.items = [items[code] for code in definition["items"]]
    case.content_hash = spec.content_hash
    db.session.flush()
    index_cases([case])
    return case, True


def sync_cases(specs: list[CaseSpec]) -> SyncCounts:
    """Save every case file; unchanged files change nothing."""
    codes = {code for spec in specs for code in spec.definition["items"]}
    items = {i.code: i for i in db.session.scalars(select(StandardItem).where(StandardItem.code.in_(codes)))}
    return sync_by_slug(Case.slug, specs, lambda spec: _save(spec, items))
