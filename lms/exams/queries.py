"""Reading exams and question pools: what the learner's lists, the course pages, certification and the
trainers' pages show."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.courses.models import Course, Enrolment
from lms.db import RowNotFound, db
from lms.exams.models import (
    Attempt,
    AttemptStatus,
    Exam,
    ExamKind,
    ExamVersion,
    Question,
    QuestionBank,
    QuestionTag,
    QuestionVersion,
)


def get_exam(slug: str) -> Exam | None:
    return db.session.scalar(select(Exam).where(Exam.slug == slug).options(selectinload(Exam.current_version)))


def published_exam(slug: str) -> Exam:
    """An exam learners can see (it has a version); RowNotFound otherwise."""
    exam = get_exam(slug)
    if exam is None or exam.current_version is None:
        raise RowNotFound(f"no exam {slug}")
    return exam


def list_exams() -> list[Exam]:
    return list(db.session.scalars(select(Exam).options(selectinload(Exam.current_version)).order_by(Exam.slug)))


def current_versions(question_ids: list[int]) -> dict[int, QuestionVersion]:
    """The current version of each question, by question id."""
    if not question_ids:
        return {}
    rows = db.session.scalars(select(QuestionVersion).join(Question, Question.current_version_id == QuestionVersion.id)
                              .where(Question.id.in_(question_ids)))
    return {v.question_id: v for v in rows}


def question_pool(tags: list[str], types: list[str]) -> list[int]:
    """Ids of active questions carrying every tag (and of one of the types, if given)."""
    return draw_pool({"tags": tags, "types": types})


def draw_pool(draw: dict) -> list[int]:
    """Ids of the active questions a stored draw ({tags, types, bank, standards, difficulties}) may take."""
    tags = list(dict.fromkeys(draw.get("tags") or []))
    stmt = (select(Question.id, QuestionVersion.standards).join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
            .where(Question.is_retired.is_(False)))
    if tags:
        stmt = stmt.where(Question.id.in_(select(QuestionTag.question_id).where(QuestionTag.tag.in_(tags))
                                          .group_by(QuestionTag.question_id).having(func.count() == len(tags))))
    if draw.get("types"):
        stmt = stmt.where(QuestionVersion.qtype.in_(draw["types"]))
    if draw.get("difficulties"):
        stmt = stmt.where(QuestionVersion.difficulty.in_(draw["difficulties"]))
    if draw.get("bank"):
        stmt = stmt.join(QuestionBank, QuestionBank.id == Question.bank_id).where(QuestionBank.slug == draw["bank"])
    wanted = set(draw.get("standards") or [])
    return sorted(qid for qid, standards in db.session.execute(stmt) if wanted <= set(standards or []))


def exam_items(version: ExamVersion) -> set[str]:
    """The standard items the questions an exam version can draw cite (what passing it evidences)."""
    ids: set[int] = set()
    for section in version.sections:
        if "questions" in section:
            ids |= set(db.session.scalars(select(Question.id).where(Question.uid.in_(section["questions"]))))
        else:
            ids |= set(draw_pool(section["draw"]))
    return {code for v in current_versions(sorted(ids)).values() for code in v.standards}


def course_exams(course_id: int) -> list[Exam]:
    return list(db.session.scalars(select(Exam).where(Exam.course_id == course_id)
                                   .options(selectinload(Exam.current_version)).order_by(Exam.kind, Exam.slug)))


def passed_exam_ids(user: User, exam_ids: list[int]) -> set[int]:
    if not exam_ids:
        return set()
    return set(db.session.scalars(select(Attempt.exam_id).where(
        Attempt.user_id == user.id, Attempt.exam_id.in_(exam_ids), Attempt.passed.is_(True))))


def _shown_attempts(query):
    """Attempts whose result the learner may see (the review rule, lms/exams/review.py)."""
    from lms.exams.review import visible_to_learner

    attempts = db.session.scalars(query.options(selectinload(Attempt.exam), selectinload(Attempt.exam_version)))
    return [a for a in attempts if visible_to_learner(a)]


def best_results(user: User, exam_ids: list[int]) -> dict[int, Attempt]:
    """Each exam's best attempt of the user among those whose result the learner may see."""
    best: dict[int, Attempt] = {}
    if not exam_ids:
        return best
    for attempt in _shown_attempts(select(Attempt).where(Attempt.user_id == user.id, Attempt.exam_id.in_(exam_ids))):
        current = best.get(attempt.exam_id)
        if current is None or (attempt.percent or -1) > (current.percent or -1):
            best[attempt.exam_id] = attempt
    return best


@dataclass
class MyExam:
    exam: Exam
    course_code: str | None
    best: Attempt | None
    attempts: int
    in_progress: Attempt | None


def my_exams(user: User) -> list[MyExam]:
    """Exams of the courses the user is enrolled in, and the standalone certification exams."""
    course_ids = select(Enrolment.course_id).where(Enrolment.user_id == user.id)
    exams = list(db.session.scalars(
        select(Exam).where((Exam.course_id.in_(course_ids)) | ((Exam.course_id.is_(None)) & (Exam.kind == ExamKind.EXAM)))
        .where(Exam.current_version_id.is_not(None))
        .options(selectinload(Exam.current_version)).order_by(Exam.course_id.is_(None), Exam.slug)))
    codes = dict(db.session.execute(select(Course.id, Course.code).where(
        Course.id.in_([e.course_id for e in exams if e.course_id]))).all())
    attempts: dict[int, list[Attempt]] = {}
    for attempt in db.session.scalars(select(Attempt).where(Attempt.user_id == user.id,
                                                            Attempt.exam_id.in_([e.id for e in exams]))):
        attempts.setdefault(attempt.exam_id, []).append(attempt)
    best = best_results(user, [e.id for e in exams])
    rows = []
    for exam in exams:
        mine = attempts.get(exam.id, [])
        rows.append(MyExam(exam, codes.get(exam.course_id), best.get(exam.id), len(mine),
                           next((a for a in mine if a.status == AttemptStatus.IN_PROGRESS), None)))
    return rows
