"""Reading the catalogue: course cards by tier or ranked by a search, and the page of one course."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role, User
from lms.content.markdown import find_item_refs
from lms.courses.completion import completion_rule
from lms.courses.labels import COMPLETION_RULE_HINTS, RESUME_LABELS
from lms.courses.models import Course, CourseVersion, Enrolment, LessonVersion, Tier
from lms.courses.progress import (
    completed_lesson_counts,
    completed_lesson_ids,
    lesson_counts,
    percent_done,
    resume_action,
)
from lms.db import RowNotFound, db
from lms.exams.queries import best_results, course_exams
from lms.generations import cached_results
from lms.search.services import search
from lms.standards.services import centre_practice_codes

TIER_ORDER = [Tier.FOUNDATION, Tier.PROFESSIONAL, Tier.MANAGEMENT, Tier.DEVELOPMENT]


@dataclass
class CourseCard:
    course: Course
    version: CourseVersion
    lesson_count: int
    enrolment: Enrolment | None = None
    completed_lessons: int = 0
    matches: list = field(default_factory=list)  # search hits inside the course, best first

    @property
    def percent(self) -> int:
        return percent_done(self.enrolment, self.completed_lessons, self.lesson_count)


def _published_courses():
    return (select(Course, CourseVersion).join(CourseVersion, CourseVersion.id == Course.published_version_id)
            .order_by(Course.code))


def search_scores(q: str) -> tuple[dict[str, int], dict[str, list]]:
    """Relevance of each course for a query: its title counts most, then its description, then its
    lessons' titles and text. Returns scores and the matching hits per course code."""
    scores: dict[str, int] = defaultdict(int)
    hits: dict[str, list] = defaultdict(list)
    for hit in search(q, ("course", "lesson"), limit=300):
        code = hit.key.split("/")[0]
        if hit.kind == "course":
            scores[code] += 100 if hit.in_title else 20
        else:
            scores[code] += 10 if hit.in_title else 1
            hits[code].append(hit)
    for code in hits:
        hits[code].sort(key=lambda h: not h.in_title)
    return scores, hits


def read_catalogue(user: User, tier: str | None = None, audience: str | None = None,
                   q: str | None = None) -> dict[Tier, list[CourseCard]] | list[CourseCard]:
    """Published courses with the user's enrolment and progress: grouped by tier, or — for a search —
    one list ranked by relevance."""
    rows = db.session.execute(_published_courses()).all()
    scores, matches = search_scores(q) if q else ({}, {})
    if q:
        rows = [(c, v) for c, v in rows if c.code in scores]
    if tier:
        rows = [(c, v) for c, v in rows if c.tier == tier]
    if audience:
        rows = [(c, v) for c, v in rows if audience in v.audience]
    version_ids = [v.id for _c, v in rows]
    counts = lesson_counts(version_ids)
    enrolments = {e.course_id: e for e in db.session.scalars(
        select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id.in_([c.id for c, _v in rows])))}
    done = completed_lesson_counts(user.id, version_ids)
    cards = [CourseCard(course, version, counts.get(version.id, 0), enrolments.get(course.id),
                        done.get(version.id, 0), matches.get(course.code, [])[:2]) for course, version in rows]
    if q:
        cards.sort(key=lambda card: (-scores[card.course.code], card.course.code))
        return cards
    grouped: dict[Tier, list[CourseCard]] = {t: [] for t in TIER_ORDER}
    for card in cards:
        grouped[Tier(card.course.tier)].append(card)
    return grouped


def catalogue_html(user: User, form, tier: str | None, audience: str | None, q: str) -> Markup:
    """The catalogue page's content for this person and these filters (``form`` is the filter form, shown as
    asked), rendered. Built from content and the person's enrolments and progress, so it is kept per person
    and filters while no result changes (the results token), per language and minute."""
    from flask import render_template

    def build() -> Markup:
        found = read_catalogue(user, tier, audience, q)
        if q:
            context = {"results": found, "q": q, "filtered": True, "total": len(found)}
        else:
            context = {"grouped": found, "filtered": bool(tier or audience),
                       "total": sum(len(cards) for cards in found.values())}
        return Markup(render_template("courses/_catalogue.html", form=form, **context))

    asked = (form.q.data, form.tier.data, form.audience.data)
    return cached_results(("catalogue", user.id, *asked), build, "personal")


@dataclass(frozen=True)
class RenderedPage:
    title: str
    body: Markup


def course_page_html(user: User, code: str, calls: Callable[[int], list]) -> RenderedPage:
    """A course page as this person sees it, rendered (``calls`` gives the course's calls and written exercises). Built
    from content and the person's enrolment, lessons read and test results, so it is kept while no result
    changes (the results token), per person, language and minute; its enrol form's token belongs to the
    session, so the session's form token is part of the key. RowNotFound (404) for an unknown course."""
    from flask import render_template, session

    def build() -> RenderedPage:
        page = course_page(user, code)
        body = render_template("courses/_course.html", page=page, tests=course_tests(user, page.course),
                               practice=calls(page.course.id), centre_lessons=centre_practice_lessons(page.version))
        return RenderedPage(f"{page.course.code} {page.version.title}", Markup(body))

    return cached_results(("course", user.id, code, session.get("csrf_token")), build, "personal")


def cited_codes(lesson: LessonVersion) -> list[str]:
    """The standard items a lesson cites: its front matter's and those its text cites."""
    return list(lesson.standards) + find_item_refs(lesson.body_md)


