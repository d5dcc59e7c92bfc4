"""Question banks as trainers see them: the banks, their questions and each question's versions."""

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.db import db, found
from lms.errors import DomainError
from lms.exams.item_lint import CueFigures, Finding, cue_figures, lint_bank, lint_item
from lms.exams.models import Question, QuestionBank, QuestionVersion
from lms.standards.models import StandardItem


def bank_overview() -> list[tuple[QuestionBank, int]]:
    """Every bank with its number of active questions."""
    counts = dict(db.session.execute(select(Question.bank_id, func.count()).where(Question.is_retired.is_(False))
                                     .group_by(Question.bank_id)).all())
    return [(b, counts.get(b.id, 0)) for b in db.session.scalars(select(QuestionBank).order_by(QuestionBank.slug))]


def find_bank(slug: str) -> QuestionBank | None:
    return db.session.scalar(select(QuestionBank).where(QuestionBank.slug == slug))


def get_bank(slug: str) -> QuestionBank:
    """The bank with this slug; RowNotFound if none."""
    return found(find_bank(slug), f"bank {slug}")


def bank_questions(bank: QuestionBank) -> list[Question]:
    return list(db.session.scalars(select(Question).where(Question.bank_id == bank.id)
                                   .options(selectinload(Question.current_version)).order_by(Question.uid)))


def bank_cues(bank: QuestionBank, questions: list[Question]) -> tuple[CueFigures, list[Finding]]:
    """Item-writing cues over the current versions of a bank's active questions (lms/exams/item_lint.py)."""
    items = [lint_item(bank.slug, q.uid, q.current_version.qtype, q.current_version.text_md, q.current_version.data)
             for q in questions if not q.is_retired and q.current_version is not None]
    return cue_figures(items), lint_bank(items, bank.slug)


def find_question(uid: str) -> Question | None:
    return db.session.scalar(select(Question).where(Question.uid == uid)
                             .options(selectinload(Question.current_version), selectinload(Question.bank)))


def get_question(uid: str) -> Question:
    """The question with this id; RowNotFound if none."""
    return found(find_question(uid), f"question {uid}")


def question_versions(question: Question) -> list[QuestionVersion]:
    return list(db.session.scalars(select(QuestionVersion).where(QuestionVersion.question_id == question.id)
                                   .order_by(QuestionVersion.number.desc())))


def check_standards(codes) -> None:
    """Every question cites at least one standard item, and only items that exist."""
    codes = list(codes)
    if not codes:
        raise DomainError(_("Cite at least one standard item this question tests."), field="standards")
    known = set(db.session.scalars(select(StandardItem.code).where(StandardItem.code.in_(codes))))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise DomainError(_("Unknown standard items: %(codes)s.", codes="、".join(unknown)), field="standards")
