"""Compiling the parts every node kind writes the same way: what a reply, a timeout or a customer's line
does (``marks``, ``set``, ``feedback``, ``goto``), expressions and lists of words. Errors name the node."""

from flask_babel import gettext

from lms.calls.engine import MARKS, Outcome, ScenarioError
from lms.calls.expressions import Expr, ExpressionError, parse


def compile_expression(value, where: str) -> Expr:
    try:
        return parse(value)
    except ExpressionError as exc:
        raise ScenarioError(gettext("bad expression %(expression)s: %(problem)s", expression=repr(value),
                                    problem=exc), where) from None


def compile_strings(value, where: str) -> tuple[str, ...]:
    """A word or a list of words (phrases, standard item codes); blank ones are left out."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ScenarioError(gettext("phrases are a list of words"), where)
    return tuple(str(v) for v in value if str(v).strip())


def compile_sets(sets: dict, where: str) -> tuple[tuple[str, Expr], ...]:
    return tuple((str(name), compile_expression(value, where)) for name, value in sets.items())


def _marks(marks, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(marks, dict):
        raise ScenarioError(gettext("marks must map criteria to met, missed or breached"), where)
    for cid, mark in marks.items():
        if mark not in MARKS:
            raise ScenarioError(gettext("mark for %(criterion)s must be met, missed or breached", criterion=cid),
                                where)
    return tuple((str(cid), str(mark)) for cid, mark in marks.items())


def _branch(branch, is_last: bool, where: str) -> tuple[Expr | None, str]:
    if not isinstance(branch, dict) or "to" not in branch or set(branch) - {"if", "to"}:
        raise ScenarioError(gettext("each branch is {if: condition, to: node}; the last has no if"), where)
    condition = compile_expression(branch["if"], where) if "if" in branch else None
    if condition is None and not is_last:
        raise ScenarioError(gettext("only the last branch may have no condition"), where)
    return condition, str(branch["to"])


def _goto(goto, where: str, required: bool) -> tuple[tuple[Expr | None, str], ...]:
    if goto is None:
        if required:
            raise ScenarioError(gettext("goto is missing: where does the call go next?"), where)
        return ()
    if isinstance(goto, str):
        return ((None, goto),)
    if not isinstance(goto, list) or not goto:
        raise ScenarioError(gettext("goto is a node id or a list of branches"), where)
    branches = tuple(_branch(branch, index == len(goto) - 1, where) for index, branch in enumerate(goto))
    if branches[-1][0] is not None:
        raise ScenarioError(gettext("the last branch must have no condition, so the call always goes on"), where)
    return branches


def compile_outcome(data: dict, where: str, goto_required: bool = True) -> Outcome:
    """An Outcome from its ``marks``, ``set``, ``feedback`` and ``goto`` (a node id, or branches
    ``{if: condition, to: node}`` of which the last has no condition)."""
    marks = _marks(data.get("marks") or {}, where)
    sets = data.get("set") or {}
    if not isinstance(sets, dict):
        raise ScenarioError(gettext("set must map variables to expressions"), where)
    branches = _goto(data.get("goto"), where, goto_required)
    return Outcome(marks, compile_sets(sets, where), str(data.get("feedback") or ""), branches)
