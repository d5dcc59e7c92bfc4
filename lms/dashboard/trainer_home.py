"""The trainer's home (issue 18): drafts in progress and the questions item analysis flags, each entry
linking to where it is dealt with. (What waits for review comes from the to-do registry: services.py.)

Both panels read a fixed number of statements whatever the data (tests/test_query_counts.py): drafts in
three, flagged questions in three; the flagged questions are kept per results generation for every trainer
at once (lms.generations), and the whole home page per person besides."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select

from lms.accounts.models import User
from lms.db import db, utcnow

DRAFT_LIMIT = 10  # entries shown per panel; the panel says how many more there are
FLAG_MIN_ANSWERS = 5  # a question is flagged only once this many first attempts answered it (and were graded)
FLAG_WINDOW_DAYS = 365  # item analysis of the home page reads the first attempts of the last year

DRAFT_KINDS = {"course": _l("Course draft"), "scenario": _l("Call scenario draft"), "case": _l("Service case draft")}


@dataclass(frozen=True)
class DraftEntry:
    kind: str  # a key of DRAFT_KINDS
    title: str
    since: datetime | None
    url: str


@dataclass(frozen=True)
class FlaggedQuestion:
    name: str
    exam_title: str
    flags: tuple[str, ...]  # keys of lms.exams.labels.FLAG_LABELS
    facility: float | None
    discrimination: float | None
    answers: int
    url: str  # the question's editor
    analysis_url: str  # the exam's item analysis


@dataclass(frozen=True)
class Panel:
    entries: list
    total: int


def drafts_in_progress(user: User) -> Panel:
    """Course drafts and draft call scenarios (any trainer's: they are shared work), and the person's own
    service cases not sent yet or returned to them; newest first."""
    from lms.calls.models import Scenario, ScenarioVersion
    from lms.cases.models import Case, CaseStatus
    from lms.courses.models import Course, CourseVersion, VersionStatus
    from lms.urls import path_for

    entries = [DraftEntry("course", f"{code} {title}", at, path_for("courses_admin.edit_course", code=code))
               for code, title, at in db.session.execute(
                   select(Course.code, CourseVersion.title, CourseVersion.created_at)
                   .join(Course, Course.id == CourseVersion.course_id)
                   .where(CourseVersion.status == VersionStatus.DRAFT))]
    latest = (select(ScenarioVersion.scenario_id, func.max(ScenarioVersion.number).label("number"))
              .group_by(ScenarioVersion.scenario_id).subquery())
    entries += [DraftEntry("scenario", title, at, path_for("calls_admin.edit", scenario_slug=slug))
                for slug, title, at in db.session.execute(
                    select(Scenario.slug, ScenarioVersion.title, ScenarioVersion.created_at)
                    .join(latest, latest.c.scenario_id == Scenario.id)
                    .join(ScenarioVersion, and_(ScenarioVersion.scenario_id == Scenario.id,
                                                ScenarioVersion.number == latest.c.number))
                    .where(Scenario.current_number == 0))]
    entries += [DraftEntry("case", title, at, path_for("cases.edit", case_id=case_id))
                for case_id, title, at in db.session.execute(
                    select(Case.id, Case.title, Case.updated_at).where(
                        Case.author_id == user.id, Case.status.in_([CaseStatus.DRAFT, CaseStatus.RETURNED])))]
    entries.sort(key=lambda e: e.since or datetime.min, reverse=True)
    return Panel(entries[:DRAFT_LIMIT], len(entries))


def _flagged_rows():
    from lms.exams.models import Attempt, AttemptQuestion, AttemptStatus, Question

    since = utcnow() - timedelta(days=FLAG_WINDOW_DAYS)
    return db.session.execute(
        select(Attempt.exam_id, AttemptQuestion.attempt_id, AttemptQuestion.question_version_id, AttemptQuestion.score,
               AttemptQuestion.points, AttemptQuestion.choice_key, AttemptQuestion.position)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(Attempt.number == 1, Attempt.status.in_([AttemptStatus.GRADED, AttemptStatus.NEEDS_GRADING]),
               Attempt.started_at >= since, AttemptQuestion.score.is_not(None),
               AttemptQuestion.question_version_id.in_(select(Question.current_version_id)))).all()


def _build_flagged() -> Panel:
    from lms.exams.analysis import analyse
    from lms.exams.models import Exam, ExamVersion, Question, QuestionVersion
    from lms.urls import path_for

    by_exam: dict[int, list[tuple]] = {}
    for exam_id, *row in _flagged_rows():
        by_exam.setdefault(exam_id, []).append(tuple(row))
    found = [(exam_id, item) for exam_id, rows in by_exam.items() for item in analyse(rows).items
             if item.flags and item.n >= FLAG_MIN_ANSWERS]
    versions = {vid: (name, uid) for vid, name, uid in db.session.execute(
        select(QuestionVersion.id, QuestionVersion.name, Question.uid).join(Question, Question.id == QuestionVersion.question_id)
        .where(QuestionVersion.id.in_({item.key for _e, item in found})))}
    exams = {eid: (slug, title) for eid, slug, title in db.session.execute(
        select(Exam.id, Exam.slug, ExamVersion.title).join(ExamVersion, ExamVersion.id == Exam.current_version_id)
        .where(Exam.id.in_({e for e, _item in found})))}
    entries = [FlaggedQuestion(versions[item.key][0], exams[exam_id][1], tuple(item.flags), item.facility,
                               item.discrimination, item.n, path_for("exams_admin.edit_question", uid=versions[item.key][1]),
                               path_for("exams_admin.analysis", exam_slug=exams[exam_id][0]))
               for exam_id, item in found if item.key in versions and exam_id in exams]
    # The weakest first: lowest discrimination, then the furthest from a middling facility.
    entries.sort(key=lambda e: (e.discrimination if e.discrimination is not None else 1.0,
                                -abs((e.facility or 0.5) - 0.5), e.name))
    return Panel(entries[:DRAFT_LIMIT], len(entries))


def flagged_questions() -> Panel:
    """Questions (their current versions) whose item analysis flags them, over every exam: kept for every
    trainer while no result changes."""
    from lms.generations import cached_results

    return cached_results(("trainer_flagged_questions",), _build_flagged, per="hour")
