"""Syncing courses and onboarding paths from their files (courses/): idempotent, by code or slug and content hash."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.content.edits import BrowserEdits
from lms.courses.loader import CourseSpec, PathSpec
from lms.courses.models import Course, CourseVersion, OnboardingPath, OnboardingStep, Tier, VersionStatus
from lms.courses.versions import build_version, publish_version
from lms.db import db
from lms.standards.services import SyncCounts, item_lookup


def sync_courses(specs: list[CourseSpec], edits: BrowserEdits | None = None) -> SyncCounts:
    """Create courses and publish a new version of each course whose files changed; idempotent. A course
    published from the browser, or with a draft open there, is kept unless ``edits`` says to overwrite it
    (which also drops the draft)."""
    counts, edits = SyncCounts(), edits or BrowserEdits()
    lookup = item_lookup()
    courses = {c.code: c for c in db.session.scalars(select(Course).options(selectinload(Course.published_version)))}
    for spec in specs:
        course = courses.get(spec.code)
        if course is None:
            course = Course(code=spec.code, slug=spec.slug, tier=Tier(spec.tier))
            db.session.add(course)
            db.session.flush()
            counts.created += 1
        elif course.published_version is not None and course.published_version.content_hash == spec.content_hash:
            counts.unchanged += 1
            continue
        elif not edits.allows(f"course {spec.code}", _edited_in_browser(course)):
            counts.kept += 1
            continue
        else:
            counts.updated += 1
            _drop_draft(course)  # overwritten: the files' version replaces the browser's draft too
        course.slug, course.tier = spec.slug, Tier(spec.tier)
        version = build_version(course, spec.as_data(), VersionStatus.PUBLISHED, "file", None, lookup)
        publish_version(version, None)
    return counts


def _draft(course: Course) -> CourseVersion | None:
    return db.session.scalar(select(CourseVersion).where(CourseVersion.course_id == course.id,
                                                         CourseVersion.status == VersionStatus.DRAFT))


def _edited_in_browser(course: Course) -> bool:
    """Published from the browser, or a draft open in it (publishing it later would undo the files' change)."""
    published = course.published_version
    return (published is not None and published.source == "editor") or _draft(course) is not None


def _drop_draft(course: Course) -> None:
    if (draft := _draft(course)) is not None:
        db.session.delete(draft)
        db.session.flush()


def sync_paths(specs: list[PathSpec]) -> SyncCounts:
    """Create or replace the onboarding paths whose files changed; idempotent."""
    counts = SyncCounts()
    courses = dict(db.session.execute(select(Course.code, Course.id)).all())
    existing = {p.slug: p for p in db.session.scalars(select(OnboardingPath).options(selectinload(OnboardingPath.steps)))}
    for spec in specs:
        path = existing.get(spec.slug)
        if path is not None and path.content_hash == spec.content_hash:
            counts.unchanged += 1
            continue
        if path is None:
            path = OnboardingPath(slug=spec.slug)
            db.session.add(path)
            counts.created += 1
        else:
            counts.updated += 1
        path.title, path.description, path.new_hire_days = spec.title, spec.description, spec.new_hire_days
        path.content_hash = spec.content_hash
        path.session_steps = [{"template": s.template, "due_days": s.due_days} for s in spec.sessions]
        path.steps = [OnboardingStep(course_id=courses[s.code], position=i, due_days=s.due_days)
                      for i, s in enumerate(spec.steps, start=1)]
    db.session.flush()
    return counts
