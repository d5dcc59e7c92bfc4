"""What every domain's views share: showing a refusal, the act-then-redirect of a button, and the
validate-save-redirect of a form.

A view checks access (a decorator), validates its form, calls one service, shows a DomainError through
``refuse`` and renders or redirects; the request commits once at its end (lms/db.py, the write rule).
"""

from collections.abc import Callable

from flask import flash, redirect
from flask_wtf import FlaskForm

from lms.db import mark_refused
from lms.errors import DomainError


def refuse(exc: DomainError, form: FlaskForm | None = None) -> None:
    """Say why a rule refused the action, and roll back what the request wrote.

    With a form, the message goes under the field the error names (or the form's first field);
    without one, it is flashed."""
    mark_refused()
    if form is None:
        flash(str(exc.message), "error")
        return
    if (show_on := getattr(exc, "show_on", None)) and show_on(form):  # it shows itself (lms.conflicts)
        return
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None:
        field = next(f for f in form if f.type not in ("CSRFTokenField", "HiddenField", "SubmitField"))
    field.errors = [*field.errors, str(exc.message)]


def act(action: Callable[[], object], then: str, success: str | None = None):
    """Run a service action, flash its success or refusal, and redirect to ``then``."""
    try:
        action()
    except DomainError as exc:
        refuse(exc)
    else:
        if success:
            flash(success, "success")
    return redirect(then)


def save_form(form: FlaskForm, action: Callable[[], object], then: Callable[[object], str],
              success: str | Callable[[object], str] | None = None):
    """The form pattern: when the form is posted and valid, run ``action``; on success flash ``success``
    and redirect to ``then(result)``. A refusal goes under the form field it names. Returns the redirect,
    or None when the view should (re)render the form."""
    if not form.validate_on_submit():
        return None
    try:
        result = action()
    except DomainError as exc:
        refuse(exc, form)
        return None
    if success:
        flash(success(result) if callable(success) else success, "success")
    return redirect(then(result))
