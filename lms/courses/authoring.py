"""Trainer authoring in the browser: a course's draft version, its lessons, preview and publishing.

Drafts are the only mutable versions. Publishing freezes the draft into the version learners read.
"""

import re

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.conflicts import as_text, check_based_on, fingerprint
from lms.content.files import SLUG, content_hash
from lms.content.markdown import find_item_refs, render_markdown
from lms.courses.loader import CODE
from lms.courses.models import Course, CourseVersion, Lesson, LessonVersion, Tier, VersionStatus
from lms.courses.versions import build_version, publish_version, version_data
from lms.db import RowNotFound, db
from lms.errors import DomainError
from lms.standards.models import StandardItem
from lms.standards.services import item_lookup

ITEM_CODE = re.compile(r"^\d+(?:\.\d+)*-[a-z]$")


def authoring_overview() -> list[tuple[Course, CourseVersion | None, CourseVersion | None]]:
    """Every course with its published version and its draft, if any."""
    courses = list(db.session.scalars(select(Course).options(selectinload(Course.published_version))
                                      .order_by(Course.code)))
    drafts = {v.course_id: v for v in db.session.scalars(
        select(CourseVersion).where(CourseVersion.status == VersionStatus.DRAFT))}
    return [(c, c.published_version, drafts.get(c.id)) for c in courses]


def get_course(code: str) -> Course:
    """The course with this code, published or not; RowNotFound (404) if there is none."""
    course = db.session.scalar(select(Course).where(Course.code == code))
    if course is None:
        raise RowNotFound(f"no course {code}")
    return course


def get_draft(course: Course) -> CourseVersion | None:
    return db.session.scalar(select(CourseVersion).where(
        CourseVersion.course_id == course.id, CourseVersion.status == VersionStatus.DRAFT)
        .options(selectinload(CourseVersion.lesson_versions).selectinload(LessonVersion.lesson)))


def lesson_in_editor(course: Course, slug: str | None) -> tuple[CourseVersion | None, LessonVersion | None]:
    """The course's draft (if any) and the lesson to edit, from the draft else the published version
    (None for a new lesson); RowNotFound (404) for an unknown lesson."""
    draft = get_draft(course)
    if slug is None:
        return draft, None
    lesson = _find_lesson(draft or course.published_version, slug)
    if lesson is None:
        raise RowNotFound(f"no lesson {course.code}/{slug}")
    return draft, lesson


def _find_lesson(version: CourseVersion, slug: str) -> LessonVersion | None:
    return next((lv for lv in version.lesson_versions if lv.lesson.slug == slug), None)


def open_draft(course: Course, actor: User) -> CourseVersion:
    """The course's draft, started as a copy of the published version when there is none."""
    draft = get_draft(course)
    if draft is not None:
        return draft
    if course.published_version is None:
        raise DomainError(_("This course has neither a draft nor a published version."))
    draft = build_version(course, version_data(course.published_version), VersionStatus.DRAFT, "editor", actor)
    record_event("course.draft_started", "course", course.id, summary=f"{course.code} v{draft.number}", actor=actor)
    return draft


def check_item_codes(codes: list[str], field: str) -> list[str]:
    clean = [c.strip() for c in codes if c.strip()]
    bad = [c for c in clean if not ITEM_CODE.match(c)]
    known = set(db.session.scalars(select(StandardItem.code).where(StandardItem.code.in_(clean)))) if clean else set()
    unknown = [c for c in clean if c not in known and c not in bad]
    if bad or unknown:
        raise DomainError(_("Unknown standard items: %(codes)s.", codes="、".join(bad + unknown)), field=field)
    return list(dict.fromkeys(clean))


def create_course(actor: User, code: str, slug: str, tier: str, title: str, summary: str) -> Course:
    code, slug = code.strip().upper(), slug.strip().lower()
    if not CODE.match(code):
        raise DomainError(_("Use a code like PRO-210."), field="code")
    if not SLUG.match(slug):
        raise DomainError(_("Use lowercase letters, digits and dashes."), field="slug")
    if db.session.scalar(select(Course).where((Course.code == code) | (Course.slug == slug))):
        raise DomainError(_("A course with this code or folder name exists."), field="code")
    course = Course(code=code, slug=slug, tier=Tier(tier))
    db.session.add(course)
    db.session.flush()
    build_version(course, {"title": title, "summary": summary, "description": "", "duration_minutes": 30,
                           "self_enrol": True, "audience": ["learner"], "prerequisites": [], "standards": [],
                           "lessons": []}, VersionStatus.DRAFT, "editor", actor)
    record_event("course.created", "course", course.id, summary=code, actor=actor)
    return course


def course_details(version: CourseVersion) -> dict:
    """The course's own details as a version holds them (what its editor shows and compares)."""
    return {"title": version.title, "tier": str(version.course.tier), "summary": version.summary,
            "duration": version.duration_minutes, "audience": ", ".join(version.audience),
            "prerequisites": ", ".join(version.prerequisites), "standards": ", ".join(version.standards),
            "self_enrol": version.self_enrol, "description": version.description_md}


def lesson_details(lesson: LessonVersion) -> dict:
    """A lesson as its editor shows and compares it."""
    return {"title": lesson.title, "minutes": lesson.minutes, "standards": ", ".join(lesson.standards),
            "body": lesson.body_md}


def editing_fingerprint(details: dict) -> str:
    return fingerprint(details)


