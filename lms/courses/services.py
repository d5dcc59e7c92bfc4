"""The catalogue: syncing courses from files, publishing versions, enrolment, progress and paths."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role, Team, User
from lms.audit.services import record_event
from lms.content.files import content_hash
from lms.content.markdown import plain_text, render_markdown
from lms.courses.loader import CourseSpec, PathSpec
from lms.courses.models import (
    Course,
    CourseAssignment,
    CourseVersion,
    Enrolment,
    EnrolmentSource,
    Lesson,
    LessonProgress,
    LessonVersion,
    OnboardingPath,
    OnboardingStep,
    Tier,
    VersionStatus,
)
from lms.db import db, utcnow
from lms.errors import DomainError
from lms.search.services import IndexEntry, index_documents, remove_documents
from lms.standards.services import SyncCounts, item_lookup, replace_citations
from lms.timeutil import local_today
from lms.urls import path_for

TIER_ORDER = [Tier.FOUNDATION, Tier.PROFESSIONAL, Tier.MANAGEMENT, Tier.DEVELOPMENT]


# ---------------------------------------------------------------- versions and publishing


def version_data(version: CourseVersion) -> dict:
    """A version as the plain data its content hash is computed from (same shape as CourseSpec.as_data)."""
    return {"code": version.course.code, "title": version.title, "tier": str(version.course.tier),
            "summary": version.summary, "audience": list(version.audience),
            "duration_minutes": version.duration_minutes, "prerequisites": list(version.prerequisites),
            "standards": list(version.standards), "self_enrol": version.self_enrol,
            "description": version.description_md,
            "lessons": [{"slug": lv.lesson.slug, "position": lv.position, "title": lv.title, "minutes": lv.minutes,
                         "standards": list(lv.standards), "body": lv.body_md} for lv in version.lesson_versions]}


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
        standards=list(data["standards"]), content_hash=content_hash(data), source=source,
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


def sync_courses(specs: list[CourseSpec]) -> SyncCounts:
    """Create courses and publish a new version of each course whose files changed; idempotent."""
    counts = SyncCounts()
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
        else:
            counts.updated += 1
        course.slug, course.tier = spec.slug, Tier(spec.tier)
        version = build_version(course, spec.as_data(), VersionStatus.PUBLISHED, "file", None, lookup)
        publish_version(version, None)
    return counts


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


def sync_paths(specs: list[PathSpec]) -> SyncCounts:
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
        path.steps = [OnboardingStep(course_id=courses[s.code], position=i, due_days=s.due_days)
                      for i, s in enumerate(spec.steps, start=1)]
    db.session.flush()
    return counts


# ---------------------------------------------------------------- reading the catalogue


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
        if self.enrolment and self.enrolment.completed_at:
            return 100
        return round(100 * self.completed_lessons / self.lesson_count) if self.lesson_count else 0


def _published_courses():
    return (select(Course, CourseVersion).join(CourseVersion, CourseVersion.id == Course.published_version_id)
            .order_by(Course.code))


def _lesson_counts(version_ids: list[int]) -> dict[int, int]:
    if not version_ids:
        return {}
    return dict(db.session.execute(select(LessonVersion.course_version_id, func.count())
                                   .where(LessonVersion.course_version_id.in_(version_ids))
                                   .group_by(LessonVersion.course_version_id)).all())


def _completed_counts(user_id: int, version_ids: list[int]) -> dict[int, int]:
    """Lessons the user completed in each of the given versions (progress survives new versions)."""
    if not version_ids:
        return {}
    return dict(db.session.execute(
        select(LessonVersion.course_version_id, func.count())
        .join(LessonProgress, LessonProgress.lesson_id == LessonVersion.lesson_id)
        .where(LessonVersion.course_version_id.in_(version_ids), LessonProgress.user_id == user_id,
               LessonProgress.completed_at.is_not(None))
        .group_by(LessonVersion.course_version_id)).all())


def _search_scores(q: str) -> tuple[dict[str, int], dict[str, list]]:
    """Relevance of each course for a query: its title counts most, then its description, then its
    lessons' titles and text. Returns scores and the matching hits per course code."""
    from lms.search.services import search

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


