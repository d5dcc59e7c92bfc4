"""Certification programmes: saved from their files (or the browser editor), read, and named.

A programme's definition is what lms/certification/loader.py made of its YAML file; saving one records
a new version and the standard items its evidence covers."""

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.certification.eligibility import requirements_of
from lms.certification.loader import (
    ProgrammeSpec,
    References,
    check_programme_references,
    programme_from_data,
)
from lms.certification.models import Programme
from lms.certification.requirement_kinds import by_kind
from lms.conflicts import check_based_on, fingerprint
from lms.content.files import ContentError, content_hash, load_yaml
from lms.db import db, found, utcnow
from lms.standards.services import SyncCounts, sync_by_slug


def list_programmes() -> list[Programme]:
    return list(db.session.scalars(select(Programme).order_by(Programme.level, Programme.slug)))


def find_programme(slug: str | None) -> Programme | None:
    return db.session.scalar(select(Programme).where(Programme.slug == slug)) if slug else None


def get_programme(slug: str) -> Programme:
    """The programme with this slug, or RowNotFound (a 404 in a request)."""
    return found(find_programme(slug), f"programme {slug}")


def covered_items(definition: dict) -> list[str]:
    """The standard items a programme's evidence cites: lessons of its courses, questions its exams can
    draw, criteria of its scenarios and lines of its checklists (each kind knows its own)."""
    items: set[str] = set()
    for kind, requirements in by_kind(requirements_of(definition)).items():
        items |= kind.covered_items(requirements)
    return sorted(items)


def programme_course_codes(programme: Programme) -> list[str]:
    """The courses the programme's requirements (those of a first certificate) name: its courses, and the
    courses its exams and assessment calls belong to (each kind knows its own)."""
    codes: set[str] = set()
    for kind, requirements in by_kind(programme.definition["requirements"]).items():
        codes |= kind.course_codes(requirements)
    return sorted(codes)


def requirement_titles(programme_list: list[Programme]) -> dict[str, str]:
    """'course:FND-101' → 'FND-101 企業介紹與服務中心組織', and so on for each kind that points at content
    (a query or so per kind)."""
    requirements = [r for p in programme_list for r in requirements_of(p.definition)]
    return {f"{kind.name}:{target}": title for kind, group in by_kind(requirements).items()
            for target, title in kind.titles(group).items()}


def save_programme(definition: dict, actor: User | None = None) -> tuple[Programme, bool]:
    """Save a checked definition as the programme's next version (nothing when it did not change)."""
    digest = content_hash(definition)
    programme = find_programme(definition["slug"])
    if programme is not None and programme.content_hash == digest:
        return programme, False
    if programme is None:
        programme = Programme(slug=definition["slug"], version=0)
        db.session.add(programme)
    before = dict(programme.definition) if programme.definition else None
    programme.title, programme.level = definition["title"], definition["level"]
    programme.definition, programme.content_hash = definition, digest
    programme.version = (programme.version or 0) + 1
    programme.updated_at = utcnow()
    programme.covered_items = covered_items(definition)
    db.session.flush()
    if actor is not None:
        record_event("programme.saved", "programme", programme.id, summary=f"{programme.slug} v{programme.version}",
                     before=before, after=definition, actor=actor)
    return programme, True


def sync_programmes(specs: list[ProgrammeSpec]) -> SyncCounts:
    return sync_by_slug(Programme.slug, specs, lambda spec: save_programme(spec.definition))


# ---------------------------------------------------------------- the browser editor


def programme_source(programme: Programme) -> str:
    """The programme as YAML, in the shape of its file, for the editor."""
    import yaml

    return yaml.safe_dump(programme.definition, allow_unicode=True, sort_keys=False, width=110)


def check_programme_source(source: str, programme: Programme) -> tuple[dict | None, list]:
    """Validate a programme edited in the browser like the importer does, against what the database holds."""
    name = f"{programme.slug}.yaml"
    try:
        data = load_yaml(source or "", name)
    except ContentError as exc:
        return None, [exc]
    spec, errors = programme_from_data(data, name)
    if spec is None:
        return None, errors
    if spec.slug != programme.slug:
        return None, [ContentError(name, data.line_of("slug"), "slug", _("the slug cannot change here"))]
    others = list(_specs_of_other_programmes(programme))
    errors = [e for e in check_programme_references([spec, *others], _references_in_database()) if e.path == name]
    return (None, errors) if errors else (spec.definition, [])


def editing_fingerprint(programme: Programme) -> str:
    """What the editor posts back: the fingerprint of the version it was filled from."""
    return fingerprint(programme.content_hash)


def save_programme_source(programme: Programme, source: str, actor: User,
                          based_on: str | None = None) -> tuple[bool, list]:
    """Check an edited programme and save it: (whether it changed, the problems that kept it from saving).
    A source filled from a version someone else has replaced since is refused (lms.conflicts)."""
    check_based_on(based_on, programme.content_hash, programme_source(programme), source or "")
    definition, errors = check_programme_source(source, programme)
    if errors:
        return False, errors
    return save_programme(definition, actor)[1], []


def _references_in_database() -> References:
    from lms.calls.models import Scenario
    from lms.courses.models import Course
    from lms.exams.models import Exam
    from lms.standards.models import StandardItem

    return References(course_codes=set(db.session.scalars(select(Course.code))),
                      exam_slugs=set(db.session.scalars(select(Exam.slug))),
                      scenario_slugs=set(db.session.scalars(select(Scenario.slug))),
                      item_codes=set(db.session.scalars(select(StandardItem.code))))


def _specs_of_other_programmes(programme: Programme):
    for other in list_programmes():
        if other.id != programme.id:
            yield ProgrammeSpec(other.slug, other.definition, f"{other.slug}.yaml",
                                {("programme", p): None for p in other.definition.get("prerequisites", [])})
