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


def _draw_problem(number: int, draw: "DrawSpec", pool: set[str], earlier: list[tuple[int, set[str]]]) -> str | None:
    if draw.count < 1:
        return gettext("Section %(n)d: draw at least one question.", n=number)
    # Earlier draws may take, at worst, as many of this pool's questions as they draw.
    taken = min(len(pool), sum(min(count, len(pool & other)) for count, other in earlier))
    if len(pool) - taken >= draw.count:
        return None
    if taken:
        return gettext("Section %(n)d draws %(count)d questions tagged %(tags)s: %(pool)d can be drawn, but earlier "
                       "sections may take %(taken)d of them. Give the sections tags that do not overlap, or draw "
                       "fewer.", n=number, count=draw.count, tags=", ".join(draw.tags), pool=len(pool), taken=taken)
    return gettext("Section %(n)d draws %(count)d questions tagged %(tags)s, but only %(pool)d can be drawn "
                   "(fixed questions are never drawn).", n=number, count=draw.count, tags=", ".join(draw.tags),
                   pool=len(pool))


def section_problems(sections: Sequence["SectionSpec"], existing: set[str],
                     pool_of: Callable[["DrawSpec"], set[str]]) -> list[SectionProblem]:
    """Everything that would give an attempt fewer questions than the exam says (empty when none)."""
    problems = _fixed_problems(sections, existing)
    fixed = {uid for section in sections for uid in section.questions}
    earlier: list[tuple[int, set[str]]] = []
    for number, section in enumerate(sections, start=1):
        if section.draw is None:
            continue
        pool = pool_of(section.draw) - fixed
        problem = _draw_problem(number, section.draw, pool, earlier)
        if problem:
            problems.append(SectionProblem(number, problem))
        earlier.append((max(section.draw.count, 0), pool))
    return problems