def catalogue(user: User, tier: str | None = None, audience: str | None = None,
              q: str | None = None) -> dict[Tier, list[CourseCard]] | list[CourseCard]:
    """Published courses with the user's enrolment and progress: grouped by tier, or — for a search —
    one list ranked by relevance."""
    rows = db.session.execute(_published_courses()).all()
    scores, matches = _search_scores(q) if q else ({}, {})
    if q:
        rows = [(c, v) for c, v in rows if c.code in scores]
    if tier:
        rows = [(c, v) for c, v in rows if c.tier == tier]
    if audience:
        rows = [(c, v) for c, v in rows if audience in v.audience]
    version_ids = [v.id for _c, v in rows]
    counts = _lesson_counts(version_ids)
    enrolments = {e.course_id: e for e in db.session.scalars(
        select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id.in_([c.id for c, _v in rows])))}
    done = _completed_counts(user.id, version_ids)
    cards = [CourseCard(course, version, counts.get(version.id, 0), enrolments.get(course.id),
                        done.get(version.id, 0), matches.get(course.code, [])[:2]) for course, version in rows]
    if q:
        cards.sort(key=lambda card: (-scores[card.course.code], card.course.code))
        return cards
    grouped: dict[Tier, list[CourseCard]] = {t: [] for t in TIER_ORDER}
    for card in cards:
        grouped[Tier(card.course.tier)].append(card)
    return grouped


def get_published(code: str) -> tuple[Course, CourseVersion] | None:
    row = db.session.execute(_published_courses().where(Course.code == code)
                             .options(selectinload(CourseVersion.lesson_versions)
                                      .selectinload(LessonVersion.lesson))).first()
    return (row[0], row[1]) if row else None


@dataclass
class PrerequisiteStatus:
    code: str
    title: str
    done: bool


def prerequisite_status(user: User, version: CourseVersion) -> list[PrerequisiteStatus]:
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

    @property
    def missing_prerequisites(self) -> list[PrerequisiteStatus]:
        return [p for p in self.prerequisites if not p.done]

    @property
    def locked(self) -> bool:
        """Self-enrolment waits for the prerequisites. An assigned or onboarding enrolment was a
        manager's or the path's decision: its lessons are open, with the prerequisites recommended."""
        return self.enrolment is None and bool(self.missing_prerequisites)

    @property
    def percent(self) -> int:
        total = len(self.version.lesson_versions)
        if self.enrolment and self.enrolment.completed_at:
            return 100
        return round(100 * len(self.completed_lesson_ids) / total) if total else 0

    def resume_lesson(self) -> LessonVersion | None:
        """Where the learner left off: the last lesson opened if unfinished, else the first unfinished."""
        lessons = self.version.lesson_versions
        if self.enrolment and self.enrolment.last_lesson_id:
            for lv in lessons:
                if lv.lesson_id == self.enrolment.last_lesson_id and lv.lesson_id not in self.completed_lesson_ids:
                    return lv
        return next((lv for lv in lessons if lv.lesson_id not in self.completed_lesson_ids), lessons[0] if lessons else None)


def completed_lesson_ids(user: User, lesson_ids: list[int]) -> set[int]:
    if not lesson_ids:
        return set()
    return set(db.session.scalars(select(LessonProgress.lesson_id).where(
        LessonProgress.user_id == user.id, LessonProgress.lesson_id.in_(lesson_ids),
        LessonProgress.completed_at.is_not(None))))


def course_page(user: User, code: str) -> CoursePage | None:
    found = get_published(code)
    if found is None:
        return None
    course, version = found
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id))
    done = completed_lesson_ids(user, [lv.lesson_id for lv in version.lesson_versions])
    can_self = version.self_enrol and any(role in user.roles for role in version.audience)
    return CoursePage(course, version, enrolment, done, prerequisite_status(user, version), can_self)


def may_read(user: User, page: CoursePage) -> bool:
    """Enrolled learners read lessons; staff may always preview."""
    if user.has_role(Role.TRAINER, Role.MANAGER, Role.ADMIN):
        return True
    return page.enrolment is not None


# ---------------------------------------------------------------- enrolment and progress


