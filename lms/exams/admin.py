"""Trainer-side services for questions and exams: bank listings, GIFT import/export, exam checks,
attempt lists and item analysis."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.audit.services import record_event, record_read
from lms.content.files import ContentError
from lms.courses.models import Course
from lms.db import db, fetch_tuples
from lms.errors import DomainError
from lms.exams.analysis import TestStats, analyse
from lms.exams.gift import GiftQuestion, export_gift
from lms.exams.loader import SLUG, ExamSpec, gift_to_specs
from lms.exams.models import (
    Attempt,
    AttemptQuestion,
    AttemptStatus,
    Exam,
    Question,
    QuestionBank,
    QuestionVersion,
)
from lms.exams.services import _pool, save_question
from lms.standards.models import StandardItem

MAX_GIFT_BYTES = 2 * 1024 * 1024


def bank_overview() -> list[tuple[QuestionBank, int]]:
    counts = dict(db.session.execute(select(Question.bank_id, func.count()).where(Question.is_retired.is_(False))
                                     .group_by(Question.bank_id)).all())
    return [(b, counts.get(b.id, 0)) for b in db.session.scalars(select(QuestionBank).order_by(QuestionBank.slug))]


def get_bank(slug: str) -> QuestionBank | None:
    return db.session.scalar(select(QuestionBank).where(QuestionBank.slug == slug))


def bank_questions(bank: QuestionBank) -> list[Question]:
    return list(db.session.scalars(select(Question).where(Question.bank_id == bank.id)
                                   .options(selectinload(Question.current_version)).order_by(Question.uid)))


def get_question(uid: str) -> Question | None:
    return db.session.scalar(select(Question).where(Question.uid == uid)
                             .options(selectinload(Question.current_version), selectinload(Question.bank)))


def question_versions(question: Question) -> list[QuestionVersion]:
    return list(db.session.scalars(select(QuestionVersion).where(QuestionVersion.question_id == question.id)
                                   .order_by(QuestionVersion.number.desc())))


def check_standards(codes) -> None:
    codes = list(codes)
    if not codes:
        raise DomainError(_("Cite at least one standard item this question tests."), field="standards")
    known = set(db.session.scalars(select(StandardItem.code).where(StandardItem.code.in_(codes))))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise DomainError(_("Unknown standard items: %(codes)s.", codes="、".join(unknown)), field="standards")


def _as_gift(version: QuestionVersion, uid: str) -> GiftQuestion:
    tags = list(version.tags) + [f"std:{code}" for code in version.standards]
    if version.difficulty != 2:
        tags.append(f"difficulty:{version.difficulty}")
    if version.points != 1:
        tags.append(f"points:{version.points:g}")
    text_format = "markdown" if version.text_format == "markdown" else version.text_format
    return GiftQuestion(0, version.name, version.text_md, text_format, version.qtype, version.data,
                        version.feedback_md, uid, tags)


def export_bank_gift(bank: QuestionBank) -> tuple[str, int]:
    """The bank as GIFT text, and how many questions GIFT cannot express (ordering)."""
    questions = [q for q in bank_questions(bank) if q.current_version and not q.is_retired]
    gift = [_as_gift(q.current_version, q.uid) for q in questions]
    skipped = sum(1 for g in gift if g.qtype == "ordering")
    # No $CATEGORY line: the tags carry the pools, and importing the file back changes nothing.
    return export_gift(gift), skipped


@dataclass
class GiftImportResult:
    bank_slug: str = ""
    imported: int = 0
    unchanged: int = 0
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp950")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise DomainError(_("Line %(n)d is not UTF-8 text.", n=line)) from None


def import_gift(bank_title: str, data: bytes, extra_tags: list[str], actor,
                default_standards: list[str] | None = None) -> GiftImportResult:
    """Check a whole GIFT file and import it into a bank, or nothing if any question has an error."""
    import hashlib
    import re
    import unicodedata

    result = GiftImportResult()
    if len(data) > MAX_GIFT_BYTES:
        result.errors.append(ContentError("GIFT", None, None, _("The file is larger than 2 MB.")))
        return result
    if not data.strip():
        result.errors.append(ContentError("GIFT", 1, None, _("The file is empty.")))
        return result
    try:
        source = _decode(data)
    except DomainError as exc:
        result.errors.append(ContentError("GIFT", None, None, str(exc.message)))
        return result
    existing = db.session.scalar(select(QuestionBank).where(
        (QuestionBank.title == bank_title.strip()) | (QuestionBank.slug == bank_title.strip())))
    if existing is not None:
        slug = existing.slug
    else:
        slug = re.sub(r"[^a-z0-9-]+", "-", unicodedata.normalize("NFKC", bank_title).lower()).strip("-")[:80]
        if not SLUG.match(slug or ""):  # a Chinese title: a stable name made from it
            slug = "bank-" + hashlib.sha1(bank_title.strip().encode()).hexdigest()[:8]
    result.bank_slug = slug
    specs, errors, warnings = gift_to_specs(source, "GIFT", tuple(extra_tags), id_prefix=slug,
                                            default_standards=tuple(default_standards or ()))
    result.errors += errors
    result.warnings += warnings
    if not specs and not errors:
        result.errors.append(ContentError("GIFT", 1, None, _("No question was found in the file.")))
    known = set(db.session.scalars(select(StandardItem.code)))
    for spec in specs:
        for code in spec.standards:
            if code not in known:
                result.errors.append(ContentError("GIFT", spec.line, "gift", _("[tag:std:%(code)s] names no standard item", code=code)))
    if result.errors:
        return result
    bank = get_bank(slug)
    if bank is None:
        bank = QuestionBank(slug=slug, title=bank_title.strip()[:200], source="gift")
        db.session.add(bank)
        db.session.flush()
    for spec in specs:
        spec = _keep_rubric(spec)
        _question, changed = save_question(bank, spec, actor)
        if changed:
            result.imported += 1
        else:
            result.unchanged += 1
    record_event("questions.gift_imported", "question_bank", bank.id, summary=f"{result.imported} questions",
                 actor=actor)
    return result


def _keep_rubric(spec):
    """GIFT cannot carry an essay's grading rubric: importing one over an existing essay keeps its rubric."""
    import dataclasses

    if spec.qtype != "essay" or spec.data.get("rubric"):
        return spec
    existing = get_question(spec.uid)
    if existing is None or existing.current_version is None or existing.current_version.qtype != "essay":
        return spec
    return dataclasses.replace(spec, data=dict(spec.data, rubric=existing.current_version.data.get("rubric", "")))


