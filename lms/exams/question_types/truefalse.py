"""True / false: a statement the learner judges."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from lms.exams.gift_text import as_plain, escape
from lms.exams.question_types.base import Feedback, FieldProblem, QuestionType, text_of

GIFT_KEYS = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class TrueFalse(QuestionType):
    name = "truefalse"
    label = _l("True / false")
    partial = "exams/types/choice.html"
    file_fields = frozenset({"answer"})
    editor_fields = ("truefalse",)
    row_partial = "exams/editor/truefalse.html"
    row_fields = ("truefalse", "feedback_true", "feedback_false")
    gift_order = 60

    def validate(self, data):
        return [] if isinstance(data.get("answer"), bool) else [gettext("answer must be true or false")]

    def grade(self, data, response):
        value = (response or {}).get("value")
        if not isinstance(value, bool):
            return Feedback(0.0)
        message = data.get("feedback_true" if value else "feedback_false") or ""
        return Feedback(1.0 if value == data["answer"] else 0.0, (message,) if message else ())

    def parse_form(self, form, prefix):
        value = form.get(prefix)
        return {"value": value == "true"} if value in ("true", "false") else None

    def correct_response(self, data):
        return {"value": data["answer"]}

    def statement_key(self, data):
        return data.get("answer") if isinstance(data.get("answer"), bool) else None

    def choice_key(self, response):
        return None if not response else ("true" if response.get("value") else "false")

    def view(self, data, presentation, response, correct):
        given = (response or {}).get("value")
        right = (correct or {}).get("value")
        return {"input_type": "radio", "options": [
            {"value": "true", "text": gettext("True"), "checked": given is True, "is_right": right is True},
            {"value": "false", "text": gettext("False"), "checked": given is False, "is_right": right is False}]}

    def from_file(self, question, f):
        return {"answer": question.get("answer"), "feedback_true": "", "feedback_false": ""}

    def gift_claims(self, answer_text):
        return answer_text.split("#", 1)[0].strip() in GIFT_KEYS

    def from_gift(self, answer_text, warnings):
        key, *feedback = [as_plain(p) for p in answer_text.split("#", 2)]
        answer = GIFT_KEYS[key]
        wrong = feedback[0] if feedback else ""  # Moodle: the first feedback is for a wrong answer
        right = feedback[1] if len(feedback) > 1 else ""
        return {"answer": answer, "feedback_true": right if answer else wrong,
                "feedback_false": wrong if answer else right}, None

    def to_gift(self, data):
        right = data.get("feedback_true" if data["answer"] else "feedback_false", "")
        wrong = data.get("feedback_false" if data["answer"] else "feedback_true", "")
        return ("T" if data["answer"] else "F") + (f"#{escape(wrong)}#{escape(right)}" if wrong or right else "")

    def from_editor(self, fields):
        return {"answer": fields.truefalse == "true", "feedback_true": "", "feedback_false": ""}

    def to_editor(self, data):
        return {"truefalse": "true" if data["answer"] else "false"}

    def to_rows(self, data):
        return {"truefalse": "true" if data["answer"] else "false", "feedback_true": data.get("feedback_true", ""),
                "feedback_false": data.get("feedback_false", "")}

    def from_rows(self, rows):
        if rows.get("truefalse") not in ("true", "false"):
            raise FieldProblem("truefalse", gettext("Say whether the statement is true or false."))
        return {"answer": rows["truefalse"] == "true", "feedback_true": text_of(rows, "feedback_true"),
                "feedback_false": text_of(rows, "feedback_false")}
