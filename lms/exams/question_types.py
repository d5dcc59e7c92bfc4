"""Question types: one class per type, registered in QUESTION_TYPES.

Each type owns the shape of its data (what a question version stores), the validation of that data,
how a learner's form post becomes a response, and the pure grading of a response: a fraction of the
question's points between 0 and 1, or None when a person must grade it (essays). Nothing here touches
Flask or the database.
"""

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from opencc import OpenCC

MAX_OPTIONS = 20


@lru_cache(maxsize=1)
def _t2s():
    return OpenCC("t2s")


def normalise_answer(text: str) -> str:
    """Compare short answers ignoring full/half width, case, spaces and traditional/simplified script."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = _t2s().convert(text).casefold()
    return re.sub(r"[\s\u3000]+", "", text).strip("。．.!！?？")


def parse_number(value) -> float | None:
    """A finite number from what a learner typed (full-width digits and commas allowed)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", str(value or "")).strip().replace(",", "")
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
            return None
        number = float(text)
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class Feedback:
    fraction: float | None  # None: waits for a grader
    messages: tuple[str, ...] = ()  # per-choice feedback the learner's response triggered


class QuestionType:
    name: str = ""
    auto_graded: bool = True
    #: form field values the type reads, relative to the question's field prefix
    def validate(self, data: dict) -> list[str]:
        raise NotImplementedError

    def grade(self, data: dict, response: dict | None) -> Feedback:
        raise NotImplementedError

    def parse_form(self, form, prefix: str) -> dict | None:
        raise NotImplementedError

    def presentation(self, data: dict, rng) -> dict:
        """How this attempt shows the question (shuffled order); stored with the attempt."""
        return {}

    def correct_response(self, data: dict) -> dict | None:
        """A response that earns full marks (for reviews and tests)."""
        raise NotImplementedError

    def is_answered(self, response: dict | None) -> bool:
        return bool(response)


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


class SingleChoice(QuestionType):
    name = "single"

    def validate(self, data):
        options = data.get("options") or []
        errors = []
        if not 2 <= len(options) <= MAX_OPTIONS:
            errors.append(gettext("needs 2 to %(n)d options", n=MAX_OPTIONS))
        if not any(o.get("weight", 0) >= 1 for o in options):
            errors.append(gettext("needs one option marked correct"))
        if sum(1 for o in options if o.get("weight", 0) >= 1) > 1:
            errors.append(gettext("has more than one fully correct option; use type multiple"))
        errors += _option_errors(options)
        return errors

    def grade(self, data, response):
        chosen = (response or {}).get("choice")
        option = next((o for o in data["options"] if o["id"] == chosen), None)
        if option is None:
            return Feedback(0.0)
        return Feedback(_clamp(option.get("weight", 0)), (option["feedback"],) if option.get("feedback") else ())

    def parse_form(self, form, prefix):
        value = form.get(prefix)
        return {"choice": value} if value else None

    def presentation(self, data, rng):
        order = [o["id"] for o in data["options"]]
        if data.get("shuffle", True):
            rng.shuffle(order)
        return {"options": order}

    def correct_response(self, data):
        best = max(data["options"], key=lambda o: o.get("weight", 0))
        return {"choice": best["id"]}


def _option_errors(options) -> list[str]:
    errors, ids = [], set()
    for index, option in enumerate(options, start=1):
        if not str(option.get("text", "")).strip():
            errors.append(gettext("option %(n)d has no text", n=index))
        weight = option.get("weight", 0)
        if not isinstance(weight, int | float) or not math.isfinite(weight) or not -1 <= weight <= 1:
            errors.append(gettext("option %(n)d has a weight outside -100%%…100%%", n=index))
        if option.get("id") in ids:
            errors.append(gettext("option %(n)d repeats id %(id)s", n=index, id=option.get("id")))
        ids.add(option.get("id"))
    return errors


