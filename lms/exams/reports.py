"""What trainers read about an exam: its attempts, one learner's attempt (the read is audited), the
item analysis, and the release of results held back until the exam closes."""

from dataclasses import dataclass

from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.audit.services import record_event, record_read
from lms.db import db, fetch_tuples, get_row, utcnow
from lms.exams.analysis import ItemStats, TestStats, analyse
from lms.exams.models import Attempt, AttemptQuestion, AttemptStatus, Exam, QuestionVersion
from lms.exams.question_types import QUESTION_TYPES

CHOICE_LABEL_CHARS = 40


def exam_attempts(exam: Exam, limit: int = 200) -> list[Attempt]:
    return list(db.session.scalars(select(Attempt).where(Attempt.exam_id == exam.id)
                                   .options(selectinload(Attempt.user)).order_by(Attempt.id.desc()).limit(limit)))


def read_attempt(attempt_id: int) -> Attempt:
    """Anyone's attempt, for a trainer; reading another person's results is audited."""
    attempt = get_row(Attempt, attempt_id, options=(selectinload(Attempt.user), selectinload(Attempt.exam)))
    if current_user.id != attempt.user_id:
        record_read("attempt.viewed", "attempt", attempt.id, summary=attempt.user.employee_no)
    return attempt


def release_results(exam: Exam) -> bool:
    """Let learners see marks and answers of an exam whose review waits for it to close; False if done."""
    if exam.results_released_at is not None:
        return False
    exam.results_released_at = utcnow()
    record_event("exam.results_released", "exam", exam.id, summary=exam.slug)
    return True


@dataclass(frozen=True)
class ChoiceCount:
    label: str  # the option's own text (several joined by " + " for a multiple response)
    count: int
    is_right: bool


def choice_counts(version: QuestionVersion, counts) -> list[ChoiceCount]:
    """How often each option was chosen, named by its text: learners saw the options shuffled and
    unlettered, so the stored option ids (a, b, c) mean nothing to a reader. Every option is listed,
    chosen or not, in the question's own order; combinations chosen in a multiple response follow."""
    qtype = QUESTION_TYPES.get(version.qtype)
    if qtype is None or not counts:
        return []
    options = qtype.view(version.data, {}, None, qtype.correct_response(version.data)).get("options") or []
    texts = {str(o["value"]): str(o["text"]) for o in options}
    right = {str(o["value"]) for o in options if o["is_right"]}

    def label(key: str) -> str:
        text = " + ".join(texts.get(part, part) for part in key.split(","))
        return text if len(text) <= CHOICE_LABEL_CHARS else text[:CHOICE_LABEL_CHARS - 1] + "…"

    rows = [ChoiceCount(label(value), counts.get(value, 0), value in right) for value in texts]
    rows += [ChoiceCount(label(key), n, set(key.split(",")) == right) for key, n in counts.most_common()
             if key not in texts]
    return rows


@dataclass
class AnalysisRow:
    version: QuestionVersion
    stats: ItemStats

    @property
    def choices(self) -> list[ChoiceCount]:
        return choice_counts(self.version, self.stats.choices)


@dataclass
class AnalysisReport:
    test: TestStats
    rows: list[AnalysisRow]


def item_analysis(exam: Exam, first_only: bool = True) -> AnalysisReport:
    """Item statistics per question version over submitted attempts (first attempts by default); answers
    still waiting for a trainer are left out until graded."""
    attempts = select(Attempt.id).where(Attempt.exam_id == exam.id,
                                        Attempt.status.in_([AttemptStatus.GRADED, AttemptStatus.NEEDS_GRADING]))
    if first_only:
        attempts = attempts.where(Attempt.number == 1)
    rows = fetch_tuples(
        select(AttemptQuestion.attempt_id, AttemptQuestion.question_version_id, AttemptQuestion.score,
               AttemptQuestion.points, AttemptQuestion.choice_key, AttemptQuestion.position)
        .where(AttemptQuestion.attempt_id.in_(attempts), AttemptQuestion.score.is_not(None)))
    test = analyse(rows)
    versions = {v.id: v for v in db.session.scalars(
        select(QuestionVersion).where(QuestionVersion.id.in_([i.key for i in test.items]))
        .options(selectinload(QuestionVersion.question)))}
    report_rows = [AnalysisRow(versions[i.key], i) for i in test.items if i.key in versions]
    report_rows.sort(key=lambda r: (r.version.question.uid, r.version.number))
    return AnalysisReport(test, report_rows)
