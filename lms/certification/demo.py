"""Demo progress (for `flask lms demo`): one learner a single step short of the first certificate, and
one whose certificate is in its renewal window. Built through the same services a learner's clicks use."""

from datetime import timedelta

from sqlalchemy import select

from lms.accounts.models import User
from lms.certification.eligibility import eligibility
from lms.certification.models import Application, ApplicationKind, ApplicationStatus, Certificate, SignOff
from lms.certification.programmes import find_programme
from lms.certification.signoffs import record_signoff
from lms.certification.workflow import issue_certificate
from lms.db import db, utcnow
from lms.timeutil import local_today

ONE_STEP_SHORT = "L0003"  # has everything for the first certificate except the complaint call
RENEWING = "L0002"  # holds the first certificate, now in its renewal window
TRAINER = "T0001"
FIRST = "rep-level-1"


def _pass_exam(user: User, slug: str) -> None:
    from lms.exams import answers, attempts, grading, queries
    from lms.exams.models import Attempt, AttemptStatus
    from lms.exams.question_types import QUESTION_TYPES

    exam = queries.get_exam(slug)
    if exam is None or db.session.scalar(select(Attempt.id).where(Attempt.user_id == user.id, Attempt.exam_id == exam.id,
                                                                   Attempt.passed.is_(True))):
        return
    attempt = attempts.start_attempt(user, exam, seed=7)
    for aq in grading.questions_of(attempt):
        qtype = QUESTION_TYPES[aq.version.qtype]
        response = qtype.correct_response(aq.version.data) or {"text": "先致歉並說明已記錄，再核對問題、提出處理方式與回覆時間。"}
        answers.save_answer(attempt.id, user, aq.position, response, aq.sequence + 1)
    attempts.submit_attempt(attempt.id, user)
    if attempt.status == AttemptStatus.NEEDS_GRADING:
        trainer = db.session.scalar(select(User).where(User.employee_no == TRAINER))
        for aq in grading.questions_of(attempt):
            if aq.score is None:
                grading.grade_question(aq, aq.points, "示範資料", trainer)
    if exam.current_version.settings.get("review") == "after_close":
        from lms.exams.reports import release_results

        release_results(exam)  # as the trainer would: an unreleased result is no evidence yet
    db.session.flush()
    assert db.session.get(Attempt, attempt.id).status == AttemptStatus.GRADED


def _finish_course(user: User, code: str) -> None:
    from lms.courses import reading as courses
    from lms.courses.models import Course, Enrolment, EnrolmentSource
    from lms.exams.models import Exam, ExamKind

    course = db.session.scalar(select(Course).where(Course.code == code))
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id,
                                                          Enrolment.course_id == course.id))
    if enrolment is None:
        enrolment = Enrolment(user_id=user.id, course_id=course.id, source=EnrolmentSource.SELF)
        db.session.add(enrolment)
        db.session.flush()
    if enrolment.completed_at is not None:
        return
    for slug in db.session.scalars(select(Exam.slug).where(Exam.course_id == course.id,
                                                           Exam.kind.in_([ExamKind.QUIZ, ExamKind.POST_TEST]))):
        _pass_exam(user, slug)
    version = course.published_version
    for lesson in version.lesson_versions:
        courses.complete_lesson(user, code, lesson.lesson.slug)


def _pass_call(user: User, slug: str) -> None:
    """Play an assessment call along its best path."""
    from lms.calls import autoplay, scenarios
    from lms.calls.results import passed_assessments

    found = scenarios.get_scenario(slug)
    if found is None or passed_assessments(user, [found[0].id]):
        return
    passing = [moves for _, passed, moves in autoplay.finished_paths(scenarios.compiled(found[1]), user.employee_no)
               if passed]
    if not passing:
        raise RuntimeError(f"{slug}: no passing path")
    autoplay.play(user, slug, passing[0], _user(TRAINER))


def _user(no: str) -> User | None:
    return db.session.scalar(select(User).where(User.employee_no == no))


def _sign_off(person: User, programme, req: dict, trainer: User) -> None:
    if db.session.scalar(select(SignOff.id).where(SignOff.user_id == person.id, SignOff.programme_id == programme.id,
                                                  SignOff.requirement_id == req["id"], SignOff.passed.is_(True))) is None:
        record_signoff(trainer, person, programme, req["id"], [2] * len(req["checklist"]),
                       "示範資料：三通來電皆依規範處理。", local_today())


# How the demo meets a requirement of each kind it uses.
_DEMO_STEPS = {
    "course": lambda person, programme, req, trainer: _finish_course(person, req["course"]),
    "exam": lambda person, programme, req, trainer: _pass_exam(person, req["exam"]),
    "scenario": lambda person, programme, req, trainer: _pass_call(person, req["scenario"]),
    "signoff": _sign_off,
}


def load_demo_progress() -> bool:
    """Idempotent. Returns False when the content or the demo users are missing."""
    programme = find_programme(FIRST)
    learner, senior, trainer = _user(ONE_STEP_SHORT), _user(RENEWING), _user(TRAINER)
    if programme is None or learner is None or trainer is None or senior is None:
        return False
    definition = programme.definition
    for person in (learner, senior):
        for req in definition["requirements"]:
            if person is learner and req["id"] == definition["requirements"][-1]["id"]:
                continue  # the one step left for the demo: the complaint call
            _DEMO_STEPS[req["kind"]](person, programme, req, trainer)
    # The senior learner was certified 22 months ago: the renewal window is open now.
    if db.session.scalar(select(Certificate.id).where(Certificate.user_id == senior.id)) is None:
        issued = utcnow() - timedelta(days=670)
        application = Application(user_id=senior.id, programme_id=programme.id, kind=ApplicationKind.INITIAL,
                                  status=ApplicationStatus.APPLIED, applied_at=issued - timedelta(days=2),
                                  evidence=[r.as_evidence() for r in eligibility(senior, programme).results])
        db.session.add(application)
        db.session.flush()
        issue_certificate(application, trainer, now=issued, check_requirements=False)
    db.session.flush()
    return True
