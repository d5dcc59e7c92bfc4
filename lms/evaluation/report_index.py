"""What the reports page offers each reader, and a learner's own pre- and post-tests ("my learning")."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.courses.models import Course, CourseVersion
from lms.courses.team import managed_teams
from lms.db import db
from lms.evaluation.learning import LearnerGain, learner_gain
from lms.evaluation.learning_data import course_tests, learner_results
from lms.evaluation.report_sections import ReportScope
from lms.exams.models import Exam, ExamKind
from lms.timeutil import local_today

COHORT_MONTHS = 12


@dataclass(frozen=True)
class ReportLink:
    kind: str
    key: str
    label: str


@dataclass(frozen=True)
class ReportIndex:
    courses: list[ReportLink]
    teams: list[ReportLink]
    programmes: list[ReportLink]
    cohorts: list[ReportLink]
    periods: list[ReportLink]


def _months_back(today: date, count: int) -> list[str]:
    months, year, month = [], today.year, today.month
    for _i in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def report_index(user: User) -> ReportIndex:
    teams = [ReportLink("team", str(t.id), t.name) for t in managed_teams(user)]
    if not user.has_role(Role.ADMIN, Role.TRAINER):
        return ReportIndex([], teams, [], [], [])
    from lms.certification.programmes import list_programmes

    with_tests = select(Exam.course_id).where(Exam.kind.in_([ExamKind.PRE_TEST, ExamKind.POST_TEST]))
    courses = [ReportLink("course", code, f"{code} {title}") for code, title in db.session.execute(
        select(Course.code, CourseVersion.title).join(CourseVersion, CourseVersion.id == Course.published_version_id)
        .where(Course.id.in_(with_tests)).order_by(Course.code))]
    today = local_today()
    return ReportIndex(
        courses, teams, [ReportLink("programme", p.slug, p.title) for p in list_programmes()],
        [ReportLink("cohort", m, _("Cohort %(month)s", month=m)) for m in _months_back(today, COHORT_MONTHS)],
        [ReportLink("period", str(y), _("Period %(period)s", period=str(y))) for y in (today.year, today.year - 1)])


@dataclass(frozen=True)
class MyCourseLearning:
    code: str
    title: str
    gain: LearnerGain
    same_blueprint: bool | None


def my_learning(user: User) -> list[MyCourseLearning]:
    scope = ReportScope("period", "")
    courses = course_tests(scope)
    by_course = {c.course_id: c for c in courses}
    results = learner_results(scope, courses, user_id=user.id)
    return [MyCourseLearning(by_course[r.course_id].code, by_course[r.course_id].title, learner_gain(r.tests),
                             by_course[r.course_id].same_blueprint) for r in results]