def update_draft(draft: CourseVersion, *, title: str, summary: str, description: str, duration: int,
                 audience: list[str], prerequisites: list[str], standards: list[str], self_enrol: bool,
                 tier: str, based_on: str | None = None) -> None:
    """Save the course's details in its draft. ``based_on`` (from the editor) must be the fingerprint of
    the details it was filled from: someone else's save since is refused (lms.conflicts)."""
    if based_on is not None:
        saved = course_details(draft)
        yours = {"title": title, "tier": tier, "summary": summary, "duration": duration,
                 "audience": ", ".join(audience), "prerequisites": ", ".join(prerequisites),
                 "standards": ", ".join(standards), "self_enrol": self_enrol, "description": description}
        check_based_on(based_on, saved, as_text(saved), as_text(yours))
    prerequisites = [p.strip().upper() for p in prerequisites if p.strip()]
    known = set(db.session.scalars(select(Course.code).where(Course.code.in_(prerequisites)))) if prerequisites else set()
    unknown = [p for p in prerequisites if p not in known or p == draft.course.code]
    if unknown:
        raise DomainError(_("Unknown or invalid prerequisite courses: %(codes)s.", codes="、".join(unknown)),
                          field="prerequisites")
    draft.standards = check_item_codes(standards, "standards")
    draft.title, draft.summary, draft.duration_minutes = title.strip(), summary.strip(), duration
    draft.description_md = description
    draft.description_html = render_markdown(description, item_lookup())
    draft.audience, draft.prerequisites, draft.self_enrol = list(audience), prerequisites, self_enrol
    draft.course.tier = Tier(tier)


def save_lesson(draft: CourseVersion, slug: str | None, *, new_slug: str, title: str, minutes: int,
                standards: list[str], body: str, based_on: str | None = None) -> LessonVersion:
    """Create or edit a lesson of the draft; [[item]] citations must name existing items. ``based_on``
    (from the editor) is the fingerprint of the lesson it was filled from: a save over someone else's
    since is refused (lms.conflicts)."""
    if slug is not None and based_on is not None and (current := _find_lesson(draft, slug)) is not None:
        saved = lesson_details(current)
        yours = {"title": title, "minutes": minutes, "standards": ", ".join(standards), "body": body}
        check_based_on(based_on, saved, as_text(saved), as_text(yours))
    cited = check_item_codes(standards, "standards")
    if not cited:
        raise DomainError(_("Cite at least one standard item this lesson teaches."), field="standards")
    check_item_codes(find_item_refs(body), "body")
    html = render_markdown(body, item_lookup())
    if slug is None:
        new_slug = new_slug.strip().lower()
        if not SLUG.match(new_slug):
            raise DomainError(_("Use lowercase letters, digits and dashes."), field="slug")
        if any(lv.lesson.slug == new_slug for lv in draft.lesson_versions):
            raise DomainError(_("This course already has a lesson with that name."), field="slug")
        lesson = db.session.scalar(select(Lesson).where(Lesson.course_id == draft.course_id, Lesson.slug == new_slug))
        if lesson is None:
            lesson = Lesson(course_id=draft.course_id, slug=new_slug)
            db.session.add(lesson)
        lv = LessonVersion(lesson=lesson, position=len(draft.lesson_versions) + 1, title="", minutes=1, body_md="",
                           body_html="")
        draft.lesson_versions.append(lv)
    else:
        lv = _find_lesson(draft, slug)
        if lv is None:
            raise DomainError(_("There is no such lesson."))
    lv.title, lv.minutes, lv.standards, lv.body_md, lv.body_html = title.strip(), minutes, cited, body, html
    db.session.flush()
    return lv


def remove_lesson(draft: CourseVersion, slug: str) -> None:
    lv = _find_lesson(draft, slug)
    if lv is None:
        raise DomainError(_("There is no such lesson."))
    draft.lesson_versions.remove(lv)
    for position, other in enumerate(draft.lesson_versions, start=1):
        other.position = position
    db.session.flush()


def move_lesson(draft: CourseVersion, slug: str, offset: int) -> None:
    lessons = list(draft.lesson_versions)
    index = next((i for i, x in enumerate(lessons) if x.lesson.slug == slug), None)
    if index is None:
        raise DomainError(_("There is no such lesson."))
    target = index + offset
    if 0 <= target < len(lessons):
        lessons[index], lessons[target] = lessons[target], lessons[index]
        for position, lv in enumerate(lessons, start=1):
            lv.position = position
        db.session.flush()
        db.session.expire(draft, ["lesson_versions"])


def publish_draft(course: Course, actor: User) -> CourseVersion:
    draft = get_draft(course)
    if draft is None:
        raise DomainError(_("There is no draft to publish."))
    if not draft.lesson_versions:
        raise DomainError(_("Add at least one lesson before publishing."))
    data = version_data(draft)
    draft.content_hash = content_hash(data)
    if course.published_version is not None and course.published_version.content_hash == draft.content_hash:
        raise DomainError(_("The draft is the same as the published version; change something first."))
    publish_version(draft, actor)
    return draft


def discard_draft(course: Course, actor: User) -> None:
    draft = get_draft(course)
    if draft is None:
        return
    if course.published_version is None:
        raise DomainError(_("A course that was never published keeps its draft; edit it instead."))
    db.session.delete(draft)
    record_event("course.draft_discarded", "course", course.id, summary=course.code, actor=actor)


def preview(markdown_text: str) -> str:
    """Render Markdown exactly as learners would see it (sanitised)."""
    return render_markdown(markdown_text[:200000], item_lookup())