def centre_practice_lessons(version: CourseVersion) -> set[int]:
    """Ids of the version's lessons citing an item that is centre practice (the standards document is silent
    there); one query."""
    cited = {lv.lesson_id: cited_codes(lv) for lv in version.lesson_versions}
    centre = set(centre_practice_codes([code for codes in cited.values() for code in codes]))
    return {lesson_id for lesson_id, codes in cited.items() if centre.intersection(codes)}


def get_published(code: str) -> tuple[Course, CourseVersion] | None:
    """The course with this code and its published version, lessons loaded; None if there is none."""
    row = db.session.execute(_published_courses().where(Course.code == code)
                             .options(selectinload(CourseVersion.lesson_versions)
                                      .selectinload(LessonVersion.lesson))).first()
    return (row[0], row[1]) if row else None


def course_choices() -> list[tuple[str, str]]:
    """Every published course as a (code, "code title") choice."""
    return [(c.code, f"{c.code} {v.title}") for c, v in db.session.execute(_published_courses()).all()]


@dataclass
class PrerequisiteStatus:
    code: str
    title: str
    done: bool


def prerequisite_status(user: User, version: CourseVersion) -> list[PrerequisiteStatus]:
    """Each prerequisite of the version and whether the user completed it."""
    codes = list(version.prerequisites)
    if not codes:
        return []
    rows = db.session.execute(
        select(Course.code, CourseVersion.title, Enrolment.completed_at)
        .join(CourseVersion, CourseVersion.id == Course.published_version_id)
        .outerjoin(Enrolment, (Enrolment.course_id == Course.id) & (Enrolment.user_id == user.id))
        .where(Course.code.in_(codes))).all()
    found = {code: PrerequisiteStatus(code, title, completed is not None) for code, title, completed in rows}
    return [found.get(code, PrerequisiteStatus(code, code, False)) for code in codes]


@dataclass
class CoursePage:
    course: Course
    version: CourseVersion
    enrolment: Enrolment | None
    completed_lesson_ids: set[int]
    prerequisites: list[PrerequisiteStatus]
    can_self_enrol: bool
    may_read: bool  # enrolled learners read lessons; staff may always preview

    @property
    def missing_prerequisites(self) -> list[PrerequisiteStatus]:
        return [p for p in self.prerequisites if not p.done]

    @property
    def locked(self) -> bool:
        """Self-enrolment waits for the prerequisites. An assigned or onboarding enrolment was a
        manager's or the path's decision: its lessons are open, with the prerequisites recommended."""
        return self.enrolment is None and bool(self.missing_prerequisites)

    @property
    def may_enrol(self) -> bool:
        """The page offers the Enrol button."""
        return self.enrolment is None and self.can_self_enrol and not self.locked

    @property
    def may_resume(self) -> bool:
        """The page offers the Start / Continue button."""
        return self.enrolment is not None and self.may_read and bool(self.version.lesson_versions)

    @property
    def action_label(self) -> str:
        return RESUME_LABELS[resume_action(self.enrolment, len(self.completed_lesson_ids))]

    @property
    def percent(self) -> int:
        return percent_done(self.enrolment, len(self.completed_lesson_ids), len(self.version.lesson_versions))

    def resume_lesson(self) -> LessonVersion | None:
        """Where the learner left off: the last lesson opened if unfinished, else the first unfinished."""
        lessons = self.version.lesson_versions
        if self.enrolment and self.enrolment.last_lesson_id:
            for lv in lessons:
                if lv.lesson_id == self.enrolment.last_lesson_id and lv.lesson_id not in self.completed_lesson_ids:
                    return lv
        return next((lv for lv in lessons if lv.lesson_id not in self.completed_lesson_ids), lessons[0] if lessons else None)

    def lesson(self, slug: str) -> LessonVersion | None:
        return next((lv for lv in self.version.lesson_versions if lv.lesson.slug == slug), None)


def find_course_page(user: User, code: str) -> CoursePage | None:
    """The course as this user sees it (enrolment, lessons read, prerequisites), or None."""
    found = get_published(code)
    if found is None:
        return None
    course, version = found
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id))
    done = completed_lesson_ids(user, [lv.lesson_id for lv in version.lesson_versions])
    can_self = version.self_enrol and any(role in user.roles for role in version.audience)
    may_read = enrolment is not None or user.has_role(Role.TRAINER, Role.MANAGER, Role.ADMIN)
    return CoursePage(course, version, enrolment, done, prerequisite_status(user, version), can_self, may_read)


def course_page(user: User, code: str) -> CoursePage:
    """The course as this user sees it; RowNotFound (404) when no published course has this code."""
    page = find_course_page(user, code)
    if page is None:
        raise RowNotFound(f"no published course {code}")
    return page


@dataclass
class CourseTests:
    """The tests of a course with the user's best result of each, and what completes the course."""

    rows: list[tuple]  # (exam, the user's best attempt or None)
    completion_rule: str

    @property
    def completion_hint(self) -> str | None:
        return COMPLETION_RULE_HINTS.get(self.completion_rule)


def course_tests(user: User, course: Course) -> CourseTests:
    """The course's tests and the user's best result in each."""
    exams = course_exams(course.id)
    best = best_results(user, [e.id for e in exams])
    return CourseTests([(exam, best.get(exam.id)) for exam in exams], completion_rule(e.kind for e in exams))
