"""A learner's home: the next thing to do (the next item of their onboarding path — a course, its test or
its assessed call — or else the most urgent item of their to-do list), the path's progress, their
certificates with the renewal window, and their recent results."""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.calls.models import CallAttempt, CallStatus, Scenario, ScenarioVersion
from lms.certification.models import Certificate, Programme
from lms.certification.rules import certificate_state
from lms.courses.models import (
    Course,
    CourseVersion,
    Enrolment,
    EnrolmentSource,
    OnboardingPath,
    OnboardingStep,
)
from lms.courses.progress import completed_lesson_counts, lesson_counts
from lms.db import db
from lms.exams.models import Attempt, AttemptStatus, Exam, ExamKind, ExamVersion
from lms.exams.review import release_policy
from lms.notifications.todo import Moment, TodoGroup, TodoItem
from lms.timeutil import local_date
from lms.urls import path_for

STEP_LABELS = {"course": _l("Course"), "test": _l("Test"), "call": _l("Simulated call"), "todo": _l("To-do")}
RECENT_RESULTS = 5
THEN_ITEMS = 5


@dataclass
class NextStep:
    kind: str  # a key of STEP_LABELS
    title: str
    url: str
    context: str = ""  # the path's title, or the to-do group's
    due: date | None = None
    overdue: bool = False

    @property
    def kind_label(self) -> str:
        return self.context if self.kind == "todo" else str(STEP_LABELS[self.kind])

    @property
    def context_label(self) -> str:
        return "" if self.kind == "todo" else self.context


@dataclass
class PathStep:
    title: str
    url: str
    due: date | None
    done: bool
    overdue: bool


@dataclass
class PathProgress:
    title: str
    steps: list[PathStep]

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.done)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.steps)) if self.steps else 0


@dataclass
class CertificateLine:
    title: str
    state: str  # rules.certificate_state
    expires: date
    renew_from: date
    renew_until: date
    url: str

    @property
    def state_label(self) -> str:
        from lms.certification.labels import CERT_STATE_LABELS

        return str(CERT_STATE_LABELS[self.state])

    @property
    def state_tone(self) -> str:
        from lms.certification.labels import CERT_STATE_TONES

        return CERT_STATE_TONES.get(self.state, "tag--muted")


@dataclass
class RecentResult:
    kind: str  # "test" | "call"
    title: str
    percent: float
    passed: bool | None
    at: datetime
    url: str

    @property
    def kind_label(self) -> str:
        return str(STEP_LABELS[self.kind])


@dataclass
class LearnerHome:
    next_step: NextStep | None
    then: list[TodoItem] = field(default_factory=list)
    paths: list[PathProgress] = field(default_factory=list)
    certificates: list[CertificateLine] = field(default_factory=list)
    results: list[RecentResult] = field(default_factory=list)


# ---------------------------------------------------------------- the onboarding path


def _path_rows(user: User) -> tuple[list[OnboardingPath], dict[int, Enrolment], dict[int, str]]:
    """The paths the learner is on (an onboarding enrolment in one of their courses), their enrolments by
    course, and each step course's title."""
    enrolments = {e.course_id: e for e in db.session.scalars(select(Enrolment).where(Enrolment.user_id == user.id))}
    onboarding = {cid for cid, e in enrolments.items() if e.source == EnrolmentSource.ONBOARDING}
    if not onboarding:
        return [], enrolments, {}
    paths = list(db.session.scalars(
        select(OnboardingPath).join(OnboardingStep).where(OnboardingStep.course_id.in_(onboarding)).distinct()
        .options(selectinload(OnboardingPath.steps).selectinload(OnboardingStep.course)).order_by(OnboardingPath.title)))
    titles = dict(db.session.execute(
        select(Course.id, CourseVersion.title).join(CourseVersion, CourseVersion.id == Course.published_version_id)
        .where(Course.id.in_({s.course_id for p in paths for s in p.steps}))).all())
    return paths, enrolments, titles


def _sign_off_step(progress) -> PathStep:
    """The mentor's sign-off of the path's items, a step of the path (lms/mentoring)."""
    return PathStep(gettext("Mentor's sign-off: %(done)d of %(total)d items", done=progress.signed,
                            total=progress.items),
                    path_for("mentoring.mentorship", mentorship_id=progress.mentorship_id), None, progress.completed,
                    False)


def path_progress(paths, enrolments, titles, today: date, mentoring=()) -> list[PathProgress]:
    """Each path's steps: its courses, then the mentor's sign-off where the learner has a mentorship on it."""
    by_path = {m.path_id: m for m in mentoring}
    result = []
    for path in paths:
        steps = []
        for step in path.steps:
            e = enrolments.get(step.course_id)
            steps.append(PathStep(f"{step.course.code} {titles.get(step.course_id, '')}",
                                  path_for("courses.course", code=step.course.code), e.due_date if e else None,
                                  bool(e and e.completed_at), bool(e and e.is_overdue(today))))
        if path.id in by_path:
            steps.append(_sign_off_step(by_path[path.id]))
        result.append(PathProgress(path.title, steps))
    return result


