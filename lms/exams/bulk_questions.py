"""Many questions saved into one bank at once (a GIFT file of thousands of questions): the same records
``sync.save_question`` writes one by one — a question, its new version when changed, its tags and its
citations — written with a few statements per 500 questions instead of ten per question.

Only questions of the bank itself are updated (``gift_files`` refuses ids of other banks beforehand).
"""

from dataclasses import dataclass, replace

from sqlalchemy import delete, func, insert, select, update

from lms.accounts.models import User
from lms.db import db
from lms.exams.loader import QuestionSpec
from lms.exams.models import Question, QuestionBank, QuestionTag, QuestionVersion
from lms.exams.question_types import QUESTION_TYPES
from lms.exams.sync import render_text
from lms.standards.services import item_lookup, replace_citations
from lms.urls import path_for

CHUNK = 500


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass(frozen=True)
class _Existing:
    id: int
    content_hash: str | None
    qtype: str | None
    data: dict | None
    number: int


def _existing(uids: list[str]) -> dict[str, _Existing]:
    found = {}
    for chunk in _chunks(uids):
        rows = db.session.execute(
            select(Question.uid, Question.id, QuestionVersion.content_hash, QuestionVersion.qtype, QuestionVersion.data)
            .outerjoin(QuestionVersion, QuestionVersion.id == Question.current_version_id)
            .where(Question.uid.in_(chunk)))
        for uid, qid, digest, qtype, data in rows:
            found[uid] = _Existing(qid, digest, qtype, data, 0)
    numbers = {}
    for chunk in _chunks([e.id for e in found.values()]):
        numbers.update(db.session.execute(select(QuestionVersion.question_id, func.max(QuestionVersion.number))
                                          .where(QuestionVersion.question_id.in_(chunk))
                                          .group_by(QuestionVersion.question_id)).all())
    return {uid: replace(e, number=numbers.get(e.id, 0)) for uid, e in found.items()}


def _merged(spec: QuestionSpec, existing: _Existing | None) -> QuestionSpec:
    """What GIFT cannot carry (an essay's rubric) is kept from the question imported over."""
    if existing is None or existing.qtype != spec.qtype or existing.data is None:
        return spec
    return replace(spec, data=QUESTION_TYPES[spec.qtype].merge_reimported(existing.data, spec.data))


def _version_row(question_id: int, number: int, spec: QuestionSpec, actor: User | None, lookup) -> dict:
    return {"question_id": question_id, "number": number, "qtype": spec.qtype, "name": spec.name[:200],
            "text_md": spec.text, "text_html": render_text(spec.text, spec.text_format, lookup),
            "text_format": spec.text_format, "data": spec.data, "feedback_md": spec.feedback,
            "feedback_html": render_text(spec.feedback, spec.text_format, lookup), "standards": list(spec.standards),
            "tags": list(spec.tags), "difficulty": spec.difficulty, "points": spec.points,
            "content_hash": spec.content_hash, "created_by_id": actor.id if actor else None}


def _question_ids(bank: QuestionBank, new_uids: list[str], existing: dict[str, _Existing]) -> dict[str, int]:
    if new_uids:
        db.session.execute(insert(Question), [{"uid": uid, "bank_id": bank.id, "is_retired": False}
                                              for uid in new_uids])
    ids = {uid: e.id for uid, e in existing.items()}
    for chunk in _chunks(new_uids):
        ids.update(db.session.execute(select(Question.uid, Question.id).where(Question.uid.in_(chunk))).all())
    return ids


def _write_versions(rows: list[dict]) -> None:
    """Insert the new versions and make each its question's current one."""
    db.session.execute(insert(QuestionVersion), rows)
    wanted = {(row["question_id"], row["number"]) for row in rows}
    current = []
    for chunk in _chunks(sorted({row["question_id"] for row in rows})):
        current += [{"id": qid, "current_version_id": vid, "is_retired": False}
                    for vid, qid, number in db.session.execute(
                        select(QuestionVersion.id, QuestionVersion.question_id, QuestionVersion.number)
                        .where(QuestionVersion.question_id.in_(chunk)))
                    if (qid, number) in wanted]
    db.session.execute(update(Question), current)


def _write_tags_and_citations(saved: list[tuple[int, QuestionSpec]]) -> None:
    # Ids are URL-safe ([a-z0-9_.-]): one path, built once, serves them all.
    link = path_for("exams_admin.question", uid="0-uid-0")
    for chunk in _chunks(saved):
        ids = [qid for qid, _spec in chunk]
        db.session.execute(delete(QuestionTag).where(QuestionTag.question_id.in_(ids)))
        tags = [{"question_id": qid, "tag": tag[:100]} for qid, spec in chunk for tag in dict.fromkeys(spec.tags)]
        if tags:
            db.session.execute(insert(QuestionTag), tags)
        replace_citations("question", ids, [
            (qid, f"{spec.uid} · {spec.name}"[:300], link.replace("0-uid-0", spec.uid), list(spec.standards)) for qid, spec in chunk])


def save_questions(bank: QuestionBank, specs: list[QuestionSpec], actor: User | None) -> tuple[int, int]:
    """Create or update the bank's questions from specs (a changed one gets a new version); returns how
    many changed and how many were already there unchanged."""
    db.session.flush()
    existing = _existing([spec.uid for spec in specs])
    specs = [_merged(spec, existing.get(spec.uid)) for spec in specs]
    changed = [s for s in specs if s.uid not in existing or existing[s.uid].content_hash != s.content_hash]
    if not changed:
        return 0, len(specs)
    ids = _question_ids(bank, [s.uid for s in changed if s.uid not in existing], existing)
    lookup = item_lookup()
    _write_versions([_version_row(ids[s.uid], existing[s.uid].number + 1 if s.uid in existing else 1, s, actor, lookup)
                     for s in changed])
    _write_tags_and_citations([(ids[s.uid], s) for s in changed])
    db.session.flush()
    return len(changed), len(specs) - len(changed)
