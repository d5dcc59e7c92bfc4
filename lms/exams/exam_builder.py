"""The exam builder's controls: sections as rows (fixed questions picked from the bank, draw rules with
their filters), the question picker, the blueprint of what an attempt covers, a sample draw made by the
drawing code itself, and the pools an exam page lists. Saving goes through lms/exams/exam_editor.py."""

import random
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.db import db
from lms.errors import DomainError
from lms.exams.attempts import draw_questions
from lms.exams.exam_rules import describe_pool
from lms.exams.loader import DrawSpec, SectionSpec
from lms.exams.models import ExamVersion, Question, QuestionBank, QuestionTag, QuestionVersion
from lms.exams.queries import current_versions, draw_pool
from lms.exams.question_stats import Figures, question_figures, recently_used
from lms.exams.question_types import QUESTION_TYPES, type_labels

PICKER_LIMIT = 60
SAMPLE_SEED_RANGE = 1_000_000


# ---------------------------------------------------------------- choices the controls offer


def builder_choices() -> dict[str, list[tuple[str, str]]]:
    """What the selects list: banks by title, tags, cited standard items, types and difficulties."""
    banks = [(b.slug, b.title) for b in db.session.scalars(select(QuestionBank).order_by(QuestionBank.title))]
    # Each tag with the number of questions carrying it: a tag is a word the trainers chose, the count says
    # how large a pool it draws from.
    tags = db.session.execute(select(QuestionTag.tag, func.count()).group_by(QuestionTag.tag)
                              .order_by(QuestionTag.tag)).all()
    cited = set()
    for standards in db.session.scalars(select(QuestionVersion.standards).join(
            Question, Question.current_version_id == QuestionVersion.id)):
        cited |= set(standards or [])
    return {"banks": banks, "tags": [(t, ngettext("%(tag)s (%(num)d question)", "%(tag)s (%(num)d questions)", n, tag=t))
                     for t, n in tags], "standards": [(c, c) for c in sorted(cited, key=_item_key)],
            "types": [(name, str(label)) for name, label in type_labels().items()],
            "difficulties": [("1", _("1 (easy)")), ("2", _("2 (medium)")), ("3", _("3 (hard)"))]}


def _item_key(code: str) -> tuple:
    number, _sep, letter = code.partition("-")
    return tuple(int(p) if p.isdigit() else 0 for p in number.split(".")), letter


def fill_choices(form, found: dict) -> None:
    """Give the builder's selects (the section rows' and the picker's) their choices."""
    anything = [("", _("any"))]
    for entry in form.parts:
        row = entry.form
        row.bank.choices = anything + found["banks"]
        row.tags.choices, row.standards.choices = found["tags"], found["standards"]
        row.types.choices, row.difficulties.choices = found["types"], found["difficulties"]
    form.pick_bank.choices = anything + found["banks"]
    form.pick_tag.choices = anything + found["tags"]
    form.pick_standard.choices = anything + found["standards"]
    form.pick_type.choices = anything + found["types"]
    form.pick_difficulty.choices = anything + found["difficulties"]


# ---------------------------------------------------------------- sections ↔ rows


def rows_from_sections(sections: list[dict]) -> list[dict]:
    """An exam version's stored sections as the builder's rows."""
    rows = []
    for section in sections:
        if "draw" in section:
            draw = DrawSpec.from_data(section["draw"])
            rows.append({"kind": "draw", "questions": "", "count": draw.count, "bank": draw.bank,
                         "tags": list(draw.tags), "standards": list(draw.standards), "types": list(draw.types),
                         "difficulties": [str(d) for d in draw.difficulties]})
        else:
            rows.append({"kind": "fixed", "questions": " ".join(section["questions"]), "count": None, "bank": "",
                         "tags": [], "standards": [], "types": [], "difficulties": []})
    return rows


def sections_from_rows(rows: list[dict]) -> list[SectionSpec]:
    """The builder's rows as sections; a row that cannot be one is named (DomainError on 'parts')."""
    sections = []
    for number, row in enumerate(rows, start=1):
        if row.get("kind") == "fixed":
            uids = tuple((row.get("questions") or "").split())
            if not uids:
                raise DomainError(_("Section %(n)d has no questions: tick some in the picker and add them, or remove "
                                    "the section.", n=number), field="parts")
            sections.append(SectionSpec(questions=uids))
            continue
        if not row.get("count"):
            raise DomainError(_("Section %(n)d: say how many questions to draw.", n=number), field="parts")
        if not (row.get("tags") or row.get("bank") or row.get("standards")):
            raise DomainError(_("Section %(n)d: choose where to draw from: a bank, a tag or a standard item.",
                                n=number), field="parts")
        sections.append(SectionSpec(draw=DrawSpec(
            tuple(row.get("tags") or ()), int(row["count"]), tuple(t for t in row.get("types") or () if t in QUESTION_TYPES),
            row.get("bank") or "", tuple(row.get("standards") or ()),
            tuple(int(d) for d in row.get("difficulties") or () if str(d) in ("1", "2", "3")))))
    if not sections:
        raise DomainError(_("Add questions from the picker, or a draw rule."), field="parts")
    return sections


