"""Course versions: building one from plain data, publishing it, and re-rendering the published ones.

A published version is never edited: publishing supersedes the previous one, and the search index and
the standards' citations follow the version learners read.
"""

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.content.files import content_hash
from lms.content.markdown import plain_text, render_markdown
from lms.courses.models import Course, CourseVersion, Lesson, LessonVersion, VersionStatus
from lms.db import db, utcnow
from lms.search.services import IndexEntry, index_documents, remove_documents
from lms.standards.services import item_lookup, replace_citations
from lms.urls import path_for


def version_data(version: CourseVersion) -> dict:
    """A version as the plain data its content hash is computed from (same shape as CourseSpec.as_data)."""
    data = {"code": version.course.code, "title": version.title, "tier": str(version.course.tier),
            "summary": version.summary, "audience": list(version.audience),
            "duration_minutes": version.duration_minutes, "prerequisites": list(version.prerequisites),
            "standards": list(version.standards), "self_enrol": version.self_enrol,
            "description": version.description_md,
            "lessons": [{"slug": lv.lesson.slug, "position": lv.position, "title": lv.title, "minutes": lv.minutes,
                         "standards": list(lv.standards), "body": lv.body_md} for lv in version.lesson_versions]}
    if version.requires_session:
        data["requires_session"] = True
    return data


def _next_number(course: Course) -> int:
    return (db.session.scalar(select(func.max(CourseVersion.number)).where(CourseVersion.course_id == course.id))
            or 0) + 1


def _lesson_for(course: Course, slug: str, cache: dict) -> Lesson:
    if slug not in cache:
        lesson = Lesson(course_id=course.id, slug=slug)
        db.session.add(lesson)
        db.session.flush()
        cache[slug] = lesson
    return cache[slug]


def build_version(course: Course, data: dict, status: VersionStatus, source: str, actor: User | None,
                  lookup=None) -> CourseVersion:
    """Create a new version of ``course`` holding ``data`` (the CourseSpec.as_data shape)."""
    lookup = lookup or item_lookup()
    version = CourseVersion(
        course_id=course.id, number=_next_number(course), status=status, title=data["title"],
        summary=data["summary"], description_md=data["description"],
        description_html=render_markdown(data["description"], lookup), duration_minutes=data["duration_minutes"],
        self_enrol=data["self_enrol"], audience=list(data["audience"]), prerequisites=list(data["prerequisites"]),
        standards=list(data["standards"]), requires_session=data.get("requires_session", False),
        content_hash=content_hash(data), source=source,
        created_by_id=actor.id if actor else None)
    version.course = course
    db.session.add(version)
    cache = {lesson.slug: lesson for lesson in db.session.scalars(select(Lesson).where(Lesson.course_id == course.id))}
    for position, lesson_data in enumerate(data["lessons"], start=1):
        lesson = _lesson_for(course, lesson_data["slug"], cache)
        version.lesson_versions.append(LessonVersion(
            lesson=lesson, position=position, title=lesson_data["title"], minutes=lesson_data["minutes"],
            body_md=lesson_data["body"], body_html=render_markdown(lesson_data["body"], lookup),
            standards=list(lesson_data["standards"])))
    db.session.flush()
    return version


def publish_version(version: CourseVersion, actor: User | None) -> None:
    """Make ``version`` the one learners read; the previous one is kept, superseded, never edited."""
    course = version.course
    previous = course.published_version
    if previous is not None and previous.id != version.id:
        previous.status = VersionStatus.SUPERSEDED
    version.status = VersionStatus.PUBLISHED
    version.published_at = utcnow()
    version.published_by_id = actor.id if actor else None
    course.published_version = version
    db.session.flush()
    _refresh_course_index(course, version)
    record_event("course.published", "course", course.id, summary=f"{course.code} v{version.number}",
                 after={"version": version.number, "source": version.source}, actor=actor)


def _refresh_course_index(course: Course, version: CourseVersion) -> None:
    """Citations and search entries follow the published version."""
    lesson_rows = []
    entries = [IndexEntry("course", course.code, f"{course.code} {version.title}",
                          version.summary + " " + plain_text(version.description_md))]
    lesson_ids = [lesson.id for lesson in db.session.scalars(select(Lesson).where(Lesson.course_id == course.id))]
    for lv in version.lesson_versions:
        cited = list(dict.fromkeys(list(lv.standards)))
        link = path_for("courses.lesson", code=course.code, slug=lv.lesson.slug)
        lesson_rows.append((lv.lesson_id, f"{course.code} · {lv.title}", link, cited))
        entries.append(IndexEntry("lesson", f"{course.code}/{lv.lesson.slug}", lv.title, plain_text(lv.body_md)))
    replace_citations("lesson", lesson_ids, lesson_rows)
    current = {f"{course.code}/{lv.lesson.slug}" for lv in version.lesson_versions}
    stale = [f"{course.code}/{slug}" for slug in db.session.scalars(select(Lesson.slug).where(Lesson.course_id == course.id))
             if f"{course.code}/{slug}" not in current]
    remove_documents("lesson", stale)
    index_documents(entries)


def rerender_published(codes_changed: list[str]) -> None:
    """Refresh derived HTML of published versions after item titles changed (hover texts)."""
    if not codes_changed:
        return
    lookup = item_lookup()
    for version in db.session.scalars(select(CourseVersion).where(CourseVersion.status == VersionStatus.PUBLISHED)
                                      .options(selectinload(CourseVersion.lesson_versions))):
        version.description_html = render_markdown(version.description_md, lookup)
        for lv in version.lesson_versions:
            lv.body_html = render_markdown(lv.body_md, lookup)
