"""GIFT files into and out of question banks: a whole file is checked and imported, or nothing is;
a bank is exported as a file Moodle (and this importer) reads back unchanged."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy import or_, select

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.content.files import SLUG, ContentError
from lms.db import db
from lms.exams.banks import bank_questions, find_bank, find_question
from lms.exams.gift import GiftQuestion, can_export, export_gift
from lms.exams.loader import QuestionSpec, gift_to_specs
from lms.exams.models import QuestionBank, QuestionVersion
from lms.exams.question_types import QUESTION_TYPES
from lms.exams.sync import save_question
from lms.standards.models import StandardItem

MAX_GIFT_BYTES = 2 * 1024 * 1024


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
            raise ValueError(_("Line %(n)d is not UTF-8 text.", n=line)) from None


def _read(data: bytes, result: GiftImportResult) -> str | None:
    """The file's text, or None with the reason in ``result``."""
    if len(data) > MAX_GIFT_BYTES:
        result.errors.append(ContentError("GIFT", None, None, _("The file is larger than 2 MB.")))
    elif not data.strip():
        result.errors.append(ContentError("GIFT", 1, None, _("The file is empty.")))
    else:
        try:
            return _decode(data)
        except ValueError as exc:
            result.errors.append(ContentError("GIFT", None, None, str(exc)))
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


def _merged(spec: QuestionSpec) -> QuestionSpec:
    """What GIFT cannot carry (an essay's rubric) is kept from the question imported over."""
    existing = find_question(spec.uid)
    if existing is None or existing.current_version is None or existing.current_version.qtype != spec.qtype:
        return spec
    return replace(spec, data=QUESTION_TYPES[spec.qtype].merge_reimported(existing.current_version.data, spec.data))


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
    result.errors += errors + _unknown_items(specs)
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
    for spec in specs:
        _question, changed = save_question(bank, _merged(spec), actor)
        result.imported += changed
        result.unchanged += not changed
    record_event("questions.gift_imported", "question_bank", bank.id, summary=f"{result.imported} questions",
                 actor=actor)
    return result