def _prerequisite_message(missing: list[PrerequisiteStatus]) -> str:
    return _("Finish these courses first: %(courses)s.",
             courses="、".join(f"{p.code} {p.title}" for p in missing))


def enrol_self(user: User, code: str) -> Enrolment:
    page = course_page(user, code)
    if page is None:
        raise DomainError(_("There is no such course."))
    if page.enrolment is not None:
        return page.enrolment
    if not page.can_self_enrol:
        raise DomainError(_("This course is assigned by your manager or trainer; you cannot enrol yourself."))
    if page.missing_prerequisites:
        raise DomainError(_prerequisite_message(page.missing_prerequisites))
    enrolment = Enrolment(user_id=user.id, course_id=page.course.id, source=EnrolmentSource.SELF)
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def _enrol_many(course: Course, users: list[User], due: date | None, source: EnrolmentSource,
                actor: User | None, move_due: bool = True) -> int:
    """Enrol users (or, with ``move_due``, move their due date); return how many enrolments were
    created or changed."""
    existing = {e.user_id: e for e in db.session.scalars(
        select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id.in_([u.id for u in users])))}
    changed = 0
    for user in users:
        enrolment = existing.get(user.id)
        if enrolment is None:
            db.session.add(Enrolment(user_id=user.id, course_id=course.id, source=source, due_date=due,
                                     assigned_by_id=actor.id if actor else None))
            changed += 1
        elif move_due and enrolment.completed_at is None and due is not None and enrolment.due_date != due:
            enrolment.due_date = due
            enrolment.assigned_by_id = actor.id if actor else enrolment.assigned_by_id
            changed += 1
    db.session.flush()
    return changed


def assignable_users(actor: User, users: list[User]) -> list[User]:
    """Managers assign within their own teams; trainers and admins to anyone."""
    if actor.has_role(Role.TRAINER, Role.ADMIN):
        return users
    managed = {t.id for t in actor.managed_teams}
    return [u for u in users if u.team_id in managed]


def assign_course(actor: User, code: str, due: date | None, user_ids: list[int], team_ids: list[int]) -> int:
    """Assign a course to people and/or whole teams with a due date; return the number enrolled or updated."""
    found = get_published(code)
    if found is None:
        raise DomainError(_("There is no such course."), field="course")
    course, _version = found
    if due is not None and due < local_today():
        raise DomainError(_("The due date is in the past."), field="due_date")
    if not actor.has_role(Role.TRAINER, Role.ADMIN):
        managed = {t.id for t in actor.managed_teams}
        if any(t not in managed for t in team_ids):
            raise DomainError(_("You can only assign courses to your own teams."), field="teams")
    users = list(db.session.scalars(select(User).where(User.is_active.is_(True), User.id.in_(user_ids)))) if user_ids else []
    if team_ids:
        users += list(db.session.scalars(select(User).where(User.is_active.is_(True), User.team_id.in_(team_ids))))
    users = list({u.id: u for u in users}.values())
    allowed = assignable_users(actor, users)
    if len(allowed) != len(users):
        raise DomainError(_("You can only assign courses to members of your own teams."), field="people")
    if not users:
        raise DomainError(_("Choose at least one person or team."), field="people")
    changed = _enrol_many(course, users, due, EnrolmentSource.ASSIGNED, actor)
    for team_id in team_ids:
        db.session.add(CourseAssignment(course_id=course.id, team_id=team_id, due_date=due, assigned_by_id=actor.id,
                                        enrolled_count=changed))
    for user_id in user_ids:
        db.session.add(CourseAssignment(course_id=course.id, user_id=user_id, due_date=due, assigned_by_id=actor.id,
                                        enrolled_count=1))
    record_event("course.assigned", "course", course.id, summary=f"{course.code} → {len(users)}",
                 after={"due_date": due, "users": sorted(u.employee_no for u in users), "teams": sorted(team_ids)})
    return changed


