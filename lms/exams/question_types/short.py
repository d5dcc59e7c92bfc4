"""Short answer: a word or phrase, compared ignoring width, case, spaces and script."""

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from lms.content.simplified import in_content_words
from lms.exams.gift_text import percent, split_answers, take_feedback, take_weight, with_feedback
from lms.exams.question_types.base import (
    Feedback,
    FieldProblem,
    QuestionType,
    clamp,
    credit_text,
    form_lines,
    is_blank,
    normalise_answer,
    parse_credit,
    text_of,
)

# Keywords from translated help pages that Moodle does not read as true/false.
TRANSLATED_TF = {"对", "错", "對", "錯", "正确", "错误", "正確", "錯誤", "真", "假", "是", "否"}


def answer_matches(accepted: str, given: str) -> bool:
    """Whether a normalised response matches an accepted answer, where '*' (as in Moodle) stands for
    any run of characters: an answer '*' catches every other response, so its feedback is shown."""
    pattern = normalise_answer(accepted)
    if "*" not in pattern:
        return pattern == given
    return re.fullmatch(".*".join(re.escape(piece) for piece in pattern.split("*")), given, re.DOTALL) is not None


def best_match(answers: list[dict], matches) -> Feedback:
    """The highest-weighted answer that ``matches``, as feedback (short answers and numbers)."""
    best = None
    for answer in answers:
        if matches(answer) and (best is None or answer["weight"] > best["weight"]):
            best = answer
    if best is None:
        return Feedback(0.0)
    return Feedback(clamp(best["weight"]), (best["feedback"],) if best.get("feedback") else ())


class ShortAnswer(QuestionType):
    name = "short"
    label = _l("Short answer")
    partial = "exams/types/text_answer.html"
    file_fields = frozenset({"answers"})
    editor_fields = ("answers",)
    row_partial = "exams/editor/accepted.html"
    row_fields = ("accepted",)
    gift_order = 1000  # Moodle's last resort: whatever no other type claims
    max_length = 500

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
        text = (response or {}).get("text", "")
        given = normalise_answer(text)
        if not given:
            return Feedback(0.0)
        # Typed in simplified Chinese with mainland words (账户, 信息): read in the content's words too.
        as_content = normalise_answer(in_content_words(text))
        return best_match(data["answers"], lambda answer: answer_matches(answer["text"], given)
                          or answer_matches(answer["text"], as_content))

    def parse_form(self, form, prefix):
        value = (form.get(prefix) or "").strip()
        return {"text": value[: self.max_length]} if value else None

    def correct_response(self, data):
        return {"text": max(data["answers"], key=lambda a: a["weight"])["text"]}

    def view(self, data, presentation, response, correct):
        return {"value": (response or {}).get("text", ""), "max_length": self.max_length, "numeric": False,
                "accepted": (correct or {}).get("text")}

    def from_file(self, question, f):
        raw = question.get("answers")
        if not isinstance(raw, list) or not raw:
            f.error("answers", gettext("list the accepted answers: answers: [三聲, 3聲]"), question.line)
            return {"answers": []}
        return {"answers": [{"text": str(v.get("text", "")), "weight": float(v.get("weight", 1)),
                             "feedback": str(v.get("feedback", ""))} if isinstance(v, dict)
                            else {"text": str(v), "weight": 1.0, "feedback": ""} for v in raw]}

    def gift_claims(self, answer_text):
        return True

    def from_gift(self, answer_text, warnings):
        check = answer_text.split("#", 1)[0].strip()
        if check in TRANSLATED_TF or check.lower() in ("true", "false", "t", "f"):
            warnings.append(gettext(
                "'{%(answer)s}' is read as a short answer; Moodle's true/false is written {T} or {F} in capitals",
                answer=check))
        answers = []
        for part in split_answers(answer_text, "="):
            weight, body = take_weight((part[1:] if part.startswith("=") else part).strip(), 1.0)
            text, feedback = take_feedback(body)
            answers.append({"text": text, "weight": weight, "feedback": feedback})
        if not answers:
            return {}, gettext("a short-answer question needs at least one answer")
        return {"answers": answers}, None

    def to_gift(self, data):
        return " ".join("=" + (percent(a["weight"]) if a["weight"] != 1 else "")
                        + with_feedback(a["text"], a.get("feedback", "")) for a in data["answers"])

    def from_editor(self, fields):
        """One accepted answer per line."""
        return {"answers": [{"text": line, "weight": 1.0, "feedback": ""} for line in form_lines(fields.answers)]}

    def to_editor(self, data):
        return {"answers": "\n".join(a["text"] for a in data["answers"])}

    def to_rows(self, data):
        return {"accepted": [{"text": a["text"], "credit": "" if a["weight"] == 1 else credit_text(a["weight"]),
                              "feedback": a.get("feedback", "")} for a in data.get("answers") or []]}

    def from_rows(self, rows):
        answers = []
        for row in (r for r in rows.get("accepted") or [] if not is_blank(r)):
            what = gettext("Accepted answer %(n)d", n=len(answers) + 1)
            if not text_of(row, "text"):
                raise FieldProblem("accepted", gettext("%(what)s has no text.", what=what))
            credit = parse_credit(row.get("credit"), "accepted", what)
            answers.append({"text": text_of(row, "text"), "weight": 1.0 if credit is None else credit,
                            "feedback": text_of(row, "feedback")})
        return {"answers": answers}
