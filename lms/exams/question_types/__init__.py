"""Question types: one class per type, each owning everything about its kind of question
(lms/exams/question_types/base.py says what). The registry below is the only list of them.

Adding a type: write its class (a module here, or anywhere that calls ``register``) and its template
partial; nothing else changes. The loaders, GIFT, the question form, attempts, grading, reviews,
regrading and item analysis all ask the registry.
"""

from lms.exams.question_types.base import (
    EditorFields,
    Feedback,
    FieldProblem,
    QuestionType,
    normalise_answer,
    parse_number,
)
from lms.exams.question_types.choice import MultipleResponse, SingleChoice
from lms.exams.question_types.essay import Essay
from lms.exams.question_types.matching import Matching
from lms.exams.question_types.numerical import Numerical
from lms.exams.question_types.ordering import Ordering
from lms.exams.question_types.short import ShortAnswer
from lms.exams.question_types.truefalse import TrueFalse

QUESTION_TYPES: dict[str, QuestionType] = {}


def register(question_type: QuestionType) -> QuestionType:
    """Add a type to the registry (the order of registration is the order forms list them)."""
    QUESTION_TYPES[question_type.name] = question_type
    return question_type


def unregister(name: str) -> None:
    QUESTION_TYPES.pop(name, None)


for _type in (SingleChoice(), MultipleResponse(), TrueFalse(), ShortAnswer(), Numerical(), Matching(), Ordering(),
              Essay()):
    register(_type)


def type_labels() -> dict[str, str]:
    """What trainers call each type, by type name (lazy translations)."""
    return {name: t.label for name, t in QUESTION_TYPES.items()}


def gift_types() -> list[QuestionType]:
    """The types GIFT can express, in the order Moodle's importer tries them."""
    return sorted((t for t in QUESTION_TYPES.values() if t.gift_order is not None), key=lambda t: t.gift_order)


def grade_response(qtype: str, data: dict, response: dict | None) -> Feedback:
    """Grade one response; unknown or malformed responses earn zero, never an exception."""
    question_type = QUESTION_TYPES.get(qtype)
    if question_type is None:  # a type no longer known: a person decides
        return Feedback(None)
    try:
        return question_type.grade(data, response if isinstance(response, dict) else None)
    except (KeyError, TypeError, ValueError, AttributeError):
        return Feedback(0.0 if question_type.auto_graded else None)


__all__ = ["QUESTION_TYPES", "EditorFields", "Feedback", "FieldProblem", "QuestionType", "grade_response",
           "gift_types", "normalise_answer", "parse_number", "register", "type_labels", "unregister"]
