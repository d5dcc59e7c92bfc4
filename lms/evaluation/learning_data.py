"""Level 2's evidence read from the exams domain for a report scope, in a fixed number of statements:
each course's pre-test and post-test, each learner's graded results on them, and the standard items of
the questions in each learner's best post-test."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Float, Integer, and_, case, func, literal, null, select, union_all

from lms.accounts.models import User
from lms.courses.models import Course, CourseVersion
from lms.db import db
from lms.evaluation.learning import MAX_PERCENT, CohortSums, LearnerTests, PostAttempt, same_blueprint
from lms.evaluation.report_sections import ReportScope
from lms.evaluation.reports import scope_course_ids, scope_user_ids, scope_window
from lms.exams.models import (
    Attempt,
    AttemptQuestion,
    AttemptStatus,
    Exam,
    ExamKind,
    ExamVersion,
    QuestionVersion,
)


@dataclass(frozen=True)
class CourseTests:
    course_id: int
    code: str
    title: str
    pre_exam_id: int | None
    post_exam_id: int | None
    same_blueprint: bool | None  # None unless the course has both tests


@dataclass
class _Taken:
    pre: tuple[datetime, float] | None = None  # the first graded pre-test
    posts: list[tuple[int, int, float, bool, datetime]] = field(default_factory=list)  # id, number, %, passed, at


@dataclass(frozen=True)
class LearnerResult:
    course_id: int
    user_id: int
    tests: LearnerTests
    best_post_id: int | None


def course_tests(scope: ReportScope) -> list[CourseTests]:
    query = (select(Exam.id, Exam.kind, Exam.slug, Exam.pair_slug, Exam.course_id, ExamVersion.sections, Course.code,
                    CourseVersion.title)
             .join(ExamVersion, ExamVersion.id == Exam.current_version_id)
             .join(Course, Course.id == Exam.course_id)
             .join(CourseVersion, CourseVersion.id == Course.published_version_id)
             .where(Exam.kind.in_([ExamKind.PRE_TEST, ExamKind.POST_TEST])).order_by(Course.code, Exam.slug))
    courses = scope_course_ids(scope)
    if courses is not None:
        query = query.where(Exam.course_id.in_(courses))
    found: dict[int, dict] = {}
    for exam_id, kind, slug, pair, course_id, sections, code, title in db.session.execute(query):
        entry = found.setdefault(course_id, {"code": code, "title": title, "pre": {}, "post": None})
        if kind == ExamKind.PRE_TEST:
            entry["pre"][slug] = (exam_id, sections)
        elif entry["post"] is None:
            entry["post"] = (exam_id, pair, sections)
    return [_pair(course_id, entry) for course_id, entry in found.items()]


def _pair(course_id: int, entry: dict) -> CourseTests:
    post = entry["post"]
    pre = (entry["pre"].get(post[1]) if post and post[1] else None) or next(iter(entry["pre"].values()), None)
    return CourseTests(course_id, entry["code"], entry["title"], pre[0] if pre else None, post[0] if post else None,
                       same_blueprint(pre[1], post[2]) if pre and post else None)


def _in_window(at: datetime | None, start: datetime | None, end: datetime | None) -> bool:
    return at is not None and (start is None or at >= start) and (end is None or at < end)


def learner_results(scope: ReportScope, courses: list[CourseTests], user_id: int | None = None) -> list[LearnerResult]:
    """Each learner's results per course (or one learner's): the first graded pre-test and every graded
    post-test up to the end of the scope's dates; only learners who took one of the tests within them."""
    exam_course = {c.pre_exam_id: (c.course_id, "pre") for c in courses if c.pre_exam_id}
    exam_course |= {c.post_exam_id: (c.course_id, "post") for c in courses if c.post_exam_id}
    if not exam_course:
        return []
    # Graded attempts are picked out here, not in SQL: a status condition made SQLite read every graded
    # attempt through the status index instead of the scope's people through (user_id, exam_id).
    query = (select(Attempt.id, Attempt.user_id, Attempt.exam_id, Attempt.number, Attempt.percent, Attempt.passed,
                    Attempt.graded_at, Attempt.status)
             .where(Attempt.exam_id.in_(list(exam_course))).order_by(Attempt.number))
    users = scope_user_ids(scope)
    if users is not None:
        query = query.where(Attempt.user_id.in_(users))
    if user_id is not None:
        query = query.where(Attempt.user_id == user_id)
    start, end = scope_window(scope)
    taken: dict[tuple[int, int], _Taken] = defaultdict(_Taken)
    recent: set[tuple[int, int]] = set()
    for attempt_id, user_id, exam_id, number, percent, passed, at, status in db.session.execute(query):
        if status != AttemptStatus.GRADED or percent is None or (end is not None and at is not None and at >= end):
            continue
        course_id, which = exam_course[exam_id]
        entry = taken[(course_id, user_id)]
        if which == "pre":
            entry.pre = entry.pre or (at, percent)
        else:
            entry.posts.append((attempt_id, number, percent, bool(passed), at))
        if _in_window(at, start, end):
            recent.add((course_id, user_id))
    return [_result(key, entry) for key, entry in sorted(taken.items()) if key in recent]


