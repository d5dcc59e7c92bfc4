"""Turning the trainer's browser forms into question and exam specs (and back), with field errors."""

import re
from decimal import Decimal

from flask_babel import gettext as _

from lms.errors import DomainError
from lms.exams.loader import UID, DrawSpec, ExamSpec, QuestionSpec, SectionSpec
from lms.exams.question_types import QUESTION_TYPES, parse_number

SPLIT = re.compile(r"[,，、\s]+")


def split_list(value: str | None) -> list[str]:
    return [v for v in SPLIT.split(value or "") if v]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def answers_to_data(qtype: str, answers: str, truefalse: str, number: str, tolerance: str, rubric: str) -> dict:
    """Read the per-type answer fields:
    - single / multiple: one option per line, '*' in front of each correct one, '// feedback' after;
    - short: one accepted answer per line; matching: 'left => right' per line;
    - ordering: the items in their correct order, one per line."""
    if qtype in ("single", "multiple"):
        options, correct = [], []
        for index, line in enumerate(_lines(answers)):
            text, _sep, feedback = line.partition("//")
            is_correct = text.startswith("*")
            options.append({"id": chr(ord("a") + index), "text": text.lstrip("*").strip(), "feedback": feedback.strip()})
            correct.append(is_correct)
        n_right, n_wrong = sum(correct), len(correct) - sum(correct)
        for option, right in zip(options, correct, strict=True):
            if qtype == "single":
                option["weight"] = 1.0 if right else 0.0
            else:
                option["weight"] = round(1 / n_right, 6) if right else (round(-1 / n_wrong, 6) if n_wrong else 0.0)
        return {"options": options}
    if qtype == "truefalse":
        return {"answer": truefalse == "true", "feedback_true": "", "feedback_false": ""}
    if qtype == "short":
        return {"answers": [{"text": line, "weight": 1.0, "feedback": ""} for line in _lines(answers)]}
    if qtype == "numerical":
        value, margin = parse_number(number), parse_number(tolerance or "0")
        if value is None:
            raise DomainError(_("Enter the correct number."), field="number")
        if margin is None or margin < 0:
            raise DomainError(_("The margin must be zero or a positive number."), field="tolerance")
        return {"answers": [{"value": value, "tolerance": margin, "weight": 1.0, "feedback": ""}]}
    if qtype == "matching":
        pairs = []
        for line in _lines(answers):
            if "=>" not in line:
                raise DomainError(_("Write each pair as: item => its match"), field="answers")
            left, right = line.split("=>", 1)
            pairs.append({"left": left.strip(), "right": right.strip()})
        return {"pairs": pairs}
    if qtype == "ordering":
        return {"items": _lines(answers)}
    return {"rubric": rubric or "", "min_words": 0}


def data_to_answers(qtype: str, data: dict) -> str:
    if qtype in ("single", "multiple"):
        return "\n".join(("*" if o["weight"] > 0 else "") + o["text"] + (f" // {o['feedback']}" if o.get("feedback") else "")
                         for o in data["options"])
    if qtype == "short":
        return "\n".join(a["text"] for a in data["answers"])
    if qtype == "matching":
        return "\n".join(f"{p['left']} => {p['right']}" for p in data["pairs"])
    if qtype == "ordering":
        return "\n".join(data["items"])
    return ""


def question_spec_from_form(form, uid: str) -> QuestionSpec:
    qtype = form.qtype.data
    if not UID.match(uid or ""):
        raise DomainError(_("Use lowercase letters, digits, '-', '_' or '.'."), field="uid")
    data = answers_to_data(qtype, form.answers.data, form.truefalse.data, form.number.data, form.tolerance.data,
                           form.rubric.data)
    problems = QUESTION_TYPES[qtype].validate(data)
    if problems:
        raise DomainError("; ".join(problems), field="answers")
    points = float(form.points.data if isinstance(form.points.data, Decimal | int | float) else 1)
    return QuestionSpec(uid, qtype, form.name.data.strip(), form.text.data.strip(), "markdown",
                        tuple(split_list(form.standards.data)), tuple(split_list(form.tags.data)),
                        int(form.difficulty.data), points, (form.feedback.data or "").strip(), data)


def sections_from_text(text: str) -> list[SectionSpec]:
    """One section per line: 'phone-service-001 phone-service-002' (fixed questions) or
    'draw 5 from pro-201 phone' (random, questions carrying every tag), optionally
    'only single multiple truefalse'."""
    sections = []
    for number, line in enumerate(_lines(text), start=1):
        words = split_list(line)
        if words[0].lower() == "draw":
            if len(words) < 4 or not words[1].isdigit() or words[2].lower() != "from":
                raise DomainError(_("Line %(n)d: write 'draw 5 from tag1 tag2'.", n=number), field="sections")
            tags, types = words[3:], []
            if "only" in tags:
                index = tags.index("only")
                tags, types = tags[:index], tags[index + 1:]
            unknown = [t for t in types if t not in QUESTION_TYPES]
            if not tags or unknown:
                raise DomainError(_("Line %(n)d: name at least one tag, and only known types.", n=number),
                                  field="sections")
            sections.append(SectionSpec(draw=DrawSpec(tuple(tags), int(words[1]), tuple(types))))
        else:
            sections.append(SectionSpec(questions=tuple(words)))
    if not sections:
        raise DomainError(_("Add at least one line of questions."), field="sections")
    return sections


def sections_to_text(sections: list[dict]) -> str:
    lines = []
    for section in sections:
        if "draw" in section:
            draw = section["draw"]
            lines.append(f"draw {draw['count']} from {' '.join(draw['tags'])}"
                         + (f" only {' '.join(draw['types'])}" if draw.get("types") else ""))
        else:
            lines.append(" ".join(section["questions"]))
    return "\n".join(lines)


def exam_spec_from_form(form) -> ExamSpec:
    from lms.exams.loader import SLUG

    if not SLUG.match(form.slug.data or ""):
        raise DomainError(_("Use lowercase letters, digits and '-'."), field="slug")
    if form.overdue.data == "grace" and not form.grace_minutes.data:
        raise DomainError(_("A grace period needs some minutes."), field="grace_minutes")
    opens, closes = form.available_from.data, form.available_until.data
    if opens and closes and closes <= opens:
        raise DomainError(_("The exam must close after it opens."), field="available_until")
    settings = {
        "description": form.description.data or "", "time_limit_minutes": form.time_limit_minutes.data,
        "overdue": form.overdue.data, "grace_minutes": form.grace_minutes.data, "attempts": form.attempts.data,
        "cooldown_minutes": form.cooldown_minutes.data, "pass_mark": form.pass_mark.data,
        "shuffle_questions": form.shuffle_questions.data, "shuffle_options": form.shuffle_options.data,
        "layout": form.layout.data, "review": form.review.data,
        "available_from": opens.isoformat() if opens else None,
        "available_until": closes.isoformat() if closes else None,
    }
    return ExamSpec(form.slug.data, form.title.data.strip(), form.kind.data, (form.course.data or "").strip().upper() or None,
                    None, settings, tuple(sections_from_text(form.sections.data)))
