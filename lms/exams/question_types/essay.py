"""Essay: free text a trainer grades against a rubric."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from lms.exams.question_types.base import Feedback, FieldProblem, QuestionType, parse_number


class Essay(QuestionType):
    name = "essay"
    label = _l("Essay")
    auto_graded = False
    partial = "exams/types/essay.html"
    file_fields = frozenset({"rubric", "min_words"})
    editor_fields = ("rubric",)
    row_partial = "exams/editor/essay.html"
    row_fields = ("rubric", "min_words")
    gift_order = 10

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

    def grader_notes(self, data):
        return data.get("rubric", "")

    def view(self, data, presentation, response, correct):
        return {"text": (response or {}).get("text", "")}

    def from_file(self, question, f):
        return {"rubric": str(question.get("rubric", "") or ""), "min_words": question.get("min_words", 0) or 0}

    def gift_claims(self, answer_text):
        return answer_text == ""

    def from_gift(self, answer_text, warnings):
        return {"rubric": "", "min_words": 0}, None

    def to_gift(self, data):
        return ""

    def merge_reimported(self, old, new):
        # GIFT cannot carry the grading rubric: importing an essay again keeps the one it had.
        return new if new.get("rubric") else dict(new, rubric=old.get("rubric", ""))

    def from_editor(self, fields):
        return {"rubric": fields.rubric or "", "min_words": 0}

    def to_editor(self, data):
        return {"rubric": data.get("rubric", "")}

    def to_rows(self, data):
        return {"rubric": data.get("rubric", ""), "min_words": str(data.get("min_words", 0) or "")}

    def from_rows(self, rows):
        minimum = parse_number(rows.get("min_words") or "0")
        if minimum is None or minimum < 0 or minimum != int(minimum):
            raise FieldProblem("min_words", gettext("The least number of words is a whole number, 0 or more."))
        return {"rubric": str(rows.get("rubric") or ""), "min_words": int(minimum)}
