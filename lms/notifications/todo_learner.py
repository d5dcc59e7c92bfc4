"""A learner's to-do sources: courses due soon and overdue, exams whose window is open, a certificate's
renewal window, results just released, reaction surveys to answer; and anyone's service cases returned by a
trainer."""

from datetime import timedelta

from sqlalchemy import and_, exists, func, or_, select

from lms.accounts.models import Role, User
from lms.cases.models import Case, CaseStatus
from lms.certification.models import OPEN_STATUSES, Application, Certificate, Programme
from lms.courses.models import Course, CourseVersion, Enrolment
from lms.db import db
from lms.evaluation.models import SurveyInvitation, SurveyVersion
from lms.exams.availability import parse_time
from lms.exams.models import (
    Accommodation,
    Attempt,
    AttemptQuestion,
    AttemptStatus,
    Exam,
    ExamKind,
    ExamVersion,
)
from lms.exams.review import release_policy
from lms.notifications import labels
from lms.notifications.todo import ITEM_LIMIT, Moment, TodoItem, TodoSource, register_source
from lms.timeutil import local_date
from lms.urls import path_for

LEARNERS = frozenset({Role.LEARNER})
DUE_SOON_DAYS = 7
RESULTS_SHOWN_DAYS = 7


# ---------------------------------------------------------------- courses due soon, overdue


def _open_enrolments(user: User, *conditions):
    return (Enrolment.user_id == user.id, Enrolment.completed_at.is_(None), Enrolment.due_date.is_not(None),
            *conditions)


def _course_items(kind: str, user: User, moment: Moment, *conditions) -> list[TodoItem]:
    rows = db.session.execute(
        select(Enrolment, Course.code, CourseVersion.title).join(Course, Course.id == Enrolment.course_id)
        .join(CourseVersion, CourseVersion.id == Course.published_version_id)
        .where(*_open_enrolments(user, *conditions)).order_by(Enrolment.due_date, Course.code).limit(ITEM_LIMIT)).all()
    return [TodoItem(kind, f"{code} {title}", path_for("courses.course", code=code), due=e.due_date,
                     since=e.enrolled_at, overdue=e.due_date < moment.today) for e, code, title in rows]


def _due_soon(moment: Moment):
    return Enrolment.due_date >= moment.today, Enrolment.due_date <= moment.today + timedelta(days=DUE_SOON_DAYS)


def _count_enrolments(user: User, *conditions):
    return select(func.count()).select_from(Enrolment).where(*_open_enrolments(user, *conditions))


register_source(TodoSource(
    "course_overdue", labels.TODO_LABELS["course_overdue"], LEARNERS, order=10,
    items=lambda user, m: _course_items("course_overdue", user, m, Enrolment.due_date < m.today),
    count_query=lambda user, m: _count_enrolments(user, Enrolment.due_date < m.today)))
register_source(TodoSource(
    "course_due_soon", labels.TODO_LABELS["course_due_soon"], LEARNERS, order=11,
    items=lambda user, m: _course_items("course_due_soon", user, m, *_due_soon(m)),
    count_query=lambda user, m: _count_enrolments(user, *_due_soon(m))))


# ---------------------------------------------------------------- exam windows


def exam_window_items(user: User, moment: Moment) -> list[TodoItem]:
    """Exams of the learner's unfinished courses with a closing time, open now, not yet passed (the learner's
    own accommodation moves the window)."""
    passed = exists().where(Attempt.exam_id == Exam.id, Attempt.user_id == user.id, Attempt.passed.is_(True))
    rows = db.session.execute(
        select(Exam.slug, ExamVersion.title, ExamVersion.settings, Accommodation.available_from,
               Accommodation.available_until)
        .join(ExamVersion, ExamVersion.id == Exam.current_version_id)
        .join(Enrolment, and_(Enrolment.course_id == Exam.course_id, Enrolment.user_id == user.id,
                              Enrolment.completed_at.is_(None)))
        .outerjoin(Accommodation, and_(Accommodation.exam_id == Exam.id, Accommodation.user_id == user.id))
        .where(Exam.kind.in_([ExamKind.EXAM, ExamKind.POST_TEST]), ~passed).order_by(Exam.slug)).all()
    items = []
    for slug, title, settings, own_from, own_until in rows:
        opens = own_from or parse_time(settings.get("available_from"))
        closes = own_until or parse_time(settings.get("available_until"))
        if closes is not None and closes > moment.now and (opens is None or opens <= moment.now):
            items.append(TodoItem("exam_window", title, path_for("exams.exam", exam_slug=slug),
                                  due=local_date(closes), since=opens))
    return items[:ITEM_LIMIT]


register_source(TodoSource("exam_window", labels.TODO_LABELS["exam_window"], LEARNERS, order=12,
                           items=exam_window_items))


# ---------------------------------------------------------------- renewal window