def _required_exams_passed(user: User, course: Course) -> bool:
    """A course with quizzes or a post-test is complete only when each of them is passed."""
    from lms.exams.models import Attempt, Exam, ExamKind

    required = list(db.session.scalars(select(Exam.id).where(
        Exam.course_id == course.id, Exam.kind.in_([ExamKind.QUIZ, ExamKind.POST_TEST]))))
    if not required:
        return True
    passed = set(db.session.scalars(select(Attempt.exam_id).where(
        Attempt.user_id == user.id, Attempt.exam_id.in_(required), Attempt.passed.is_(True))))
    return passed == set(required)


def _recompute_completion(user: User, course: Course, version: CourseVersion, enrolment: Enrolment) -> None:
    lesson_ids = [lv.lesson_id for lv in version.lesson_versions]
    if (enrolment.completed_at is None and lesson_ids and completed_lesson_ids(user, lesson_ids) == set(lesson_ids)
            and _required_exams_passed(user, course)):
        enrolment.completed_at = utcnow()
        record_event("course.completed", "enrolment", enrolment.id, summary=f"{user.employee_no} {course.code}",
                     actor=user)


def on_attempt_graded(attempt, **_extra) -> None:
    """Results feed course completion: passing the last required test completes the course."""
    exam = attempt.exam
    if exam.course_id is None or not attempt.passed:
        return
    found = db.session.execute(select(Course, CourseVersion).join(
        CourseVersion, CourseVersion.id == Course.published_version_id).where(Course.id == exam.course_id)
        .options(selectinload(CourseVersion.lesson_versions))).first()
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == attempt.user_id,
                                                          Enrolment.course_id == exam.course_id))
    if found and enrolment:
        _recompute_completion(attempt.user, found[0], found[1], enrolment)


def _progress_row(user: User, lesson_id: int) -> LessonProgress:
    row = db.session.scalar(select(LessonProgress).where(LessonProgress.user_id == user.id,
                                                         LessonProgress.lesson_id == lesson_id))
    if row is None:
        row = LessonProgress(user_id=user.id, lesson_id=lesson_id)
        db.session.add(row)
    return row


def _enrolled_page(user: User, code: str, slug: str) -> tuple[CoursePage, LessonVersion]:
    page = course_page(user, code)
    if page is None:
        raise DomainError(_("There is no such course."))
    lesson = next((lv for lv in page.version.lesson_versions if lv.lesson.slug == slug), None)
    if lesson is None:
        raise DomainError(_("There is no such lesson."))
    if page.enrolment is None:
        raise DomainError(_("Enrol in the course to record your progress."))
    return page, lesson


def complete_lesson(user: User, code: str, slug: str) -> tuple[CoursePage, LessonVersion | None]:
    """Mark a lesson read; return the course page and the next lesson (None at the end)."""
    page, lesson = _enrolled_page(user, code, slug)
    row = _progress_row(user, lesson.lesson_id)
    row.completed_at = row.completed_at or utcnow()
    row.position = 1.0
    page.enrolment.last_lesson_id = lesson.lesson_id
    db.session.flush()
    page.completed_lesson_ids.add(lesson.lesson_id)
    _recompute_completion(user, page.course, page.version, page.enrolment)
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


def lesson_position(user: User, lesson_id: int) -> float:
    return db.session.scalar(select(LessonProgress.position).where(
        LessonProgress.user_id == user.id, LessonProgress.lesson_id == lesson_id)) or 0.0


# ---------------------------------------------------------------- the learner's own list


@dataclass
class MyCourse:
    enrolment: Enrolment
    version: CourseVersion
    lesson_count: int
    completed_lessons: int
    overdue: bool

    @property
    def percent(self) -> int:
        if self.enrolment.completed_at:
            return 100
        return round(100 * self.completed_lessons / self.lesson_count) if self.lesson_count else 0


def my_courses(user: User) -> list[MyCourse]:
    """The user's enrolments, soonest due first, with progress — a fixed number of queries."""
    rows = db.session.execute(
        select(Enrolment, CourseVersion).join(Course, Course.id == Enrolment.course_id)
        .join(CourseVersion, CourseVersion.id == Course.published_version_id)
        .where(Enrolment.user_id == user.id).options(selectinload(Enrolment.course))).all()
    version_ids = [v.id for _e, v in rows]
    counts, done = _lesson_counts(version_ids), _completed_counts(user.id, version_ids)
    today = local_today()
    result = [MyCourse(e, v, counts.get(v.id, 0), done.get(v.id, 0), e.is_overdue(today)) for e, v in rows]
    result.sort(key=lambda m: (m.enrolment.completed_at is not None, m.enrolment.due_date or date.max,
                               m.enrolment.course.code))
    return result