class MultipleResponse(QuestionType):
    """Partial credit: each chosen option adds its weight (correct ones share +100%, wrong ones -100%),
    never below zero — so choosing every option earns nothing."""

    name = "multiple"

    def validate(self, data):
        options = data.get("options") or []
        errors = []
        if not 2 <= len(options) <= MAX_OPTIONS:
            errors.append(gettext("needs 2 to %(n)d options", n=MAX_OPTIONS))
        positive = sum(o.get("weight", 0) for o in options if o.get("weight", 0) > 0)
        if not any(o.get("weight", 0) > 0 for o in options):
            errors.append(gettext("needs at least one correct option"))
        elif abs(positive - 1) > 0.02:
            errors.append(gettext("the correct options' weights add up to %(total)s, not 100%%", total=f"{positive:.0%}"))
        errors += _option_errors(options)
        return errors

    def grade(self, data, response):
        chosen = set((response or {}).get("choices") or [])
        picked = [o for o in data["options"] if o["id"] in chosen]
        total = sum(o.get("weight", 0) for o in picked)
        return Feedback(_clamp(total), tuple(o["feedback"] for o in picked if o.get("feedback")))

    def parse_form(self, form, prefix):
        values = form.getlist(prefix) if hasattr(form, "getlist") else form.get(prefix, [])
        return {"choices": sorted(set(values))} if values else None

    presentation = SingleChoice.presentation

    def correct_response(self, data):
        return {"choices": sorted(o["id"] for o in data["options"] if o.get("weight", 0) > 0)}


class TrueFalse(QuestionType):
    name = "truefalse"

    def validate(self, data):
        return [] if isinstance(data.get("answer"), bool) else [gettext("answer must be true or false")]

    def grade(self, data, response):
        value = (response or {}).get("value")
        if not isinstance(value, bool):
            return Feedback(0.0)
        right = value == data["answer"]
        message = data.get("feedback_true" if value else "feedback_false") or ""
        return Feedback(1.0 if right else 0.0, (message,) if message else ())

    def parse_form(self, form, prefix):
        value = form.get(prefix)
        return {"value": value == "true"} if value in ("true", "false") else None

    def correct_response(self, data):
        return {"value": data["answer"]}


class ShortAnswer(QuestionType):
    name = "short"

    def validate(self, data):
        answers = data.get("answers") or []
        errors = []
        if not answers:
            errors.append(gettext("needs at least one accepted answer"))
        if not any(a.get("weight", 0) >= 1 for a in answers):
            errors.append(gettext("needs one answer worth 100%"))
        for index, answer in enumerate(answers, start=1):
            if not normalise_answer(answer.get("text", "")):
                errors.append(gettext("accepted answer %(n)d is empty", n=index))
        return errors

    def grade(self, data, response):
        given = normalise_answer((response or {}).get("text", ""))
        if not given:
            return Feedback(0.0)
        best = None
        for answer in data["answers"]:
            if normalise_answer(answer["text"]) == given and (best is None or answer["weight"] > best["weight"]):
                best = answer
        if best is None:
            return Feedback(0.0)
        return Feedback(_clamp(best["weight"]), (best["feedback"],) if best.get("feedback") else ())

    def parse_form(self, form, prefix):
        value = (form.get(prefix) or "").strip()
        return {"text": value[:500]} if value else None

    def correct_response(self, data):
        return {"text": max(data["answers"], key=lambda a: a["weight"])["text"]}


class Numerical(QuestionType):
    name = "numerical"

    def validate(self, data):
        answers = data.get("answers") or []
        errors = [] if answers else [gettext("needs at least one answer")]
        for index, answer in enumerate(answers, start=1):
            if parse_number(answer.get("value")) is None:
                errors.append(gettext("answer %(n)d is not a number", n=index))
            tolerance = answer.get("tolerance", 0)
            if parse_number(tolerance) is None or tolerance < 0:
                errors.append(gettext("answer %(n)d has a negative or invalid tolerance", n=index))
        if answers and not any(a.get("weight", 0) >= 1 for a in answers):
            errors.append(gettext("needs one answer worth 100%"))
        return errors

    def grade(self, data, response):
        number = parse_number((response or {}).get("value"))
        if number is None:
            return Feedback(0.0)
        best = None
        for answer in data["answers"]:
            if abs(number - answer["value"]) <= answer.get("tolerance", 0) + 1e-9 and (
                    best is None or answer["weight"] > best["weight"]):
                best = answer
        if best is None:
            return Feedback(0.0)
        return Feedback(_clamp(best["weight"]), (best["feedback"],) if best.get("feedback") else ())

    def parse_form(self, form, prefix):
        value = (form.get(prefix) or "").strip()
        return {"value": value[:50]} if value else None

    def correct_response(self, data):
        value = max(data["answers"], key=lambda a: a["weight"])["value"]
        return {"value": f"{value:g}"}