def _renewable(user: User, moment: Moment):
    renewing = exists().where(Application.renewing_id == Certificate.id, Application.status.in_(OPEN_STATUSES))
    return (Certificate.user_id == user.id, Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None),
            Certificate.renew_from <= moment.now, Certificate.grace_until > moment.now, ~renewing)


def renewal_items(user: User, moment: Moment) -> list[TodoItem]:
    rows = db.session.execute(select(Certificate, Programme.slug).join(Programme, Programme.id == Certificate.programme_id)
                              .where(*_renewable(user, moment)).order_by(Certificate.expires_at)).all()
    return [TodoItem("renewal_window", cert.programme_title, path_for("certification.programme", slug=slug),
                     due=local_date(cert.expires_at), since=cert.renew_from, overdue=cert.expires_at <= moment.now)
            for cert, slug in rows]


register_source(TodoSource(
    "renewal_window", labels.TODO_LABELS["renewal_window"], LEARNERS, order=13, items=renewal_items,
    count_query=lambda user, m: select(func.count()).select_from(Certificate).where(*_renewable(user, m))))


# ---------------------------------------------------------------- results released


def released_results(user: User, moment: Moment) -> list[TodoItem]:
    """Attempts graded within the last days whose result the review policy now shows, and that waited for
    something (a trainer's mark, or the exam's release): an automatic mark on submitting is no news."""
    since = moment.now - timedelta(days=RESULTS_SHOWN_DAYS)
    marked = exists().where(AttemptQuestion.attempt_id == Attempt.id, AttemptQuestion.graded_by_id.is_not(None))
    rows = db.session.execute(
        select(Attempt, ExamVersion.title, ExamVersion.settings, Exam.results_released_at, marked)
        .join(ExamVersion, ExamVersion.id == Attempt.exam_version_id).join(Exam, Exam.id == Attempt.exam_id)
        .where(Attempt.user_id == user.id, Attempt.status == AttemptStatus.GRADED,
               or_(Attempt.graded_at >= since, Exam.results_released_at >= since))
        .order_by(Attempt.graded_at.desc()).limit(ITEM_LIMIT)).all()
    items = []
    for attempt, title, settings, released_at, was_marked in rows:
        waited = was_marked or settings.get("review") == "after_close"
        if waited and release_policy(attempt.status, settings, released_at, moment.now).show_marks:
            items.append(TodoItem("results_released", title, path_for("exams.review", attempt_id=attempt.id),
                                  since=max(d for d in (attempt.graded_at, released_at) if d is not None)))
    return items


register_source(TodoSource("results_released", labels.TODO_LABELS["results_released"], LEARNERS, order=14,
                           items=released_results))


# ---------------------------------------------------------------- reaction surveys


def _unanswered(user: User):
    return SurveyInvitation.user_id == user.id, SurveyInvitation.responded_at.is_(None)


def survey_items(user: User, _moment: Moment) -> list[TodoItem]:
    """The reaction surveys offered and not answered, each named with what it asks about (the course)."""
    rows = db.session.execute(
        select(SurveyInvitation, SurveyVersion.title, CourseVersion.title)
        .join(SurveyVersion, SurveyVersion.id == SurveyInvitation.survey_version_id)
        .outerjoin(Course, Course.id == SurveyInvitation.course_id)
        .outerjoin(CourseVersion, CourseVersion.id == Course.published_version_id)
        .where(*_unanswered(user)).order_by(SurveyInvitation.offered_at.desc()).limit(ITEM_LIMIT)).all()
    return [TodoItem("open_survey", f"{title} · {course_title or inv.context_key}",
                     path_for("evaluation.answer", invitation_id=inv.id), since=inv.offered_at)
            for inv, title, course_title in rows]


register_source(TodoSource(
    "open_survey", labels.TODO_LABELS["open_survey"], LEARNERS, order=15, items=survey_items,
    count_query=lambda user, _m: select(func.count()).select_from(SurveyInvitation).where(*_unanswered(user))))


# ---------------------------------------------------------------- service cases returned to their author


def _returned_cases(user: User):
    return Case.author_id == user.id, Case.status == CaseStatus.RETURNED


def returned_case_items(user: User, _moment: Moment) -> list[TodoItem]:
    rows = db.session.execute(select(Case.id, Case.title, Case.reviewed_at).where(*_returned_cases(user))
                              .order_by(Case.reviewed_at).limit(ITEM_LIMIT)).all()
    return [TodoItem("cases_returned", title, path_for("cases.edit", case_id=case_id), since=reviewed)
            for case_id, title, reviewed in rows]


register_source(TodoSource(
    "cases_returned", labels.TODO_LABELS["cases_returned"], frozenset(Role), order=16, items=returned_case_items,
    queue_endpoint="cases.mine",
    count_query=lambda user, _m: select(func.count()).select_from(Case).where(*_returned_cases(user))))
