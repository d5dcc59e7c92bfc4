"""Write session templates into the database by slug, idempotently (an unchanged file changes nothing)."""

from sqlalchemy import select

from lms.classroom.loader import TemplateSpec
from lms.classroom.models import SessionKind, SessionTemplate
from lms.db import db
from lms.standards.services import SyncCounts


def sync_templates(specs: list[TemplateSpec]) -> SyncCounts:
    """Create or update the templates whose files changed. Sessions scheduled from a template keep what they
    were given (a template is where a session starts, not a live link)."""
    counts = SyncCounts()
    existing = {t.slug: t for t in db.session.scalars(select(SessionTemplate))}
    for spec in specs:
        template = existing.get(spec.slug)
        if template is not None and template.content_hash == spec.content_hash:
            counts.unchanged += 1
            continue
        if template is None:
            template = SessionTemplate(slug=spec.slug)
            db.session.add(template)
            counts.created += 1
        else:
            counts.updated += 1
        template.kind, template.title, template.description = SessionKind(spec.kind), spec.title, spec.description
        template.duration_minutes, template.capacity, template.course_code = (spec.duration_minutes, spec.capacity,
                                                                             spec.course_code)
        template.standards, template.drill_steps = list(spec.standards), list(spec.drill_steps)
        template.content_hash = spec.content_hash
    db.session.flush()
    return counts
