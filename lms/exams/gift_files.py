"""GIFT files into and out of question banks: a whole file is checked and imported, or nothing is;
a bank is exported as a file Moodle (and this importer) reads back unchanged."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import or_, select

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.content.files import SLUG, ContentError
from lms.content.uploads import UploadTextError, decode_upload
from lms.db import db
from lms.exams.banks import bank_questions, find_bank
from lms.exams.bulk_questions import save_questions
from lms.exams.gift import GiftQuestion, can_export, export_gift
from lms.exams.loader import QuestionSpec, gift_to_specs
from lms.exams.models import Question, QuestionBank, QuestionVersion
from lms.standards.models import StandardItem

# What one import may hold, file or pasted text alike. Measured on a busy two-core machine (load average
# 11): 20,000 one-line questions (1.2 MB) took 29 s, about 700 a second, whatever their Markdown; 2,000
# questions with Markdown in every text and feedback (1.8 MB) 5 s. At these limits an import takes a few
# seconds there. Before imports were written in bulk, 3,000 one-line questions took 87 s.
MAX_GIFT_BYTES = 1024 * 1024
MAX_GIFT_QUESTIONS = 2000


def _as_gift(version: QuestionVersion, uid: str) -> GiftQuestion:
    tags = list(version.tags) + [f"std:{code}" for code in version.standards]
    if version.difficulty != 2:
        tags.append(f"difficulty:{version.difficulty}")
    if version.points != 1:
        tags.append(f"points:{version.points:g}")
    return GiftQuestion(0, version.name, version.text_md, version.text_format, version.qtype, version.data,
                        version.feedback_md, uid, tags)


def export_bank_gift(bank: QuestionBank) -> tuple[str, int]:
    """The bank as GIFT text, and how many questions GIFT cannot express (ordering)."""
    questions = [q for q in bank_questions(bank) if q.current_version and not q.is_retired]
    gift = [_as_gift(q.current_version, q.uid) for q in questions]
    # No $CATEGORY line: the tags carry the pools, and importing the file back changes nothing.
    return export_gift(gift), sum(1 for g in gift if not can_export(g.qtype))


@dataclass
class GiftImportResult:
    bank_slug: str = ""
    bank_title: str = ""
    imported: int = 0
    unchanged: int = 0
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def gift_import_summary(result: GiftImportResult) -> str:
    """What a successful import did, in words (a file of unchanged questions says so)."""
    if not result.imported:
        return _("All %(n)d questions of the file are already in %(bank)s, unchanged; nothing was imported.",
                 n=result.unchanged, bank=result.bank_title)
    if result.unchanged:
        return _("%(n)d questions imported into %(bank)s; %(same)d were already there unchanged.",
                 n=result.imported, bank=result.bank_title, same=result.unchanged)
    return _("%(n)d questions imported into %(bank)s.", n=result.imported, bank=result.bank_title)


def _read(data: bytes, result: GiftImportResult) -> str | None:
    """The file's text, or None with the reason in ``result``."""
    if len(data) > MAX_GIFT_BYTES:
        result.errors.append(ContentError("GIFT", None, None, _(
            "The GIFT text is %(size)s KB; a file or pasted text may hold at most %(limit)s KB. Split it and import "
            "the parts one after another.", size=f"{-(-len(data) // 1024):,}", limit=f"{MAX_GIFT_BYTES // 1024:,}")))
    elif not data.strip():
        result.errors.append(ContentError("GIFT", 1, None, _("The file is empty.")))
    else:
        try:
            return decode_upload(data).text
        except UploadTextError as exc:
            result.errors.append(ContentError("GIFT", exc.line, None, str(exc)))
    return None


def _bank_slug(bank_title: str) -> str:
    """The slug of the bank named (by title or slug), or a new one made from the title."""
    name = bank_title.strip()
    existing = db.session.scalar(select(QuestionBank).where(or_(QuestionBank.title == name, QuestionBank.slug == name)))
    if existing is not None:
        return existing.slug
    slug = re.sub(r"[^a-z0-9-]+", "-", unicodedata.normalize("NFKC", bank_title).lower()).strip("-")[:80]
    if not SLUG.match(slug or ""):  # a Chinese title: a stable name made from it
        slug = "bank-" + hashlib.sha1(name.encode()).hexdigest()[:8]
    return slug


def _unknown_items(specs: list[QuestionSpec]) -> list[ContentError]:
    known = set(db.session.scalars(select(StandardItem.code)))
    return [ContentError("GIFT", spec.line, "gift", _("[tag:std:%(code)s] names no standard item", code=code))
            for spec in specs for code in spec.standards if code not in known]


def _ids_elsewhere(specs: list[QuestionSpec], bank_slug: str) -> list[ContentError]:
    """An import creates questions or updates those of its own bank: an id used twice in the file, or
    already used by a question of another bank, is an error (nothing is written)."""
    errors, first_line = [], {}
    for spec in specs:
        if spec.uid in first_line:
            errors.append(ContentError("GIFT", spec.line, "gift", _(
                "[id:%(id)s] is used again (first on line %(line)d); each question needs its own id.",
                id=spec.uid, line=first_line[spec.uid])))
        first_line.setdefault(spec.uid, spec.line)
    uids, owners = list(first_line), {}
    for start in range(0, len(uids), 500):
        rows = db.session.execute(select(Question.uid, QuestionBank.slug, QuestionBank.title)
                                  .join(QuestionBank, Question.bank_id == QuestionBank.id)
                                  .where(Question.uid.in_(uids[start:start + 500])))
        owners.update({uid: (slug, title) for uid, slug, title in rows})
    for uid, line in first_line.items():
        slug, title = owners.get(uid, (bank_slug, ""))
        if slug != bank_slug:
            errors.append(ContentError("GIFT", line, "gift", _(
                "[id:%(id)s] belongs to a question of the bank %(bank)s; an import may only add questions "
                "or update those of the bank it imports into. Remove the id or import into that bank.",
                id=uid, bank=title)))
    return errors


def import_gift(bank_title: str, data: bytes, extra_tags: list[str], actor: User,
                default_standards: list[str] | None = None) -> GiftImportResult:
    """Check a whole GIFT file and import it into a bank, or nothing if any question has an error."""
    result = GiftImportResult()
    source = _read(data, result)
    if source is None:
        return result
    result.bank_slug = _bank_slug(bank_title)
    specs, errors, warnings = gift_to_specs(source, "GIFT", tuple(extra_tags), id_prefix=result.bank_slug,
                                            default_standards=tuple(default_standards or ()))
    if len(specs) + len(errors) > MAX_GIFT_QUESTIONS:
        result.errors.append(ContentError("GIFT", None, None, _(
            "The GIFT text holds %(n)s questions; one import may hold at most %(limit)s. Split it and import the "
            "parts one after another.", n=f"{len(specs) + len(errors):,}", limit=f"{MAX_GIFT_QUESTIONS:,}")))
        return result
    result.errors += errors + _unknown_items(specs) + _ids_elsewhere(specs, result.bank_slug)
    result.warnings += warnings
    if not specs and not errors:
        result.errors.append(ContentError("GIFT", 1, None, _("No question was found in the file.")))
    if result.errors:
        return result
    bank = find_bank(result.bank_slug)
    if bank is None:
        bank = QuestionBank(slug=result.bank_slug, title=bank_title.strip()[:200], source="gift")
        db.session.add(bank)
        db.session.flush()
    result.bank_title = bank.title
    result.imported, result.unchanged = save_questions(bank, specs, actor)
    record_event("questions.gift_imported", "question_bank", bank.id, summary=f"{result.imported} questions",
                 actor=actor)
    return result
