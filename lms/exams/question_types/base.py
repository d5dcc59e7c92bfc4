"""What a question type is: the contract every type fulfils, and helpers the types share.

A type owns everything about its kind of question: the shape of the data a question version stores and
its validation; the learner's form fields and how a post becomes a response; how an attempt presents it
(shuffled order); grading a response (a fraction of the points, or None for a person to grade); what a
correct response is; the ready data its template partial draws (``view``); how it is written in a YAML
bank file, in GIFT, and in the trainer's question form. Nothing here touches Flask or the database.
"""

import math
import random
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import gettext
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


def clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def form_lines(text: str | None) -> list[str]:
    """The non-empty lines of a textarea, trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def indexed_fields(form, prefix: str) -> dict[int, int]:
    """Posted fields named '<prefix>-<n>' holding whole numbers, as {n: value}."""
    found = {}
    for key in form:
        match = re.fullmatch(re.escape(prefix) + r"-(\d{1,3})", key)
        if match and str(form.get(key)).isdigit():
            found[int(match.group(1))] = int(form.get(key))
    return found


@dataclass(frozen=True)
class Feedback:
    fraction: float | None  # None: waits for a grader
    messages: tuple[str, ...] = ()  # per-choice feedback the learner's response triggered


class FieldProblem(ValueError):
    """A trainer's form field that cannot become question data; ``field`` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class EditorFields:
    """The per-type fields of the trainer's question form (lms/exams/forms.py QuestionForm)."""

    answers: str = ""
    truefalse: str = ""
    number: str = ""
    tolerance: str = ""
    rubric: str = ""


class QuestionType:
    name: str = ""
    label = ""  # what trainers call the type (a lazy translation)
    auto_graded: bool = True
    #: the template partial that draws the question (templates/<partial>), given ``view()``'s data
    partial: str = ""
    #: keys of a question in a YAML bank file that this type reads, beside the common ones
    file_fields: frozenset[str] = frozenset()
    #: the fields of the trainer's question form this type uses
    editor_fields: tuple[str, ...] = ()
    #: where Moodle's type detection tries this type in a GIFT answer part; None: GIFT cannot express it
    gift_order: int | None = None
    #: the partial of the question form's per-type rows (templates/exams/editor/…); "": this type is edited
    #: only with the text fields (``from_editor``/``to_editor``)
    row_partial: str = ""
    #: the question form's fields those rows fill (an error in the rows is shown beside the first)
    row_fields: tuple[str, ...] = ()

    # ------------------------------------------------------------ the data and its grading

    def validate(self, data: dict) -> list[str]:
        """What is wrong with a question's data (empty: nothing)."""
        raise NotImplementedError

    def grade(self, data: dict, response: dict | None) -> Feedback:
        raise NotImplementedError

    def correct_response(self, data: dict) -> dict | None:
        """A response that earns full marks (reviews, previews, tests); None when there is none (essays)."""
        raise NotImplementedError

    def choice_key(self, response: dict | None) -> str | None:
        """What the learner chose, as a short key for distractor counts in item analysis; None: not a choice."""
        return None

    def same_shape(self, old: dict, new: dict) -> bool:
        """Whether answers given to ``old`` can be graded with ``new``'s key (regrading after a fix)."""
        return True

    def written_options(self, data: dict) -> list[tuple[str, bool]]:
        """The options the question's writer wrote, in the file's order, each with whether it is (part of) the
        key; empty for a type whose choices are not written per question (item-writing checks read them)."""
        return []

    def statement_key(self, data: dict) -> bool | None:
        """The key of a statement the learner judges true or false; None for every other type."""
        return None

    def grader_notes(self, data: dict) -> str:
        """What a trainer grading or previewing the question reads beside it (an essay's rubric)."""
        return ""

    # ------------------------------------------------------------ the learner's side

    def parse_form(self, form, prefix: str) -> dict | None:
        """The response in a posted form (fields named after ``prefix``, e.g. q3), or None if unanswered."""
        raise NotImplementedError

    def presentation(self, data: dict, rng: random.Random) -> dict:
        """How this attempt shows the question (shuffled order); stored with the attempt."""
        return {}

    def preview_presentation(self, data: dict) -> dict:
        """The presentation of a trainer's preview: the file's own order."""
        return self.presentation(dict(data, shuffle=False), random.Random(0))

    def view(self, data: dict, presentation: dict, response: dict | None, correct: dict | None) -> dict:
        """Ready data for the partial: every choice, what the response chose, and (when ``correct`` is
        given) which answer is right. The partial decides nothing itself."""
        raise NotImplementedError

    # ------------------------------------------------------------ files, GIFT and the question form

    def from_file(self, question, fields) -> dict:
        """The data of a question in a YAML bank (a LineDict); problems go to ``fields`` (content.Fields)."""
        raise NotImplementedError

    def gift_claims(self, answer_text: str) -> bool:
        """Whether, by Moodle's rules, a GIFT answer part is a question of this type."""
        return False

    def from_gift(self, answer_text: str, warnings: list[str]) -> tuple[dict, str | None]:
        """The data of a GIFT answer part (escapes hidden), or a problem; ``warnings`` collects doubts."""
        raise NotImplementedError

    def to_gift(self, data: dict) -> str:
        """The GIFT answer part (inside the braces) of this data."""
        raise NotImplementedError

    def gift_warnings(self, data: dict) -> list[str]:
        """Doubts about imported data that do not stop the import."""
        return []

    def merge_reimported(self, old: dict, new: dict) -> dict:
        """New data for a question imported again from a format that cannot carry all of ``old``."""
        return new

    def from_editor(self, fields: EditorFields) -> dict:
        """The data of the trainer's form fields; raises FieldProblem naming the field at fault."""
        raise NotImplementedError

    def to_editor(self, data: dict) -> dict:
        """The trainer's form field values showing this data."""
        return {}

    def to_rows(self, data: dict) -> dict:
        """The question form's per-type rows (options, pairs …) showing this data: plain values named after
        the form's fields. ``from_rows(to_rows(data)) == data`` for valid data."""
        return {}

    def from_rows(self, rows: dict) -> dict:
        """The data of the form's per-type rows (blank rows skipped); raises FieldProblem naming the list."""
        raise NotImplementedError


def is_blank(row: dict | None, keys=None) -> bool:
    """A form row left empty (only its unchecked boxes and blank texts)."""
    values = [v for k, v in (row or {}).items() if keys is None or k in keys]
    return not any(str(v).strip() for v in values if v not in (None, False))


def text_of(row: dict, key: str) -> str:
    return str(row.get(key) or "").strip()


def number_text(value) -> str:
    """A stored number as the form shows it, exactly (3.0 → '3', 0.1 → '0.1')."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def credit_text(weight: float) -> str:
    """A weight as a percentage for the form (0.5 → '50')."""
    return number_text(round(weight * 100, 4))


def parse_credit(value, field: str, what: str) -> float | None:
    """A percentage typed in the form as a weight (-100 … 100), None when left blank."""
    if value is None or not str(value).strip():
        return None
    number = parse_number(str(value).strip().rstrip("%％"))
    if number is None or not -100 <= number <= 100:
        raise FieldProblem(field, gettext("%(what)s: credit must be a percentage from -100 to 100.", what=what))
    return round(number / 100, 6)


def not_a_number(value) -> str:
    return gettext("'%(value)s' is not a number", value=value)