def course_code(course_id: int | None) -> str | None:
    return db.session.scalar(select(Course.code).where(Course.id == course_id)) if course_id else None


def check_exam(spec: ExamSpec) -> None:
    """The builder's checks: the course exists, fixed questions exist, every draw can be filled."""
    if spec.course and db.session.scalar(select(Course.id).where(Course.code == spec.course)) is None:
        raise DomainError(_("There is no course %(code)s.", code=spec.course), field="course")
    taken: set[int] = set()
    for number, section in enumerate(spec.sections, start=1):
        if section.draw is None:
            found = dict(db.session.execute(select(Question.uid, Question.id)
                                            .where(Question.uid.in_(section.questions))).all())
            missing = [uid for uid in section.questions if uid not in found]
            if missing:
                raise DomainError(_("Line %(n)d: no question %(ids)s.", n=number, ids="、".join(missing)),
                                  field="sections")
            taken.update(found.values())
        else:
            pool = [q for q in _pool(list(section.draw.tags), list(section.draw.types)) if q not in taken]
            if len(pool) < section.draw.count:
                raise DomainError(_("Line %(n)d draws %(count)d questions but only %(pool)d carry those tags.",
                                    n=number, count=section.draw.count, pool=len(pool)), field="sections")
            taken.update(pool[: section.draw.count])


def exam_attempts(exam: Exam, limit: int = 200) -> list[Attempt]:
    return list(db.session.scalars(select(Attempt).where(Attempt.exam_id == exam.id)
                                   .options(selectinload(Attempt.user)).order_by(Attempt.id.desc()).limit(limit)))


def get_attempt(attempt_id: int) -> Attempt | None:
    return db.session.scalar(select(Attempt).where(Attempt.id == attempt_id)
                             .options(selectinload(Attempt.user), selectinload(Attempt.exam)))


def record_result_view(attempt: Attempt) -> None:
    """Reading another person's results is audited."""
    from flask_login import current_user

    if current_user.id != attempt.user_id:
        record_read("attempt.viewed", "attempt", attempt.id, summary=attempt.user.employee_no)


@dataclass
class AnalysisRow:
    version: QuestionVersion
    stats: object


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
