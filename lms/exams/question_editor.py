"""The trainer's question form: a question version shown in the form, and the form saved as a new version.
Which fields a type uses and what they mean belong to the type (``from_editor``/``to_editor``)."""

from decimal import Decimal

from flask_babel import gettext as _

from lms.accounts.models import User
from lms.conflicts import as_text, check_based_on, fingerprint, posted_base
from lms.errors import DomainError
from lms.exams.banks import check_standards, find_question
from lms.exams.loader import UID, QuestionSpec
from lms.exams.models import Question, QuestionBank, QuestionVersion
from lms.exams.question_types import QUESTION_TYPES, EditorFields, FieldProblem
from lms.exams.sync import save_question

SPLIT = r"[,，、\s]+"


def split_list(value: str | None) -> list[str]:
    """Words of a comma-, 、- or space-separated field."""
    import re

    return [v for v in re.split(SPLIT, value or "") if v]


def form_values(version: QuestionVersion) -> dict:
    """The question form's field values for a version (the type fills its own fields)."""
    values = {"qtype": version.qtype, "name": version.name, "text": version.text_md, "feedback": version.feedback_md,
              "difficulty": str(version.difficulty), "points": version.points,
              "standards": ", ".join(version.standards), "tags": ", ".join(version.tags)}
    values |= QUESTION_TYPES[version.qtype].to_editor(version.data)
    return values | {"based_on": fingerprint(version.content_hash)}


def _spec_from_form(form, uid: str) -> QuestionSpec:
    qtype = form.qtype.data
    if not UID.match(uid or ""):
        raise DomainError(_("Use lowercase letters, digits, '-', '_' or '.'."), field="uid")
    question_type = QUESTION_TYPES[qtype]
    fields = EditorFields(**{name: getattr(form, name).data or "" for name in EditorFields.__dataclass_fields__})
    try:
        data = question_type.from_editor(fields)
    except FieldProblem as problem:
        raise DomainError(problem.message, field=problem.field) from None
    problems = question_type.validate(data)
    if problems:
        raise DomainError("; ".join(problems), field=question_type.editor_fields[0])
    points = float(form.points.data if isinstance(form.points.data, Decimal | int | float) else 1)
    return QuestionSpec(uid, qtype, form.name.data.strip(), form.text.data.strip(), "markdown",
                        tuple(split_list(form.standards.data)), tuple(split_list(form.tags.data)),
                        int(form.difficulty.data), points, (form.feedback.data or "").strip(), data)


def create_question(bank: QuestionBank, form, actor: User) -> Question:
    """A new question in the bank from the trainer's form."""
    uid = (form.uid.data or "").strip().lower()
    if find_question(uid):
        raise DomainError(_("Another question already has this id."), field="uid")
    spec = _spec_from_form(form, uid)
    check_standards(spec.standards)
    question, _changed = save_question(bank, spec, actor)
    return question


def update_question(question: Question, form, actor: User) -> bool:
    """Save the form as the question's next version; False if nothing changed. A form filled from a
    version someone else has replaced since is refused, showing theirs against it (lms.conflicts)."""
    current = question.current_version
    saved = {name: value for name, value in form_values(current).items() if name != "based_on"}
    check_based_on(posted_base(form.based_on), current.content_hash, as_text(saved),
                   as_text({name: getattr(form, name).data for name in saved if hasattr(form, name)}))
    spec = _spec_from_form(form, question.uid)
    if spec.qtype != question.current_version.qtype:
        raise DomainError(_("A question keeps its type; create a new question instead."), field="qtype")
    check_standards(spec.standards)
    _question, changed = save_question(question.bank, spec, actor)
    return changed
