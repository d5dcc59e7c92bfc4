"""Ordering: put items in order (the five complaint-handling steps); every item in place earns its share."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from lms.exams.question_types.base import (
    Feedback,
    QuestionType,
    form_lines,
    indexed_fields,
    is_blank,
    text_of,
)


class Ordering(QuestionType):
    name = "ordering"
    label = _l("Ordering")
    partial = "exams/types/ordering.html"
    file_fields = frozenset({"items"})
    editor_fields = ("answers",)
    row_partial = "exams/editor/items.html"
    row_fields = ("items",)
    gift_order = None  # GIFT has no way to write it

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
        places = indexed_fields(form, prefix)
        if not places:
            return None
        # The form gives each item a rank (1 = first); ties keep the shown order.
        return {"order": sorted(places, key=lambda item: (places[item], item))}

    def presentation(self, data, rng):
        order = list(range(len(data["items"])))
        while len(order) > 1 and order == sorted(order):
            rng.shuffle(order)
        return {"items": order}

    def preview_presentation(self, data):
        return {"items": list(range(len(data["items"])))}

    def correct_response(self, data):
        return {"order": list(range(len(data["items"])))}

    def same_shape(self, old, new):
        return len(old["items"]) == len(new["items"])

    def view(self, data, presentation, response, correct):
        items, order = data["items"], (response or {}).get("order") or []
        return {"places": list(range(1, len(items) + 1)),
                "rows": [{"index": i, "text": items[i], "place": order.index(i) + 1 if i in order else None,
                          "correct": i + 1 if correct else None}
                         for i in presentation.get("items", range(len(items))) if i < len(items)]}

    def from_file(self, question, f):
        raw = question.get("items") if isinstance(question.get("items"), list) else []
        return {"items": [str(item).strip() for item in raw]}

    def from_editor(self, fields):
        """The items in their correct order, one per line."""
        return {"items": form_lines(fields.answers)}

    def to_editor(self, data):
        return {"answers": "\n".join(data["items"])}

    def to_rows(self, data):
        return {"items": [{"text": item} for item in data.get("items") or []]}

    def from_rows(self, rows):
        """The items in their correct order."""
        return {"items": [text_of(row, "text") for row in rows.get("items") or [] if not is_blank(row)]}
