"""Two people editing the same thing (issue 12, item 22): every editor posts a fingerprint of the version
its form was filled from (``based_on``); a save whose version is no longer the current one is refused,
nothing is written, and the page shows what is saved now next to what the person was saving.

The services check (``check_based_on``); ``lms.views.refuse`` hands the refusal to the form
(``StaleEdit.show_on``), whose ``based_on`` then names the version now saved: saving again, after
reading the differences, deliberately replaces it.
"""

import difflib
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from lms.content.files import content_hash
from lms.errors import DomainError

CONTEXT = 2  # unchanged lines shown around each change
MAX_MATCHED = 1_000_000  # texts longer than this (lines × lines) are compared by their changed middle only
MAX_SHOWN = 500  # lines of each text shown then


def fingerprint(data) -> str:
    """A short stable fingerprint of an item's content (any plain data)."""
    return content_hash(data)[:24]


@dataclass(frozen=True)
class Change:
    kind: str  # same | saved (only in the saved version) | yours (only in what you were saving) | gap
    text: str


def _changed_middle(saved_lines: list[str], your_lines: list[str]) -> list[Change]:
    """For long texts: the common beginning and end are skipped, the part in between shown as it is in
    each (at most MAX_SHOWN lines of each). Linear, where a line-by-line match could take seconds."""
    start = 0
    while start < min(len(saved_lines), len(your_lines)) and saved_lines[start] == your_lines[start]:
        start += 1
    end = 0
    while end < min(len(saved_lines), len(your_lines)) - start and saved_lines[-1 - end] == your_lines[-1 - end]:
        end += 1
    changes = [Change("gap", "…")] if start else []
    for kind, lines in (("saved", saved_lines[start:len(saved_lines) - end]), ("yours", your_lines[start:len(your_lines) - end])):
        changes += [Change(kind, line) for line in lines[:MAX_SHOWN]]
        if len(lines) > MAX_SHOWN:
            changes.append(Change("gap", "…"))
    return changes + ([Change("gap", "…")] if end else [])


def differences(saved: str, yours: str) -> list[Change]:
    """The lines that differ between the saved text and yours, with a little context; gaps elide the rest."""
    saved_lines, your_lines = saved.splitlines(), yours.splitlines()
    if len(saved_lines) * len(your_lines) > MAX_MATCHED:
        return _changed_middle(saved_lines, your_lines)
    changes: list[Change] = []
    for group in difflib.SequenceMatcher(None, saved_lines, your_lines).get_grouped_opcodes(CONTEXT):
        if changes:
            changes.append(Change("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                changes += [Change("same", line) for line in saved_lines[i1:i2]]
                continue
            changes += [Change("saved", line) for line in saved_lines[i1:i2]]
            changes += [Change("yours", line) for line in your_lines[j1:j2]]
    return changes


class StaleEdit(DomainError):
    """The form was filled from a version someone else has replaced since."""

    def __init__(self, current: str, saved: str, yours: str):
        super().__init__(_l("Someone else saved this while you were editing, so your changes were not saved. "
                            "Compare below, then save again to replace their version with yours."))
        self.current, self.changes = current, differences(saved, yours)

    def show_on(self, form) -> bool:
        """Show the differences with the form (its page explains them), and base the form on the version
        now saved."""
        form.based_on.data = self.current
        form.stale_edit = self
        return True


def posted_base(field) -> str | None:
    """The fingerprint a form posted in its ``based_on`` field; None when the form has no such field at
    all (a request not made by an editor page, which always sends one: nothing to compare then)."""
    return (field.data or "") if field.raw_data else None


def check_based_on(based_on: str | None, current_data, saved_text: str, your_text: str) -> None:
    """Refuse a save based on another version than the current one (``current_data`` is what the
    fingerprint is taken of; the texts are shown side by side). ``None``: nothing was posted to compare."""
    current = fingerprint(current_data)
    if based_on is not None and based_on != current:
        raise StaleEdit(current, saved_text, your_text)


def as_text(values: dict) -> str:
    """A form's values as lines to compare: one line per short field, long texts line by line."""
    lines = []
    for name, value in values.items():
        text = "" if value is None else str(value)
        lines += [f"{name}:"] + [f"  {line}" for line in text.splitlines()] if "\n" in text else [f"{name}: {text}"]
    return "\n".join(lines)
