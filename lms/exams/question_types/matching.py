"""Matching: each item on the left is matched to one on the right; every right match earns its share."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from lms.exams.gift_text import as_plain, escape, split_answers, unhide
from lms.exams.question_types.base import (
    Feedback,
    FieldProblem,
    QuestionType,
    form_lines,
    indexed_fields,
    is_blank,
    text_of,
)


def _lefts(data: dict) -> list[dict]:
    """The pairs with an item on the left (a pair without one only adds a distractor on the right)."""
    return [p for p in data["pairs"] if p.get("left")]


def rights(data: dict) -> list[str]:
    return list(dict.fromkeys(p["right"] for p in data["pairs"]))


class Matching(QuestionType):
    name = "matching"
    label = _l("Matching")
    partial = "exams/types/matching.html"
    file_fields = frozenset({"pairs"})
    editor_fields = ("answers",)
    row_partial = "exams/editor/pairs.html"
    row_fields = ("pairs",)
    gift_order = 50

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

    def grade(self, data, response):
        matches = (response or {}).get("matches") or {}
        choices, real = rights(data), _lefts(data)
        correct = 0
        for index, pair in enumerate(real):
            chosen = matches.get(str(index))
            if isinstance(chosen, int) and 0 <= chosen < len(choices) and choices[chosen] == pair["right"]:
                correct += 1
        return Feedback(correct / len(real) if real else 0.0)

    def parse_form(self, form, prefix):
        matches = {str(left): right for left, right in indexed_fields(form, prefix).items()}
        return {"matches": matches} if matches else None

    def presentation(self, data, rng):
        lefts, choices = list(range(len(_lefts(data)))), list(range(len(rights(data))))
        rng.shuffle(lefts)
        rng.shuffle(choices)
        return {"lefts": lefts, "rights": choices}

    def preview_presentation(self, data):
        return {"lefts": list(range(len(_lefts(data)))), "rights": list(range(len(rights(data))))}

    def correct_response(self, data):
        choices = rights(data)
        return {"matches": {str(i): choices.index(p["right"]) for i, p in enumerate(_lefts(data))}}

    def same_shape(self, old, new):
        return [p["left"] for p in old["pairs"]] == [p["left"] for p in new["pairs"]]

    def view(self, data, presentation, response, correct):
        lefts, choices = _lefts(data), rights(data)
        matches = (response or {}).get("matches") or {}
        return {"choices": [{"value": i, "text": choices[i]}
                            for i in presentation.get("rights", range(len(choices))) if i < len(choices)],
                "rows": [{"index": i, "left": lefts[i]["left"], "chosen": matches.get(str(i)),
                          "correct": lefts[i]["right"] if correct else None}
                         for i in presentation.get("lefts", range(len(lefts))) if i < len(lefts)]}

    def from_file(self, question, f):
        raw = question.get("pairs") if isinstance(question.get("pairs"), list) else []
        return {"pairs": [{"left": str(p.get("left", "")).strip(), "right": str(p.get("right", "")).strip()}
                          for p in raw if isinstance(p, dict)]}

    def gift_claims(self, answer_text):
        return "=" in answer_text and "->" in answer_text

    def from_gift(self, answer_text, warnings):
        pairs = []
        for part in split_answers(answer_text, "="):
            part = part[1:] if part.startswith("=") else part
            if "->" not in part:
                return {}, gettext("every matching pair needs '->' between the item and its match")
            left, right = part.split("->", 1)
            pairs.append({"left": as_plain(left), "right": unhide(right.strip())})
        return {"pairs": pairs}, None

    def to_gift(self, data):
        return " ".join(f"={escape(p['left'])} -> {escape(p['right'])}" for p in data["pairs"])

    def from_editor(self, fields):
        """One pair per line: 'item => its match'."""
        pairs = []
        for line in form_lines(fields.answers):
            if "=>" not in line:
                raise FieldProblem("answers", gettext("Write each pair as: item => its match"))
            left, right = line.split("=>", 1)
            pairs.append({"left": left.strip(), "right": right.strip()})
        return {"pairs": pairs}

    def to_editor(self, data):
        return {"answers": "\n".join(f"{p['left']} => {p['right']}" for p in data["pairs"])}

    def to_rows(self, data):
        return {"pairs": [{"left": p["left"], "right": p["right"]} for p in data.get("pairs") or []]}

    def from_rows(self, rows):
        """Each pair an item and its match; a match with no item is an extra wrong choice."""
        return {"pairs": [{"left": text_of(row, "left"), "right": text_of(row, "right")}
                          for row in rows.get("pairs") or [] if not is_blank(row)]}