# ---------------------------------------------------------------- onboarding


def apply_onboarding(users: list[User], today: date | None = None) -> int:
    """Enrol recently hired learners in every onboarding path, due relative to their hire date."""
    today = today or local_today()
    paths = list(db.session.scalars(select(OnboardingPath).options(
        selectinload(OnboardingPath.steps).selectinload(OnboardingStep.course))))
    created = 0
    for path in paths:
        newcomers = [u for u in users if u.is_active and u.hire_date and Role.LEARNER in u.roles
                     and (today - u.hire_date).days <= path.new_hire_days]
        if not newcomers:
            continue
        for step in path.steps:
            by_due: dict[date, list[User]] = defaultdict(list)
            for user in newcomers:
                by_due[user.hire_date + timedelta(days=step.due_days)].append(user)
            for due, group in by_due.items():
                # Never move a due date someone has already set; only add what is missing.
                created += _enrol_many(step.course, group, due, EnrolmentSource.ONBOARDING, None, move_due=False)
    return created


def on_users_created(_sender, users, **_extra) -> None:
    apply_onboarding(users)


def recent_hires(days: int = 365) -> list[User]:
    since = local_today() - timedelta(days=days)
    return list(db.session.scalars(select(User).where(User.hire_date >= since, User.is_active.is_(True))))


# ---------------------------------------------------------------- managers


@dataclass
class MemberProgress:
    user: User
    courses: list[MyCourse] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for c in self.courses if c.overdue)

    @property
    def completed(self) -> int:
        return sum(1 for c in self.courses if c.enrolment.completed_at)


def team_progress(team: Team) -> list[MemberProgress]:
    """Each active member of a team with their enrolments and progress, in a fixed number of queries."""
    members = list(db.session.scalars(select(User).where(User.team_id == team.id, User.is_active.is_(True))
                                      .order_by(User.employee_no)))
    member_ids = [m.id for m in members]
    rows = db.session.execute(
        select(Enrolment, CourseVersion).join(Course, Course.id == Enrolment.course_id)
        .join(CourseVersion, CourseVersion.id == Course.published_version_id)
        .where(Enrolment.user_id.in_(member_ids)).options(selectinload(Enrolment.course))).all() if member_ids else []
    version_ids = list({v.id for _e, v in rows})
    counts = _lesson_counts(version_ids)
    done_rows = db.session.execute(
        select(LessonProgress.user_id, LessonVersion.course_version_id, func.count())
        .join(LessonVersion, LessonVersion.lesson_id == LessonProgress.lesson_id)
        .where(LessonProgress.user_id.in_(member_ids), LessonVersion.course_version_id.in_(version_ids),
               LessonProgress.completed_at.is_not(None))
        .group_by(LessonProgress.user_id, LessonVersion.course_version_id)).all() if version_ids else []
    done = {(u, v): n for u, v, n in done_rows}
    today = local_today()
    by_user = {m.id: MemberProgress(m) for m in members}
    for enrolment, version in rows:
        by_user[enrolment.user_id].courses.append(MyCourse(
            enrolment, version, counts.get(version.id, 0), done.get((enrolment.user_id, version.id), 0),
            enrolment.is_overdue(today)))
    for member in by_user.values():
        member.courses.sort(key=lambda m: (m.enrolment.completed_at is not None, m.enrolment.due_date or date.max))
    return list(by_user.values())


def managed_teams(user: User) -> list[Team]:
    if user.has_role(Role.ADMIN, Role.TRAINER):
        return list(db.session.scalars(select(Team).order_by(Team.name)))
    return sorted(user.managed_teams, key=lambda t: t.name)


def course_choices() -> list[tuple[str, str]]:
    return [(c.code, f"{c.code} {v.title}") for c, v in db.session.execute(_published_courses()).all()]
