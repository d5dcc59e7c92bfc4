"""Numerical: a number, right within a tolerance or a range."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from lms.exams.gift_text import escape, percent, split_answers, take_feedback, take_weight, unhide
from lms.exams.question_types.base import (
    Feedback,
    FieldProblem,
    QuestionType,
    credit_text,
    is_blank,
    number_text,
    parse_credit,
    parse_number,
    text_of,
)
from lms.exams.question_types.short import best_match


def _file_number(value):
    # Numbers are kept as floats whatever the file wrote (3 or 3.0), so content hashes agree.
    parsed = parse_number(value)
    return parsed if parsed is not None else value


def _gift_value(value_text: str) -> tuple[float, float] | str:
    """(value, tolerance) of '3', '3:0.5' or '1..5', or a problem."""
    if ".." in value_text:
        low, high = (parse_number(v) for v in value_text.split("..", 1))
        if low is None or high is None or high < low:
            return gettext("'%(value)s' is not a range like 1..5", value=value_text)
        return (low + high) / 2, (high - low) / 2
    if ":" in value_text:
        value, tolerance = (parse_number(v) for v in value_text.split(":", 1))
        if value is None or tolerance is None or tolerance < 0:
            return gettext("'%(value)s' is not a number with a margin like 3:0.5", value=value_text)
        return value, tolerance
    value = parse_number(value_text)
    return (value, 0.0) if value is not None else gettext("'%(value)s' is not a number", value=value_text)


class Numerical(QuestionType):
    name = "numerical"
    label = _l("Numerical")
    partial = "exams/types/text_answer.html"
    file_fields = frozenset({"answer", "answers", "tolerance"})
    editor_fields = ("number", "tolerance")
    row_partial = "exams/editor/numbers.html"
    row_fields = ("numbers", "wrong_feedback")
    gift_order = 20

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
        return best_match(data["answers"],
                          lambda answer: abs(number - answer["value"]) <= answer.get("tolerance", 0) + 1e-9)

    def parse_form(self, form, prefix):
        value = (form.get(prefix) or "").strip()
        return {"value": value[:50]} if value else None

    def correct_response(self, data):
        return {"value": f"{max(data['answers'], key=lambda a: a['weight'])['value']:g}"}

    def view(self, data, presentation, response, correct):
        return {"value": (response or {}).get("value", ""), "max_length": 50, "numeric": True,
                "accepted": (correct or {}).get("value")}

    def from_file(self, question, f):
        if "answers" in question:
            raw = question["answers"] if isinstance(question["answers"], list) else []
            return {"answers": [{"value": _file_number(a.get("value")), "tolerance": _file_number(a.get("tolerance", 0)),
                                 "weight": float(a.get("weight", 1)), "feedback": str(a.get("feedback", ""))}
                                for a in raw if isinstance(a, dict)]}
        return {"answers": [{"value": _file_number(question.get("answer")),
                             "tolerance": _file_number(question.get("tolerance", 0) or 0), "weight": 1.0,
                             "feedback": ""}]}

    def gift_claims(self, answer_text):
        return answer_text.startswith("#")

    def from_gift(self, answer_text, warnings):
        body, _sep, wrong = answer_text[1:].partition("~")
        parts = split_answers(body.strip(), "=") if body.strip().startswith("=") else [body.strip()]
        answers = []
        for part in parts:
            weight, part = take_weight(part[1:].strip() if part.startswith("=") else part, 1.0)
            value_text, feedback = part.partition("#")[0].strip(), unhide(part.partition("#")[2].strip())
            found = _gift_value(unhide(value_text))
            if isinstance(found, str):
                return {}, found
            answers.append({"value": found[0], "tolerance": found[1], "weight": weight, "feedback": feedback})
        data = {"answers": answers}
        wrong_feedback = (take_feedback(wrong)[1] or unhide(wrong.strip())) if wrong else ""
        if wrong_feedback:
            data["wrong_feedback"] = wrong_feedback
        return data, None

    def to_gift(self, data):
        text = "#" + " ".join(
            "=" + (percent(a["weight"]) if a["weight"] != 1 else "") + f"{a['value']!r}:{a.get('tolerance', 0)!r}"
            + (f"#{escape(a['feedback'])}" if a.get("feedback") else "") for a in data["answers"])
        return text + (f" ~#{escape(data['wrong_feedback'])}" if data.get("wrong_feedback") else "")

    def from_editor(self, fields):
        value, margin = parse_number(fields.number), parse_number(fields.tolerance or "0")
        if value is None:
            raise FieldProblem("number", gettext("Enter the correct number."))
        if margin is None or margin < 0:
            raise FieldProblem("tolerance", gettext("The margin must be zero or a positive number."))
        return {"answers": [{"value": value, "tolerance": margin, "weight": 1.0, "feedback": ""}]}

    def to_editor(self, data):
        first = data["answers"][0]
        return {"number": f"{first['value']:g}", "tolerance": f"{first.get('tolerance', 0):g}"}

    def to_rows(self, data):
        rows = {"numbers": [{"mode": "margin", "value": number_text(a["value"]),
                             "tolerance": number_text(a.get("tolerance", 0)), "low": "", "high": "",
                             "credit": "" if a["weight"] == 1 else credit_text(a["weight"]),
                             "feedback": a.get("feedback", "")} for a in data.get("answers") or []]}
        return rows | {"wrong_feedback": data.get("wrong_feedback", "")}

    def from_rows(self, rows):
        """Each accepted number as a value with a margin (±), or as a range from … to … (kept as its middle
        and half its width, as GIFT's 1..5 is)."""
        answers = []
        for row in (r for r in rows.get("numbers") or [] if not is_blank(r, ("value", "tolerance", "low", "high",
                                                                               "credit", "feedback"))):
            what = gettext("Accepted number %(n)d", n=len(answers) + 1)
            value, margin = _row_value(row, what)
            credit = parse_credit(row.get("credit"), "numbers", what)
            answers.append({"value": value, "tolerance": margin, "weight": 1.0 if credit is None else credit,
                            "feedback": text_of(row, "feedback")})
        data = {"answers": answers}
        return data | ({"wrong_feedback": text_of(rows, "wrong_feedback")} if text_of(rows, "wrong_feedback") else {})


def _row_value(row: dict, what: str) -> tuple[float, float]:
    if row.get("mode") == "range":
        low, high = parse_number(row.get("low")), parse_number(row.get("high"))
        if low is None or high is None or high < low:
            raise FieldProblem("numbers", gettext("%(what)s: give the range as two numbers, the smaller first.",
                                                  what=what))
        return (low + high) / 2, (high - low) / 2
    value, margin = parse_number(row.get("value")), parse_number(row.get("tolerance") or "0")
    if value is None:
        raise FieldProblem("numbers", gettext("%(what)s: enter the correct number.", what=what))
    if margin is None or margin < 0:
        raise FieldProblem("numbers", gettext("%(what)s: the margin must be zero or a positive number.", what=what))
    return value, margin