def _step_inside(user: User, course: Course, title: str, path_title: str, enrolment: Enrolment | None,
                 today: date) -> NextStep:
    """Within the path's next course: its lessons, then its test, then its assessed call."""
    due, overdue = (enrolment.due_date, enrolment.is_overdue(today)) if enrolment else (None, False)
    version_id = course.published_version_id
    lessons = lesson_counts([version_id]).get(version_id, 0)
    read = completed_lesson_counts(user.id, [version_id]).get(version_id, 0)
    if read < lessons or enrolment is None:
        return NextStep("course", f"{course.code} {title}", path_for("courses.resume", code=course.code),
                        path_title, due, overdue)
    exam = db.session.scalar(select(Exam).where(
        Exam.course_id == course.id, Exam.kind.in_([ExamKind.POST_TEST, ExamKind.EXAM]),
        ~select(Attempt.id).where(Attempt.exam_id == Exam.id, Attempt.user_id == user.id,
                                  Attempt.passed.is_(True)).exists()).order_by(Exam.slug).limit(1))
    if exam is not None:
        return NextStep("test", exam.current_version.title if exam.current_version else title,
                        path_for("exams.exam", exam_slug=exam.slug), path_title, due, overdue)
    scenario = db.session.execute(
        select(Scenario.slug, ScenarioVersion.title).join(ScenarioVersion, (ScenarioVersion.scenario_id == Scenario.id)
                                                          & (ScenarioVersion.number == Scenario.current_number))
        .where(Scenario.course_id == course.id, ~select(CallAttempt.id).where(
            CallAttempt.scenario_id == Scenario.id, CallAttempt.user_id == user.id,
            CallAttempt.passed.is_(True)).exists()).order_by(Scenario.slug).limit(1)).first()
    if scenario is not None:
        return NextStep("call", scenario.title, path_for("calls.briefing", scenario_slug=scenario.slug), path_title,
                        due, overdue)
    return NextStep("course", f"{course.code} {title}", path_for("courses.course", code=course.code), path_title,
                    due, overdue)


def next_on_path(user: User, paths, enrolments, titles, today: date) -> NextStep | None:
    for path in paths:
        for step in path.steps:
            enrolment = enrolments.get(step.course_id)
            if enrolment is None or enrolment.completed_at is None:
                return _step_inside(user, step.course, titles.get(step.course_id, ""), path.title, enrolment, today)
    return None


# ---------------------------------------------------------------- certificates, results


def certificate_lines(user: User, now: datetime) -> list[CertificateLine]:
    rows = db.session.execute(select(Certificate, Programme.slug).join(Programme, Programme.id == Certificate.programme_id)
                              .where(Certificate.user_id == user.id, Certificate.revoked_at.is_(None),
                                     Certificate.superseded_by_id.is_(None)).order_by(Certificate.expires_at)).all()
    return [CertificateLine(c.programme_title, certificate_state(c, now), local_date(c.expires_at),
                            local_date(c.renew_from), local_date(c.grace_until),
                            path_for("certification.programme", slug=slug)) for c, slug in rows]


def recent_results(user: User) -> list[RecentResult]:
    """The latest test results the review policy shows, and the latest scored calls, newest first. Columns
    only: an attempt's exam version holds the exam's sections and a call attempt its whole transcript."""
    attempts = db.session.execute(
        select(Attempt.id, Attempt.status, Attempt.percent, Attempt.passed, Attempt.graded_at, ExamVersion.title,
               ExamVersion.settings, Exam.results_released_at)
        .join(ExamVersion, ExamVersion.id == Attempt.exam_version_id).join(Exam, Exam.id == Attempt.exam_id)
        .where(Attempt.user_id == user.id, Attempt.status == AttemptStatus.GRADED)
        .order_by(Attempt.graded_at.desc()).limit(3 * RECENT_RESULTS))
    results = [RecentResult("test", a.title, a.percent, a.passed, a.graded_at, path_for("exams.review", attempt_id=a.id))
               for a in attempts if release_policy(a.status, a.settings, a.results_released_at).show_marks]
    calls = db.session.execute(
        select(CallAttempt.id, CallAttempt.percent, CallAttempt.passed, CallAttempt.finished_at, ScenarioVersion.title)
        .join(ScenarioVersion, ScenarioVersion.id == CallAttempt.version_id)
        .where(CallAttempt.user_id == user.id, CallAttempt.status == CallStatus.FINISHED,
               CallAttempt.percent.is_not(None))
        .order_by(CallAttempt.finished_at.desc()).limit(RECENT_RESULTS))
    results += [RecentResult("call", c.title, c.percent, c.passed, c.finished_at,
                             path_for("calls.debrief", attempt_id=c.id)) for c in calls]
    return sorted(results, key=lambda r: r.at, reverse=True)[:RECENT_RESULTS]


# ---------------------------------------------------------------- the whole home


def learner_home(user: User, groups: list[TodoGroup], moment: Moment, mentoring=()) -> LearnerHome:
    """The learner's home from their to-do groups (asked once by the caller), their path and their own
    mentoring (lms.mentoring.progress, also asked once by the caller)."""
    paths, enrolments, titles = _path_rows(user)
    step = next_on_path(user, paths, enrolments, titles, moment.today)
    todo = [(g, item) for g in groups for item in g.items]
    if step is None and todo:
        group, item = todo[0]
        step = NextStep("todo", item.title, item.url, group.label, item.due, item.overdue)
    then = [item for _g, item in todo if step is None or (item.url != step.url and item.title != step.title)][:THEN_ITEMS]
    return LearnerHome(step, then, path_progress(paths, enrolments, titles, moment.today, mentoring),
                       certificate_lines(user, moment.now), recent_results(user))
