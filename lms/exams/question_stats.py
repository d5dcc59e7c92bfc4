"""Item analysis by question rather than by exam: the figures of each version of one question (the
question editor shows them), and each question's figures over every exam (the exam builder's picker
filters on them). The statistics are lms/exams/analysis.py's, computed per exam (discrimination is
against the rest of that exam) over first attempts that are graded, then pooled, weighted by answers."""

from dataclasses import dataclass

from sqlalchemy import select

from lms.db import db, fetch_tuples
from lms.exams.analysis import MIN_RELIABLE, ItemStats, analyse
from lms.exams.models import Attempt, AttemptQuestion, AttemptStatus, Question, QuestionVersion

COUNTED = (AttemptStatus.GRADED, AttemptStatus.NEEDS_GRADING)


@dataclass(frozen=True)
class Figures:
    n: int  # answers behind the figures
    facility: float | None
    discrimination: float | None

    @property
    def reliable(self) -> bool:
        return self.n >= MIN_RELIABLE

    @property
    def flags(self) -> list[str]:
        return ItemStats(0, self.n, 1.0, self.facility, None, self.discrimination).flags


@dataclass(frozen=True)
class VersionFigures:
    number: int
    figures: Figures


def _pooled(stats: list[ItemStats]) -> Figures:
    n = sum(s.n for s in stats)

    def weighted(values: list[tuple[float | None, int]]) -> float | None:
        known = [(v, w) for v, w in values if v is not None]
        total = sum(w for _v, w in known)
        return sum(v * w for v, w in known) / total if total else None

    return Figures(n, weighted([(s.facility, s.n) for s in stats]),
                   weighted([(s.discrimination, s.n) for s in stats]))


def _stats_by_version(attempts) -> dict[int, list[ItemStats]]:
    """Each question version's statistics in every exam whose counted first attempts are ``attempts``."""
    rows = fetch_tuples(
        select(Attempt.exam_id, AttemptQuestion.attempt_id, AttemptQuestion.question_version_id, AttemptQuestion.score,
               AttemptQuestion.points, AttemptQuestion.choice_key, AttemptQuestion.position)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(AttemptQuestion.attempt_id.in_(attempts), AttemptQuestion.score.is_not(None)))
    by_exam: dict[int, list[tuple]] = {}
    for exam_id, *row in rows:
        by_exam.setdefault(exam_id, []).append(tuple(row))
    found: dict[int, list[ItemStats]] = {}
    for exam_rows in by_exam.values():
        for item in analyse(exam_rows).items:
            found.setdefault(item.key, []).append(item)
    return found


def _counted_attempts():
    return select(Attempt.id).where(Attempt.status.in_(COUNTED), Attempt.number == 1)


def version_figures(question: Question) -> list[VersionFigures]:
    """The figures of each version of a question that has been answered, newest first."""
    versions = dict(db.session.execute(select(QuestionVersion.id, QuestionVersion.number)
                                       .where(QuestionVersion.question_id == question.id)).all())
    taking = select(AttemptQuestion.attempt_id).where(AttemptQuestion.question_version_id.in_(list(versions)))
    stats = _stats_by_version(_counted_attempts().where(Attempt.id.in_(taking)))
    return sorted((VersionFigures(versions[vid], _pooled(items)) for vid, items in stats.items() if vid in versions),
                  key=lambda v: -v.number)


def question_figures() -> dict[int, Figures]:
    """Every answered question's figures over all its versions and exams, by question id."""
    stats = _stats_by_version(_counted_attempts())
    owner = dict(db.session.execute(select(QuestionVersion.id, QuestionVersion.question_id)
                                    .where(QuestionVersion.id.in_(list(stats)))).all()) if stats else {}
    by_question: dict[int, list[ItemStats]] = {}
    for vid, items in stats.items():
        by_question.setdefault(owner[vid], []).extend(items)
    return {qid: _pooled(items) for qid, items in by_question.items()}


def recently_used(last_attempts: int) -> set[int]:
    """Ids of the questions drawn in the last ``last_attempts`` attempts of any exam."""
    latest = select(Attempt.id).order_by(Attempt.id.desc()).limit(last_attempts).subquery()
    return set(db.session.scalars(
        select(QuestionVersion.question_id).join(AttemptQuestion, AttemptQuestion.question_version_id == QuestionVersion.id)
        .where(AttemptQuestion.attempt_id.in_(select(latest.c.id)))))
