"""Form helpers of the row editors (onboarding paths, certification programmes): several problems at once,
each under the form field it concerns (they check a whole file's worth of content in one go and show every
problem, not just the first), and the form of one row of a table."""

from flask_wtf import FlaskForm
from wtforms import Form

from lms.errors import DomainError


class FieldProblems(DomainError):
    """``problems``: (form field name or None, message); a problem without a field goes under ``fallback``.
    A problem of a list of rows (a FieldList) goes to the form's ``list_problems`` by the list's name."""

    def __init__(self, problems: list[tuple[str | None, str]], fallback: str | None = None):
        super().__init__("; ".join(str(message) for _field, message in problems), field=fallback)
        self.problems = problems

    def show_on(self, form) -> bool:
        """Put each message under its field (lms.views.refuse calls this)."""
        first = next(f for f in form if f.type not in ("CSRFTokenField", "HiddenField", "SubmitField"))
        for name, message in self.problems:
            target = getattr(form, name or self.field or "", None) or first
            if target.type == "FieldList":  # a list's own problems (its rows keep theirs)
                form.list_problems.setdefault(target.name, []).append(str(message))
                continue
            errors = target.errors if isinstance(target.errors, list) else list(target.errors or [])
            if str(message) not in errors:
                errors.append(str(message))
            target.errors = errors
        return True


class RowForm(Form):
    """A row of a table of rows (a FieldList of FormFields): no token of its own (the page's form has one),
    and WTForms' own messages in the reader's language like every FlaskForm's."""

    class Meta(FlaskForm.Meta):
        csrf = False
