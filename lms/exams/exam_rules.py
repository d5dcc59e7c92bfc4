"""The one check of an exam's sections, run by the file importer and by the browser's exam builder
alike: every attempt must get as many questions as the exam says.

Pure: it is given the sections, the question ids that exist and, for each draw, the ids it may draw
from (the importer from the files, the builder from the database). What it refuses: a draw of no
question; a fixed question that does not exist or is listed twice; a draw that, in the worst case,
cannot be filled because fixed questions (never drawn) and earlier draws from the same questions
(which may take exactly the ones it needs) leave too few.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import gettext

if TYPE_CHECKING:  # the loader uses this module: only the types come from there
    from lms.exams.loader import DrawSpec, SectionSpec


@dataclass(frozen=True)
class QuestionFacts:
    """What a draw's filters read of a question."""

    qtype: str
    tags: Sequence[str]
    standards: Sequence[str]
    difficulty: int
    bank: str


def draw_matches(draw: "DrawSpec", question: QuestionFacts) -> bool:
    """Whether a draw may take this question: every tag and standard item, its bank, type and difficulty."""
    return (set(draw.tags) <= set(question.tags) and set(draw.standards) <= set(question.standards)
            and (not draw.bank or draw.bank == question.bank) and (not draw.types or question.qtype in draw.types)
            and (not draw.difficulties or question.difficulty in draw.difficulties))


def describe_pool(draw: "DrawSpec", bank_titles: dict[str, str] | None = None) -> str:
    """A draw's pool in words: 'tagged pro-201, from bank 電話服務, citing 4.1.1-a, difficulty 1'."""
    parts = []
    if draw.tags:
        parts.append(gettext("tagged %(tags)s", tags=", ".join(draw.tags)))
    if draw.bank:
        parts.append(gettext("from the bank %(bank)s", bank=(bank_titles or {}).get(draw.bank, draw.bank)))
    if draw.standards:
        parts.append(gettext("citing %(items)s", items=", ".join(draw.standards)))
    if draw.difficulties:
        parts.append(gettext("of difficulty %(levels)s", levels=", ".join(str(d) for d in draw.difficulties)))
    return gettext(", ").join(parts)


def draw_reference_problems(sections: Sequence["SectionSpec"], banks: set[str], items: set[str]) -> list[str]:
    """Draws naming a bank or a standard item that does not exist."""
    problems = []
    for number, section in enumerate(sections, start=1):
        draw = section.draw
        if draw is not None and draw.bank and draw.bank not in banks:
            problems.append(gettext("Section %(n)d: there is no bank %(bank)s.", n=number, bank=draw.bank))
        missing = [code for code in (draw.standards if draw else ()) if code not in items]
        if missing:
            problems.append(gettext("Section %(n)d: there is no standard item %(codes)s.", n=number,
                                    codes="、".join(missing)))
    return problems


@dataclass(frozen=True)
class SectionProblem:
    section: int  # 1-based, in the order the exam lists its sections
    message: str


def _fixed_problems(sections: Sequence["SectionSpec"], existing: set[str]) -> list[SectionProblem]:
    problems, first_seen = [], {}
    for number, section in enumerate(sections, start=1):
        missing = [uid for uid in section.questions if uid not in existing]
        if missing:
            problems.append(SectionProblem(number, gettext("Section %(n)d: no question %(ids)s.", n=number,
                                                           ids="、".join(dict.fromkeys(missing)))))
        for uid in section.questions:
            if uid in first_seen:
                problems.append(SectionProblem(number, gettext(
                    "Section %(n)d: question %(id)s is already listed in section %(other)d; an attempt shows each "
                    "question once, so the exam would be shorter than it says.", n=number, id=uid,
                    other=first_seen[uid])))
            first_seen.setdefault(uid, number)
    return problems


def _draw_problem(number: int, draw: "DrawSpec", pool: set[str], earlier: list[tuple[int, set[str]]],
                  bank_titles: dict[str, str] | None = None) -> str | None:
    if draw.count < 1:
        return gettext("Section %(n)d: draw at least one question.", n=number)
    # Earlier draws may take, at worst, as many of this pool's questions as they draw.
    taken = min(len(pool), sum(min(count, len(pool & other)) for count, other in earlier))
    if len(pool) - taken >= draw.count:
        return None
    if draw.bank or draw.standards or draw.difficulties or not draw.tags:
        return _filtered_draw_problem(number, describe_pool(draw, bank_titles), draw.count, len(pool), taken)
    if taken:
        return gettext("Section %(n)d draws %(count)d questions tagged %(tags)s: %(pool)d can be drawn, but earlier "
                       "sections may take %(taken)d of them. Give the sections tags that do not overlap, or draw "
                       "fewer.", n=number, count=draw.count, tags=", ".join(draw.tags), pool=len(pool), taken=taken)
    return gettext("Section %(n)d draws %(count)d questions tagged %(tags)s, but only %(pool)d can be drawn "
                   "(fixed questions are never drawn).", n=number, count=draw.count, tags=", ".join(draw.tags),
                   pool=len(pool))


def _filtered_draw_problem(number: int, described: str, count: int, pool: int, taken: int) -> str:
    if taken:
        return gettext("Section %(n)d draws %(count)d questions %(pool)s: %(size)d can be drawn, but earlier sections "
                       "may take %(taken)d of them. Give the sections pools that do not overlap, or draw fewer.",
                       n=number, count=count, pool=described, size=pool, taken=taken)
    return gettext("Section %(n)d draws %(count)d questions %(pool)s, but only %(size)d can be drawn (fixed questions "
                   "are never drawn).", n=number, count=count, pool=described, size=pool)


def section_problems(sections: Sequence["SectionSpec"], existing: set[str],
                     pool_of: Callable[["DrawSpec"], set[str]],
                     bank_titles: dict[str, str] | None = None) -> list[SectionProblem]:
    """Everything that would give an attempt fewer questions than the exam says (empty when none); banks
    are named by their titles when ``bank_titles`` has them."""
    problems = _fixed_problems(sections, existing)
    fixed = {uid for section in sections for uid in section.questions}
    earlier: list[tuple[int, set[str]]] = []
    for number, section in enumerate(sections, start=1):
        if section.draw is None:
            continue
        pool = pool_of(section.draw) - fixed
        problem = _draw_problem(number, section.draw, pool, earlier, bank_titles)
        if problem:
            problems.append(SectionProblem(number, problem))
        earlier.append((max(section.draw.count, 0), pool))
    return problems
