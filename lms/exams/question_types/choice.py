"""Choice questions: single choice (one right option) and multiple response (partial credit)."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from lms.exams.gift_text import percent, split_answers, take_feedback, take_weight, with_feedback
from lms.exams.question_types.base import (
    MAX_OPTIONS,
    Feedback,
    FieldProblem,
    QuestionType,
    clamp,
    credit_text,
    form_lines,
    is_blank,
    parse_credit,
    text_of,
)


def option_id(index: int) -> str:
    return chr(ord("a") + index) if index < 26 else f"o{index}"


def _option_errors(options) -> list[str]:
    import math

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


def _file_weight(option: dict, index: int, f, line: int) -> float | None:
    weight = option["weight"]
    if isinstance(weight, bool) or not isinstance(weight, int | float):
        f.error("options", gettext("option %(n)d: weight must be a number", n=index + 1), line)
        return None
    return float(weight) / (100 if abs(weight) > 1 else 1)


class _Choice(QuestionType):
    """What single choice and multiple response share: options with weights and feedback."""

    partial = "exams/types/choice.html"
    file_fields = frozenset({"options"})
    editor_fields = ("answers",)
    row_partial = "exams/editor/options.html"
    row_fields = ("options",)
    input_type = "radio"

    def validate(self, data):
        options = data.get("options") or []
        errors = []
        if not 2 <= len(options) <= MAX_OPTIONS:
            errors.append(gettext("needs 2 to %(n)d options", n=MAX_OPTIONS))
        return errors + self._key_errors(options) + _option_errors(options)

    def _key_errors(self, options) -> list[str]:
        raise NotImplementedError

    def chosen(self, response: dict | None) -> set[str]:
        raise NotImplementedError

    def default_weights(self, correct: list[bool]) -> list[float]:
        """Weights of options marked only right or wrong (files and the question form)."""
        raise NotImplementedError

    def presentation(self, data, rng):
        order = [o["id"] for o in data["options"]]
        if data.get("shuffle", True):
            rng.shuffle(order)
        return {"options": order}

    def view(self, data, presentation, response, correct):
        by_id = {o["id"]: o for o in data["options"]}
        chosen, right = self.chosen(response), self.chosen(correct) if correct else set()
        order = presentation.get("options") or list(by_id)
        return {"input_type": self.input_type,
                "options": [{"value": oid, "text": by_id[oid]["text"], "checked": oid in chosen,
                             "is_right": oid in right} for oid in order if oid in by_id]}

    def written_options(self, data):
        right = self.chosen(self.correct_response(data))
        return [(o["text"], o["id"] in right) for o in data["options"]]

    def choice_key(self, response):
        return ",".join(sorted(self.chosen(response)))[:100] or None

    def same_shape(self, old, new):
        return [o["id"] for o in old["options"]] == [o["id"] for o in new["options"]]

    # ------------------------------------------------------------ files

    def from_file(self, question, f):
        raw, line = question.get("options"), question.line_of("options")
        if not isinstance(raw, list):
            f.error("options", gettext("list the options: - {text: …, correct: true}"), line)
            return {"options": []}
        weights = self.default_weights([isinstance(o, dict) and o.get("correct") is True for o in raw])
        options = []
        for index, option in enumerate(raw):
            if not isinstance(option, dict) or not str(option.get("text", "")).strip():
                f.error("options", gettext("option %(n)d needs a text", n=index + 1), line)
                continue
            unknown = set(option) - {"text", "correct", "feedback", "weight"}
            if unknown:
                f.error("options", gettext("option %(n)d has unknown fields %(fields)s", n=index + 1,
                                           fields=", ".join(sorted(unknown))), line)
            weight = _file_weight(option, index, f, line) if "weight" in option else weights[index]
            options.append({"id": option_id(index), "text": str(option["text"]).strip(),
                            "weight": round(weight or 0.0, 6), "feedback": str(option.get("feedback", "") or "").strip()})
        return {"options": options}

    # ------------------------------------------------------------ GIFT

    def from_gift(self, answer_text, warnings):
        options = []
        for index, part in enumerate(split_answers(answer_text, "~=")):
            # As Moodle reads it, text before the first marker is a wrong choice.
            marker, body = (part[0], part[1:].strip()) if part[0] in "~=" else ("~", part)
            weight, body = take_weight(body, 1.0 if marker == "=" else 0.0)
            text, feedback = take_feedback(body)
            options.append({"id": option_id(index), "text": text, "weight": weight, "feedback": feedback})
        if len(options) < 2:
            return {}, gettext("a multiple-choice question needs at least two choices")
        return {"options": options}, None

    def to_gift(self, data):
        return " ".join(self._gift_marker(o["weight"]) + with_feedback(o["text"], o.get("feedback", ""))
                        for o in data["options"])

    def _gift_marker(self, weight: float) -> str:
        return "~" + (percent(weight) if weight else "")

    # ------------------------------------------------------------ the question form

    def from_editor(self, fields):
        """One option per line, '*' in front of each correct one, '// feedback' after."""
        options, correct = [], []
        for index, line in enumerate(form_lines(fields.answers)):
            text, _sep, feedback = line.partition("//")
            correct.append(text.startswith("*"))
            options.append({"id": option_id(index), "text": text.lstrip("*").strip(), "feedback": feedback.strip()})
        for option, weight in zip(options, self.default_weights(correct), strict=True):
            option["weight"] = round(weight, 6)
        return {"options": options}

    def to_rows(self, data):
        options = data.get("options") or []
        defaults = self.default_weights([o["weight"] > 0 for o in options])
        return {"options": [{"text": o["text"], "correct": o["weight"] > 0, "feedback": o.get("feedback", ""),
                             "credit": "" if abs(o["weight"] - round(default, 6)) < 1e-9 else credit_text(o["weight"])}
                            for o, default in zip(options, defaults, strict=True)]}

    def from_rows(self, rows):
        """Options in the order written; a credit typed beside an option overrides what its toggle gives."""
        options, correct, credits = [], [], []
        for row in (r for r in rows.get("options") or [] if not is_blank(r)):
            number = len(options) + 1
            if not text_of(row, "text"):
                raise FieldProblem("options", gettext("Option %(n)d has no text.", n=number))
            credits.append(parse_credit(row.get("credit"), "options", gettext("Option %(n)d", n=number)))
            correct.append(bool(row.get("correct")) or (credits[-1] or 0) > 0)
            options.append({"id": option_id(number - 1), "text": text_of(row, "text"),
                             "feedback": text_of(row, "feedback")})
        for option, credit, default in zip(options, credits, self.default_weights(correct), strict=True):
            option["weight"] = round(default if credit is None else credit, 6)
        return {"options": options}

    def to_editor(self, data):
        return {"answers": "\n".join(("*" if o["weight"] > 0 else "") + o["text"]
                                     + (f" // {o['feedback']}" if o.get("feedback") else "") for o in data["options"])}


class SingleChoice(_Choice):
    name = "single"
    label = _l("Single choice")
    gift_order = 40

    def _key_errors(self, options):
        # Several fully correct options are allowed, as Moodle reads {=a =b ~c}: choosing any one is right.
        if not any(o.get("weight", 0) >= 1 for o in options):
            return [gettext("needs one option marked correct")]
        return []

    def chosen(self, response):
        choice = (response or {}).get("choice")
        return {choice} if choice else set()

    def default_weights(self, correct):
        return [1.0 if right else 0.0 for right in correct]

    def grade(self, data, response):
        chosen = (response or {}).get("choice")
        option = next((o for o in data["options"] if o["id"] == chosen), None)
        if option is None:
            return Feedback(0.0)
        return Feedback(clamp(option.get("weight", 0)), (option["feedback"],) if option.get("feedback") else ())

    def parse_form(self, form, prefix):
        value = form.get(prefix)
        return {"choice": value} if value else None

    def correct_response(self, data):
        return {"choice": max(data["options"], key=lambda o: o.get("weight", 0))["id"]}

    def gift_claims(self, answer_text):
        return "~" in answer_text and "=" in answer_text

    def _gift_marker(self, weight):
        return "=" if weight >= 1 else super()._gift_marker(weight)


class MultipleResponse(_Choice):
    """Partial credit: each chosen option adds its weight (correct ones share +100%, wrong ones -100%),
    never below zero — so choosing every option earns nothing."""

    name = "multiple"
    label = _l("Multiple response")
    gift_order = 41
    input_type = "checkbox"

    def _key_errors(self, options):
        positive = sum(o.get("weight", 0) for o in options if o.get("weight", 0) > 0)
        if not any(o.get("weight", 0) > 0 for o in options):
            return [gettext("needs at least one correct option")]
        if abs(positive - 1) > 0.02:
            return [gettext("the correct options' weights add up to %(total)s, not 100%%", total=f"{positive:.0%}")]
        return []

    def chosen(self, response):
        return set((response or {}).get("choices") or [])

    def default_weights(self, correct):
        n_right, n_wrong = sum(correct), len(correct) - sum(correct)
        return [(1 / n_right) if right else (-1 / n_wrong if n_wrong else 0.0) for right in correct]

    def grade(self, data, response):
        chosen = self.chosen(response)
        picked = [o for o in data["options"] if o["id"] in chosen]
        return Feedback(clamp(sum(o.get("weight", 0) for o in picked)),
                        tuple(o["feedback"] for o in picked if o.get("feedback")))

    def parse_form(self, form, prefix):
        values = form.getlist(prefix) if hasattr(form, "getlist") else form.get(prefix, [])
        return {"choices": sorted(set(values))} if values else None

    def correct_response(self, data):
        return {"choices": sorted(o["id"] for o in data["options"] if o.get("weight", 0) > 0)}

    def gift_claims(self, answer_text):
        return "~" in answer_text and "=" not in answer_text

    def gift_warnings(self, data):
        total = sum(o["weight"] for o in data["options"])
        if total <= 0:
            return []
        return [gettext("choosing every option earns %(total)s; give wrong options negative weights such as %%-100%%",
                        total=f"{total:.0%}")]