def _result(key: tuple[int, int], entry: _Taken) -> LearnerResult:
    course_id, user_id = key
    best = max(entry.posts, key=lambda p: (p[2], p[1]), default=None)
    tests = LearnerTests(user_id, entry.pre[1] if entry.pre else None,
                         tuple(PostAttempt(number, percent, passed) for _i, number, percent, passed, _at in entry.posts))
    return LearnerResult(course_id, user_id, tests, best[0] if best else None)


def item_answers(results: list[LearnerResult], course: CourseTests) -> list[tuple[int, str, bool]]:
    """(learner, standard item, fully right) for every question of each learner's best post-test."""
    best = {r.best_post_id for r in results if r.course_id == course.course_id and r.best_post_id}
    if not best or course.post_exam_id is None:
        return []
    rows = db.session.execute(
        select(AttemptQuestion.attempt_id, Attempt.user_id, QuestionVersion.standards, AttemptQuestion.score,
               AttemptQuestion.points)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .where(Attempt.exam_id == course.post_exam_id, Attempt.status == AttemptStatus.GRADED))
    return [(user_id, item, score is not None and score >= points - 1e-9)
            for attempt_id, user_id, standards, score, points in rows if attempt_id in best
            for item in (standards or [])]


def people(user_ids: set[int]) -> dict[int, User]:
    if not user_ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(sorted(user_ids))))}


def cohort_sums_by_course(scope: ReportScope, courses: list[CourseTests]) -> dict[int, CohortSums]:
    """Each course's cohort added up by the database in one statement, for reports over many learners
    (programmes, cohorts, periods): the same definitions as ``learner_results`` + ``cohort_gain``."""
    pre_exams = [c.pre_exam_id for c in courses if c.pre_exam_id]
    post_exams = [c.post_exam_id for c in courses if c.post_exam_id]
    if not pre_exams and not post_exams:
        return {}
    start, end = scope_window(scope)
    graded = [Attempt.status == AttemptStatus.GRADED, Attempt.percent.is_not(None)]
    if end is not None:
        graded.append(Attempt.graded_at < end)
    users = scope_user_ids(scope)
    if users is not None:
        graded.append(Attempt.user_id.in_(users))
    per_learner = _per_learner(pre_exams, post_exams, graded, start)
    paired = and_(per_learner.c.pre.is_not(None), per_learner.c.post.is_not(None))
    defined = and_(paired, per_learner.c.pre < MAX_PERCENT)
    rows = db.session.execute(select(
        per_learner.c.course_id, func.count(), func.sum(case((paired, 1), else_=0)),
        func.sum(case((paired, per_learner.c.pre), else_=0)), func.sum(case((paired, per_learner.c.post), else_=0)),
        func.sum(case((defined, (per_learner.c.post - per_learner.c.pre) / (MAX_PERCENT - per_learner.c.pre)),
                      else_=0)),
        func.sum(case((and_(paired, per_learner.c.pre >= MAX_PERCENT), 1), else_=0)), func.count(per_learner.c.post),
        func.sum(per_learner.c.passed), func.sum(per_learner.c.first_pass)).group_by(per_learner.c.course_id))
    return {course_id: CohortSums(int(n), int(p or 0), float(pre or 0), float(post or 0), float(g or 0), int(u or 0),
                                  int(took or 0), int(passed or 0), float(tries or 0))
            for course_id, n, p, pre, post, g, u, took, passed, tries in rows}


def _per_learner(pre_exams: list[int], post_exams: list[int], graded: list, start):
    """One row per learner and course: first graded pre-test, best post-test, passed, first passed attempt."""
    first = (select(Attempt.user_id, Attempt.exam_id, func.min(Attempt.number).label("number"))
             .where(Attempt.exam_id.in_(pre_exams), *graded).group_by(Attempt.user_id, Attempt.exam_id).subquery())
    none = null().cast(Float)
    pre = (select(Attempt.user_id, Exam.course_id, Attempt.percent.label("pre"), none.label("post"),
                  literal(0).label("passed"), null().cast(Integer).label("first_pass"), Attempt.graded_at.label("at"))
           .join(first, and_(first.c.user_id == Attempt.user_id, first.c.exam_id == Attempt.exam_id,
                             first.c.number == Attempt.number))
           .join(Exam, Exam.id == Attempt.exam_id).where(*graded))
    passed = Attempt.passed.is_(True)
    post = (select(Attempt.user_id, Exam.course_id, none.label("pre"), func.max(Attempt.percent).label("post"),
                   func.max(case((passed, 1), else_=0)).label("passed"),
                   func.min(case((passed, Attempt.number))).label("first_pass"), func.max(Attempt.graded_at).label("at"))
            .join(Exam, Exam.id == Attempt.exam_id).where(Attempt.exam_id.in_(post_exams), *graded)
            .group_by(Attempt.user_id, Exam.course_id))
    both = union_all(pre, post).subquery()
    query = (select(both.c.course_id, func.max(both.c.pre).label("pre"), func.max(both.c.post).label("post"),
                    func.max(both.c.passed).label("passed"), func.min(both.c.first_pass).label("first_pass"))
             .group_by(both.c.user_id, both.c.course_id))
    if start is not None:
        query = query.having(func.max(both.c.at) >= start)
    return query.subquery()
