"""The trainer's question form: a question version shown in the form, and the form saved as a new version.
Which fields a type uses and what they mean belong to the type (``from_editor``/``to_editor``)."""

import contextlib
from decimal import Decimal

from flask_babel import gettext as _

from lms.accounts.models import User
from lms.conflicts import as_text, check_based_on, fingerprint, posted_base
from lms.errors import DomainError
from lms.exams.banks import check_standards, find_question
from lms.exams.display import DisplayedQuestion, PreviewQuestion, display_question
from lms.exams.item_lint import lint_item, longest_key_cue, question_findings
from lms.exams.loader import UID, QuestionSpec
from lms.exams.models import Question, QuestionBank, QuestionVersion
from lms.exams.question_types import QUESTION_TYPES, EditorFields, FieldProblem
from lms.exams.sync import item_lookup, render_text, save_question
from lms.views import refuse

ROW_LISTS = ("options", "pairs", "items", "accepted", "numbers")

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
    question_type = QUESTION_TYPES[version.qtype]
    values |= question_type.to_editor(version.data)
    if question_type.row_partial:
        values |= question_type.to_rows(version.data) | {"editor": "rows"}
    return values | {"based_on": fingerprint(version.content_hash)}


def type_partials() -> dict[str, str]:
    """Each type's partial of per-type rows in the question form, for the types that have one."""
    return {name: t.row_partial for name, t in QUESTION_TYPES.items() if t.row_partial}


def text_fields(form) -> tuple[str, ...]:
    """The advanced text fields the form's type reads (all of them for a type not known)."""
    question_type = QUESTION_TYPES.get(form.qtype.data)
    return question_type.editor_fields if question_type else tuple(EditorFields.__dataclass_fields__)


def uses_rows(form) -> bool:
    """Whether the form was filled in with the per-type rows (else with the advanced text fields)."""
    question_type = QUESTION_TYPES.get(form.qtype.data)
    return form.editor.data == "rows" and question_type is not None and bool(question_type.row_partial)


def _type_data(form, question_type) -> dict:
    if uses_rows(form):
        return question_type.from_rows({name: getattr(form, name).data for name in question_type.row_fields})
    fields = EditorFields(**{name: getattr(form, name).data or "" for name in EditorFields.__dataclass_fields__})
    return question_type.from_editor(fields)


def _spec_from_form(form, uid: str) -> QuestionSpec:
    qtype = form.qtype.data
    if not UID.match(uid or ""):
        raise DomainError(_("Use lowercase letters, digits, '-', '_' or '.'."), field="uid")
    question_type = QUESTION_TYPES[qtype]
    try:
        data = _type_data(form, question_type)
    except FieldProblem as problem:
        raise DomainError(problem.message, field=problem.field) from None
    problems = question_type.validate(data)
    if problems:
        first = (question_type.row_fields if uses_rows(form) else question_type.editor_fields)[0]
        raise DomainError("; ".join(problems), field=first)
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


def _posted(form, names) -> dict:
    """The posted values under the names of the saved ones; rows are shown as the text fields show them."""
    values = {name: getattr(form, name).data for name in names if hasattr(form, name)}
    if uses_rows(form):
        question_type = QUESTION_TYPES[form.qtype.data]
        with contextlib.suppress(FieldProblem, KeyError, TypeError, ValueError):
            values |= question_type.to_editor(_type_data(form, question_type))
    return values


def update_question(question: Question, form, actor: User) -> bool:
    """Save the form as the question's next version; False if nothing changed. A form filled from a
    version someone else has replaced since is refused, showing theirs against it (lms.conflicts)."""
    current = question.current_version
    rows = set(QUESTION_TYPES[current.qtype].row_fields) - set(EditorFields.__dataclass_fields__)
    saved = {name: value for name, value in form_values(current).items()
             if name not in ("based_on", "editor") and name not in rows}
    check_based_on(posted_base(form.based_on), current.content_hash, as_text(saved), as_text(_posted(form, saved)))
    spec = _spec_from_form(form, question.uid)
    if spec.qtype != question.current_version.qtype:
        raise DomainError(_("A question keeps its type; create a new question instead."), field="qtype")
    check_standards(spec.standards)
    _question, changed = save_question(question.bank, spec, actor)
    return changed


# ---------------------------------------------------------------- the form's buttons that do not save


def _reset_rows(rows_field, rows: list[dict]) -> None:
    """Fill a list of rows afresh (numbered from 0 again), with at least its blank rows."""
    rows_field.entries, rows_field.last_index = [], -1
    for row in rows:
        rows_field.append_entry(row)
    while len(rows_field.entries) < rows_field.min_entries:
        rows_field.append_entry()


def apply_row_action(form) -> bool:
    """Add, remove or move a row of the per-type lists, as the button pressed says ('add:options',
    'remove:options:2', 'up:pairs:1', 'down:items:0'); False when no such button was pressed."""
    verb, _sep, rest = (form.row_action.data or "").partition(":")
    name, _sep, index_text = rest.partition(":")
    if name not in ROW_LISTS or verb not in ("add", "remove", "up", "down"):
        return False
    rows = list(getattr(form, name).data)
    index = int(index_text) if index_text.isdigit() else -1
    if verb == "add" and len(rows) < getattr(form, name).max_entries:
        rows.append({})
    elif verb == "remove" and 0 <= index < len(rows):
        rows.pop(index)
    elif verb in ("up", "down"):
        other = index - 1 if verb == "up" else index + 1
        if 0 <= index < len(rows) and 0 <= other < len(rows):
            rows[index], rows[other] = rows[other], rows[index]
    _reset_rows(getattr(form, name), rows)
    form.editor.data = "rows"
    return True


def choose_editor(form, asked: str | None) -> None:
    """A form not yet posted shows the per-type rows, or the text fields when asked or when its type has
    no rows."""
    if not form.is_submitted():
        has_rows = bool(QUESTION_TYPES[form.qtype.data].row_partial) if form.qtype.data in QUESTION_TYPES else False
        form.editor.data = "rows" if has_rows and asked != "text" else "text"


def try_preview(form, uid: str | None) -> DisplayedQuestion | None:
    """The preview, or None with the reason shown beside the field at fault."""
    if not form.validate():
        return None
    try:
        return preview_form(form, uid)
    except DomainError as exc:
        refuse(exc, form)
        return None


def preview_form(form, uid: str | None) -> DisplayedQuestion:
    """The form's question as a learner would meet it in an exam (not saved): the same partial, unanswered."""
    spec = _spec_from_form(form, uid or "preview")
    lookup = item_lookup()
    version = QuestionVersion(qtype=spec.qtype, name=spec.name, text_md=spec.text, data=spec.data,
                              text_html=render_text(spec.text, spec.text_format, lookup), points=spec.points,
                              feedback_html=render_text(spec.feedback, spec.text_format, lookup))
    question_type = QUESTION_TYPES[spec.qtype]
    shown = PreviewQuestion(version, presentation=question_type.preview_presentation(spec.data), points=spec.points)
    return display_question(shown, "take")  # the exam page's own inputs, to try them


def question_cues(form, uid: str | None) -> list[str]:
    """The item-writing cues the content lint finds in the form's question, in words (empty if it cannot
    be read yet)."""
    try:
        spec = _spec_from_form(form, uid or "preview")
    except (DomainError, KeyError, TypeError, ValueError, AttributeError):  # not yet a question to read
        return []
    item = lint_item("", spec.uid, spec.qtype, spec.text, spec.data)
    return [finding.message for finding in question_findings(item)] + longest_key_cue(item)
