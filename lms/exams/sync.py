"""Question banks and exams from files and editors into versioned records: a changed question or exam
gets a new version; attempts keep the version they started with."""

from markupsafe import escape
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.content.edits import BrowserEdits
from lms.content.files import content_hash
from lms.content.markdown import render_markdown
from lms.courses.models import Course
from lms.db import db
from lms.exams.loader import BankSpec, ExamSpec, QuestionSpec
from lms.exams.models import Exam, ExamKind, ExamVersion, Question, QuestionBank, QuestionTag, QuestionVersion
from lms.standards.services import SyncCounts, item_lookup, replace_citations, sync_by_slug
from lms.urls import path_for


def render_text(text: str, text_format: str, lookup=None) -> str:
    """A question's text or feedback as safe HTML, by its format (plain text or Markdown)."""
    if text_format == "plain":
        return "<p>" + str(escape(text)).replace("\n", "<br>") + "</p>"
    return render_markdown(text, lookup)


def _new_question_version(question: Question, spec: QuestionSpec, actor: User | None, lookup) -> QuestionVersion:
    number = (db.session.scalar(select(func.max(QuestionVersion.number))
                                .where(QuestionVersion.question_id == question.id)) or 0) + 1
    version = QuestionVersion(
        question_id=question.id, number=number, qtype=spec.qtype, name=spec.name[:200], text_md=spec.text,
        text_html=render_text(spec.text, spec.text_format, lookup), text_format=spec.text_format, data=spec.data,
        feedback_md=spec.feedback, feedback_html=render_text(spec.feedback, spec.text_format, lookup),
        standards=list(spec.standards), tags=list(spec.tags), difficulty=spec.difficulty, points=spec.points,
        content_hash=spec.content_hash, created_by_id=actor.id if actor else None)
    db.session.add(version)
    db.session.flush()
    question.current_version = version
    return version


def save_question(bank: QuestionBank, spec: QuestionSpec, actor: User | None = None, lookup=None) -> tuple[Question, bool]:
    """Create or update a question from a spec; a changed question gets a new version. Returns the
    question and whether anything changed."""
    lookup = lookup or item_lookup()
    question = db.session.scalar(select(Question).where(Question.uid == spec.uid)
                                 .options(selectinload(Question.current_version)))
    if question is None:
        question = Question(uid=spec.uid, bank_id=bank.id)
        db.session.add(question)
        db.session.flush()
    elif question.current_version is not None and question.current_version.content_hash == spec.content_hash:
        return question, False
    question.bank_id = bank.id
    question.is_retired = False
    _new_question_version(question, spec, actor, lookup)
    db.session.execute(QuestionTag.__table__.delete().where(QuestionTag.question_id == question.id))
    for tag in dict.fromkeys(spec.tags):
        db.session.add(QuestionTag(question_id=question.id, tag=tag[:100]))
    replace_citations("question", [question.id], [
        (question.id, f"{spec.uid} · {spec.name}"[:300], path_for("exams_admin.question", uid=spec.uid),
         list(spec.standards))])
    return question, True


def sync_banks(banks: list[BankSpec], edits: BrowserEdits | None = None) -> SyncCounts:
    """Save the banks of the content files. A question whose current version was saved by someone in the
    browser (the question editor, a GIFT upload) and differs from its file is kept unless ``edits``
    says to overwrite it."""
    counts, edits = SyncCounts(), edits or BrowserEdits()
    lookup = item_lookup()
    existing = {b.slug: b for b in db.session.scalars(select(QuestionBank))}
    for spec in banks:
        bank = existing.get(spec.slug)
        if bank is None:
            bank = QuestionBank(slug=spec.slug, title=spec.title, source=spec.source)
            db.session.add(bank)
            db.session.flush()
            existing[spec.slug] = bank
        bank.title = spec.title
        for question_spec in spec.questions:
            before = db.session.scalar(select(QuestionVersion).join(Question, Question.current_version_id == QuestionVersion.id)
                                       .where(Question.uid == question_spec.uid))
            if before is not None and before.content_hash != question_spec.content_hash and \
                    not edits.allows(f"question {question_spec.uid}", before.created_by_id is not None):
                counts.kept += 1
                continue
            _question, changed = save_question(bank, question_spec, None, lookup)
            counts.tally(before is None, changed)
    return counts


def _exam_data(spec: ExamSpec) -> dict:
    data = spec.as_data()
    return {"title": data["title"], "settings": data["settings"], "sections": data["sections"]}


def save_exam(spec: ExamSpec, actor: User | None = None, source: str = "file") -> tuple[Exam, bool]:
    exam = db.session.scalar(select(Exam).where(Exam.slug == spec.slug).options(selectinload(Exam.current_version)))
    course_id = db.session.scalar(select(Course.id).where(Course.code == spec.course)) if spec.course else None
    digest = content_hash(_exam_data(spec))
    if exam is None:
        exam = Exam(slug=spec.slug, kind=ExamKind(spec.kind))
        db.session.add(exam)
        db.session.flush()
    exam.kind, exam.course_id, exam.pair_slug = ExamKind(spec.kind), course_id, spec.pair
    if exam.current_version is not None and exam.current_version.content_hash == digest:
        return exam, False
    number = (db.session.scalar(select(func.max(ExamVersion.number)).where(ExamVersion.exam_id == exam.id)) or 0) + 1
    data = _exam_data(spec)
    version = ExamVersion(exam_id=exam.id, number=number, title=data["title"], settings=data["settings"],
                          sections=data["sections"], content_hash=digest, source=source,
                          created_by_id=actor.id if actor else None)
    db.session.add(version)
    db.session.flush()
    exam.current_version = version
    if actor is not None:
        record_event("exam.saved", "exam", exam.id, summary=f"{exam.slug} v{number}", after=data, actor=actor)
    return exam, True


def sync_exams(exams: list[ExamSpec], edits: BrowserEdits | None = None) -> SyncCounts:
    """Save the exams of the content files; one whose current version was saved in the exam editor, and
    differs from its file, is kept unless ``edits`` says to overwrite it."""
    edits, kept = edits or BrowserEdits(), []

    def save(spec: ExamSpec) -> tuple[Exam | None, bool]:
        exam = db.session.scalar(select(Exam).where(Exam.slug == spec.slug).options(selectinload(Exam.current_version)))
        current = exam.current_version if exam is not None else None
        if current is not None and current.content_hash != content_hash(_exam_data(spec)) and \
                not edits.allows(f"exam {spec.slug}", current.source == "editor"):
            kept.append(spec.slug)
            return exam, False
        return save_exam(spec)

    counts = sync_by_slug(Exam.slug, exams, save)
    counts.kept, counts.unchanged = len(kept), counts.unchanged - len(kept)
    return counts