# ---------------------------------------------------------------- the picker


@dataclass(frozen=True)
class PickerFilters:
    bank: str = ""
    tag: str = ""
    standard: str = ""
    qtype: str = ""
    difficulty: str = ""
    min_facility: float | None = None
    max_facility: float | None = None
    min_discrimination: float | None = None
    unused_in: int | None = None

    def as_draw(self, count: int = 1) -> DrawSpec:
        """The filters a draw rule can keep (bank, tag, standard item, type, difficulty)."""
        return DrawSpec((self.tag,) if self.tag else (), count, (self.qtype,) if self.qtype else (), self.bank,
                        (self.standard,) if self.standard else (), (int(self.difficulty),) if self.difficulty else ())


@dataclass(frozen=True)
class PickerRow:
    question: Question
    version: QuestionVersion
    figures: Figures | None


@dataclass
class PickerResult:
    rows: list[PickerRow]
    total: int
    filters: PickerFilters = field(default_factory=PickerFilters)


def picker_filters(form) -> PickerFilters:
    def number(f):
        return float(f.data) if f.data is not None and not f.errors else None

    return PickerFilters(form.pick_bank.data or "", form.pick_tag.data or "", form.pick_standard.data or "",
                         form.pick_type.data or "", form.pick_difficulty.data or "", number(form.min_facility),
                         number(form.max_facility), number(form.min_discrimination),
                         form.unused_in.data if form.unused_in.data and not form.unused_in.errors else None)


def _passes(figures: Figures | None, filters: PickerFilters) -> bool:
    checks = [(filters.min_facility, lambda f: f.facility is not None and f.facility >= filters.min_facility),
              (filters.max_facility, lambda f: f.facility is not None and f.facility <= filters.max_facility),
              (filters.min_discrimination,
               lambda f: f.discrimination is not None and f.discrimination >= filters.min_discrimination)]
    return all(limit is None or (figures is not None and check(figures)) for limit, check in checks)


def pick_questions(filters: PickerFilters) -> PickerResult:
    """The active questions the filters let through (at most PICKER_LIMIT shown), with their figures.
    A question no one has answered yet passes no facility or discrimination filter."""
    ids = set(draw_pool(filters.as_draw().as_data()))
    if filters.unused_in:
        ids -= recently_used(filters.unused_in)
    figures = question_figures()
    ids = {qid for qid in ids if _passes(figures.get(qid), filters)}
    questions = list(db.session.scalars(select(Question).where(Question.id.in_(sorted(ids)))
                                        .options(selectinload(Question.current_version), selectinload(Question.bank))
                                        .order_by(Question.uid)
                                        .limit(PICKER_LIMIT))) if ids else []
    rows = [PickerRow(q, q.current_version, figures.get(q.id)) for q in questions]
    return PickerResult(rows, len(ids), filters)


# ---------------------------------------------------------------- the builder's buttons that do not save


def _new_draw_row(draw: DrawSpec) -> dict:
    return rows_from_sections([{"draw": draw.as_data()}])[0]


def apply_builder_action(form) -> bool:
    """Run the builder button pressed (pick, draw, add-draw, remove:n, up:n, down:n, drop:n:id, filter);
    False when the button was 'save' or 'sample'."""
    verb, _sep, rest = (form.row_action.data or "").partition(":")
    if verb not in ("pick", "draw", "add-draw", "remove", "up", "down", "drop", "filter"):
        return False
    rows = list(form.parts.data)
    index_text, _sep, uid = rest.partition(":")
    index = int(index_text) if index_text.isdigit() else -1
    if verb == "pick":
        _add_fixed(rows, [uid for uid in form.picked.data or [] if uid])
    elif verb == "draw":
        filters = picker_filters(form)
        size = len(draw_pool(filters.as_draw().as_data()))
        rows.append(_new_draw_row(filters.as_draw(max(1, min(5, size)))))
    elif verb == "add-draw":
        rows.append(_new_draw_row(DrawSpec((), 1)))
    elif 0 <= index < len(rows):
        _change_row(rows, verb, index, uid)
    _reset_rows(form.parts, rows)
    form.builder.data = "rows"
    return True


def _add_fixed(rows: list[dict], uids: list[str]) -> None:
    listed = {u for row in rows if row.get("kind") == "fixed" for u in (row.get("questions") or "").split()}
    new = [uid for uid in dict.fromkeys(uids) if uid not in listed]
    if not new:
        return
    if rows and rows[-1].get("kind") == "fixed":
        rows[-1] = dict(rows[-1], questions=" ".join([*(rows[-1].get("questions") or "").split(), *new]))
    else:
        rows.append(rows_from_sections([{"questions": new}])[0])