class Matching(QuestionType):
    """Each left item is matched to one of the right items; every correct match earns its share."""

    name = "matching"

    def validate(self, data):
        pairs = data.get("pairs") or []
        errors = []
        real = [p for p in pairs if p.get("left")]
        if len(real) < 2:
            errors.append(gettext("needs at least two pairs"))
        if len({p["left"] for p in real}) != len(real):
            errors.append(gettext("two pairs have the same left item"))
        if any(not p.get("right") for p in pairs):
            errors.append(gettext("every pair needs a right item"))
        return errors

    def rights(self, data) -> list[str]:
        return list(dict.fromkeys(p["right"] for p in data["pairs"]))

    def grade(self, data, response):
        matches = (response or {}).get("matches") or {}
        rights = self.rights(data)
        real = [p for p in data["pairs"] if p.get("left")]
        correct = 0
        for index, pair in enumerate(real):
            chosen = matches.get(str(index))
            if isinstance(chosen, int) and 0 <= chosen < len(rights) and rights[chosen] == pair["right"]:
                correct += 1
        return Feedback(correct / len(real) if real else 0.0)

    def parse_form(self, form, prefix):
        matches = {}
        for key in form:
            match = re.fullmatch(re.escape(prefix) + r"-(\d{1,3})", key)
            if match and str(form.get(key)).isdigit():
                matches[match.group(1)] = int(form.get(key))
        return {"matches": matches} if matches else None

    def presentation(self, data, rng):
        lefts = list(range(sum(1 for p in data["pairs"] if p.get("left"))))
        rights = list(range(len(self.rights(data))))
        rng.shuffle(lefts)
        rng.shuffle(rights)
        return {"lefts": lefts, "rights": rights}

    def correct_response(self, data):
        rights = self.rights(data)
        real = [p for p in data["pairs"] if p.get("left")]
        return {"matches": {str(i): rights.index(p["right"]) for i, p in enumerate(real)}}


class Ordering(QuestionType):
    """Put items in order; every item in its right place earns its share."""

    name = "ordering"

    def validate(self, data):
        items = data.get("items") or []
        errors = [] if len(items) >= 3 else [gettext("needs at least three items")]
        if len(set(items)) != len(items):
            errors.append(gettext("two items are the same"))
        return errors

    def grade(self, data, response):
        order = (response or {}).get("order") or []
        items = data["items"]
        if sorted(order) != list(range(len(items))):
            return Feedback(0.0)
        return Feedback(sum(1 for place, item in enumerate(order) if item == place) / len(items))

    def parse_form(self, form, prefix):
        positions = {}
        for key in form:
            match = re.fullmatch(re.escape(prefix) + r"-(\d{1,3})", key)
            if match and str(form.get(key)).isdigit():
                positions[int(match.group(1))] = int(form.get(key))
        if not positions:
            return None
        # The form gives each item a rank (1 = first); ties keep the shown order.
        ranked = sorted(positions, key=lambda item: (positions[item], item))
        return {"order": ranked}

    def presentation(self, data, rng):
        order = list(range(len(data["items"])))
        while len(order) > 1 and order == sorted(order):
            rng.shuffle(order)
        return {"items": order}

    def correct_response(self, data):
        return {"order": list(range(len(data["items"])))}


class Essay(QuestionType):
    name = "essay"
    auto_graded = False

    def validate(self, data):
        minimum = data.get("min_words", 0)
        return [] if isinstance(minimum, int) and minimum >= 0 else [gettext("min_words must be a whole number")]

    def grade(self, data, response):
        return Feedback(None)

    def parse_form(self, form, prefix):
        value = (form.get(prefix) or "").strip()
        return {"text": value[:20000]} if value else None

    def correct_response(self, data):
        return None


# What trainers call each type (forms, lists and error messages).
TYPE_LABELS = {
    "single": _l("Single choice"),
    "multiple": _l("Multiple response"),
    "truefalse": _l("True / false"),
    "short": _l("Short answer"),
    "numerical": _l("Numerical"),
    "matching": _l("Matching"),
    "ordering": _l("Ordering"),
    "essay": _l("Essay"),
}

QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t for t in (SingleChoice(), MultipleResponse(), TrueFalse(), ShortAnswer(), Numerical(), Matching(),
                        Ordering(), Essay())
}
AUTO_GRADED = tuple(name for name, t in QUESTION_TYPES.items() if t.auto_graded)


def grade_response(qtype: str, data: dict, response: dict | None) -> Feedback:
    """Grade one response; unknown or malformed responses earn zero, never an exception."""
    try:
        return QUESTION_TYPES[qtype].grade(data, response if isinstance(response, dict) else None)
    except (KeyError, TypeError, ValueError, AttributeError):
        return Feedback(0.0 if QUESTION_TYPES.get(qtype, Essay()).auto_graded else None)
