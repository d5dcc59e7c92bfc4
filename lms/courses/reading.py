"""The lesson reader: the page of one lesson, marking a lesson read, remembering how far down the learner read."""

from dataclasses import dataclass

from flask import render_template, session
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from lms.accounts.models import User
from lms.courses.catalogue import CoursePage, cited_codes, course_page, find_course_page
from lms.courses.completion import complete_course_if_done
from lms.courses.models import LessonProgress, LessonVersion
from lms.db import RowNotFound, db, utcnow
from lms.errors import DomainError
from lms.generations import cached_results
from lms.standards.services import centre_practice_codes


@dataclass
class LessonPage:
    page: CoursePage
    lesson: LessonVersion
    index: int
    previous: LessonVersion | None
    next: LessonVersion | None
    centre_practice: list[str]  # cited items that are the centre's own practice, not the standards document's


def lesson_page(user: User, code: str, slug: str) -> LessonPage:
    """A lesson with its neighbours; RowNotFound (404) for an unknown lesson."""
    page = course_page(user, code)
    lesson = page.lesson(slug)
    if lesson is None:
        raise RowNotFound(f"no lesson {code}/{slug}")
    lessons = page.version.lesson_versions
    index = lessons.index(lesson)
    return LessonPage(page, lesson, index, lessons[index - 1] if index > 0 else None,
                      lessons[index + 1] if index + 1 < len(lessons) else None,
                      centre_practice_codes(cited_codes(lesson)))


@dataclass(frozen=True)
class RenderedLesson:
    title: str
    body: Markup
    lesson_id: int
    may_read: bool
    enrolled: bool


def lesson_page_html(user: User, code: str, slug: str) -> RenderedLesson:
    """A lesson as this person sees it, rendered. Kept while no result changes (the results token), per person,
    language and minute, like the course page, with the session's form token in the key (its forms carry one).
    How far the reader scrolled is not in it: saving that changes no result, and the page reads it apart
    (``lesson_position``). RowNotFound (404) for an unknown lesson."""

    def build() -> RenderedLesson:
        shown = lesson_page(user, code, slug)
        body = render_template("courses/_lesson.html", **vars(shown))
        return RenderedLesson(f"{shown.lesson.title} · {shown.page.course.code}", Markup(body),
                              shown.lesson.lesson_id, shown.page.may_read, shown.page.enrolment is not None)

    return cached_results(("lesson", user.id, code, slug, session.get("csrf_token")), build, "personal")


def _enrolled_page(user: User, code: str, slug: str) -> tuple[CoursePage, LessonVersion]:
    page = find_course_page(user, code)
    if page is None:
        raise DomainError(_("There is no such course."))
    lesson = page.lesson(slug)
    if lesson is None:
        raise DomainError(_("There is no such lesson."))
    if page.enrolment is None:
        raise DomainError(_("Enrol in the course to record your progress."))
    return page, lesson


def _progress_row(user: User, lesson_id: int) -> LessonProgress:
    row = db.session.scalar(select(LessonProgress).where(LessonProgress.user_id == user.id,
                                                         LessonProgress.lesson_id == lesson_id))
    if row is None:
        row = LessonProgress(user_id=user.id, lesson_id=lesson_id)
        db.session.add(row)
    return row


def complete_lesson(user: User, code: str, slug: str) -> tuple[CoursePage, LessonVersion | None]:
    """Mark a lesson read; return the course page and the next lesson (None at the end)."""
    page, lesson = _enrolled_page(user, code, slug)
    row = _progress_row(user, lesson.lesson_id)
    row.completed_at = row.completed_at or utcnow()
    row.position = 1.0
    page.enrolment.last_lesson_id = lesson.lesson_id
    db.session.flush()
    page.completed_lesson_ids.add(lesson.lesson_id)
    complete_course_if_done(user, page.course, page.version, page.enrolment)
    lessons = page.version.lesson_versions
    index = lessons.index(lesson)
    return page, (lessons[index + 1] if index + 1 < len(lessons) else None)


def save_position(user: User, code: str, slug: str, position: float) -> None:
    """Remember how far down a lesson the learner read (sent by the reader page as they scroll)."""
    if not 0.0 <= position <= 1.0:
        raise DomainError(_("The position must be between 0 and 1."))
    page, lesson = _enrolled_page(user, code, slug)
    row = _progress_row(user, lesson.lesson_id)
    row.position = max(row.position or 0.0, position) if row.completed_at else position
    page.enrolment.last_lesson_id = lesson.lesson_id