def _change_row(rows: list[dict], verb: str, index: int, uid: str) -> None:
    if verb == "remove":
        rows.pop(index)
    elif verb == "drop":
        rows[index] = dict(rows[index], questions=" ".join(u for u in (rows[index].get("questions") or "").split()
                                                           if u != uid))
    else:
        other = index - 1 if verb == "up" else index + 1
        if 0 <= other < len(rows):
            rows[index], rows[other] = rows[other], rows[index]


def _reset_rows(rows_field, rows: list[dict]) -> None:
    rows_field.entries, rows_field.last_index = [], -1
    for row in rows:
        rows_field.append_entry(row)


# ---------------------------------------------------------------- blueprint, sample draw, pools


@dataclass
class BlueprintLine:
    label: str
    fixed: int = 0
    drawn: float = 0.0  # expected number drawn: each draw's count shared over its pool


@dataclass
class Blueprint:
    by_item: list[BlueprintLine]
    by_difficulty: list[BlueprintLine]
    fixed: int
    drawn: int


def blueprint(sections: list[SectionSpec]) -> Blueprint:
    """Questions per standard item and per difficulty: fixed ones counted, drawn ones as expected on average
    (a question citing two items counts for each)."""
    fixed_uids = [uid for s in sections for uid in s.questions]
    fixed_ids = dict(db.session.execute(select(Question.uid, Question.id).where(Question.uid.in_(fixed_uids))).all())
    pools = [(s.draw, [q for q in draw_pool(s.draw.as_data()) if q not in fixed_ids.values()])
             for s in sections if s.draw is not None]
    versions = current_versions(sorted(set(fixed_ids.values()) | {q for _d, pool in pools for q in pool}))
    items: dict[str, BlueprintLine] = {}
    levels = {level: BlueprintLine(str(level)) for level in (1, 2, 3)}

    def count(version: QuestionVersion, fixed: int, drawn: float) -> None:
        for code in version.standards:
            line = items.setdefault(code, BlueprintLine(code))
            line.fixed, line.drawn = line.fixed + fixed, line.drawn + drawn
        line = levels.setdefault(version.difficulty, BlueprintLine(str(version.difficulty)))
        line.fixed, line.drawn = line.fixed + fixed, line.drawn + drawn

    for qid in dict.fromkeys(fixed_ids[uid] for uid in fixed_uids if uid in fixed_ids):
        if qid in versions:
            count(versions[qid], 1, 0.0)
    for draw, pool in pools:
        for qid in pool:
            if qid in versions:
                count(versions[qid], 0, min(draw.count, len(pool)) / len(pool))
    return Blueprint(sorted(items.values(), key=lambda line: _item_key(line.label)), list(levels.values()),
                     len(set(fixed_ids.values())), sum(min(d.count, len(p)) for d, p in pools))


def sample_draw(sections: list[SectionSpec], seed: int | None = None) -> list[QuestionVersion]:
    """One draw, by the code that draws a learner's attempt (nothing is saved)."""
    version = ExamVersion(sections=[{"questions": list(s.questions)} if s.draw is None else {"draw": s.draw.as_data()}
                                    for s in sections], settings={"shuffle_questions": False})
    rng = random.Random(seed if seed is not None else random.randrange(SAMPLE_SEED_RANGE))
    return draw_questions(version, set(), rng)


@dataclass
class Pool:
    number: int
    count: int  # questions an attempt takes from it
    size: int  # questions it holds
    description: str  # the draw's filters in words ("" for fixed questions)
    standards: list[str]
    questions: list[tuple[str, QuestionVersion]]  # each question's id and current version


def exam_pools(version: ExamVersion) -> list[Pool]:
    """What each section of an exam version can draw: fixed questions, or a pool and its size."""
    sections = [SectionSpec(questions=tuple(s["questions"])) if "questions" in s
                else SectionSpec(draw=DrawSpec.from_data(s["draw"])) for s in version.sections]
    fixed_uids = [uid for s in sections for uid in s.questions]
    fixed_ids = dict(db.session.execute(select(Question.uid, Question.id).where(Question.uid.in_(fixed_uids))).all())
    members = [[fixed_ids[u] for u in s.questions if u in fixed_ids] if s.draw is None
               else [q for q in draw_pool(s.draw.as_data()) if q not in fixed_ids.values()] for s in sections]
    every = sorted({q for ids in members for q in ids})
    versions = current_versions(every)
    uids = dict(db.session.execute(select(Question.id, Question.uid).where(Question.id.in_(every))).all()) if every else {}
    titles = dict(db.session.execute(select(QuestionBank.slug, QuestionBank.title)).all())
    pools = []
    for number, (section, ids) in enumerate(zip(sections, members, strict=True), start=1):
        shown = [(uids.get(q, ""), versions[q]) for q in ids if q in versions]
        cited = sorted({code for _uid, v in shown for code in v.standards}, key=_item_key)
        count = len(shown) if section.draw is None else min(section.draw.count, len(shown))
        pools.append(Pool(number, count, len(shown), describe_pool(section.draw, titles) if section.draw else "",
                          cited, shown))
    return pools
