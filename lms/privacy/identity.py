"""Erasing what identifies a person: their own row (a pseudonym, placeholders, no password) and the audit
log's mentions of them. Used by the registry entries of ``users``, ``login_failures`` and ``audit_events``."""

import re

from sqlalchemy import Text, and_, cast, func, or_, select, update

from lms.db import db

_USER_FIELDS = ("name", "email", "employee_no", "hire_date", "identifier")


def placeholder_email(number: int) -> str:
    # .invalid is reserved (RFC 2606): nothing is ever delivered there, and each placeholder is unique.
    return f"erased-{number}@erased.invalid"


def placeholder_employee_no(number: int) -> str:
    return f"ERASED-{number}"


def erase_identity(entry, ctx) -> int:
    """Turn the person's row into the pseudonym: no name, address, employee number, password or last login."""
    table = entry.sa_table()
    hire = db.session.scalar(select(table.c.hire_date).where(table.c.id == ctx.user_id))
    result = db.session.execute(
        update(table)
        .where(table.c.id == ctx.user_id)
        .values(
            name=ctx.pseudonym,
            email=placeholder_email(ctx.number),
            employee_no=placeholder_employee_no(ctx.number),
            # The month stays: reports group hires by month; the day would help pick the person out.
            hire_date=hire.replace(day=1) if hire else None,
            password_hash=None,
            password_changed_at=None,
            last_login_at=None,
            is_active=False,
        )
    )
    return result.rowcount


def login_failures_of(table, ctx):
    typed = {ctx.email.lower(), ctx.employee_no.lower()}
    return func.lower(table.c.identifier).in_(sorted(typed))


def _mentions(table, ctx):
    """Events whose summary or recorded state names the person by employee number or e-mail address."""
    texts = (table.c.summary, cast(table.c.before, Text), cast(table.c.after, Text))
    return or_(
        *(text.contains(word, autoescape=True) for text in texts for word in (ctx.employee_no, ctx.email))
    )


def user_events(table, ctx):
    """The audit events about the person's account, and those whose summary names them."""
    return or_(
        and_(table.c.object_type == "user", table.c.object_id == str(ctx.user_id)), _mentions(table, ctx)
    )


def _replacer(ctx, with_name: bool):
    words = [ctx.email, ctx.employee_no] + ([ctx.name] if with_name and ctx.name.strip() else [])
    # Whole identifiers only: "E0001" must not eat the start of "E00012".
    pattern = re.compile(
        "|".join(rf"(?<![A-Za-z0-9_.@-]){re.escape(w)}(?![A-Za-z0-9_.@-])" for w in words if w), re.IGNORECASE
    )

    def replace(value):
        if isinstance(value, str):
            return pattern.sub(ctx.pseudonym, value)
        if isinstance(value, list):
            return [replace(v) for v in value]
        if isinstance(value, dict):
            return {k: replace(v) for k, v in value.items()}
        return value

    return replace


def _scrubbed_state(state, replace, about_them: bool):
    if not isinstance(state, dict):
        return state
    return {k: (None if about_them and k in _USER_FIELDS else replace(v)) for k, v in state.items()}


def erase_audit_events(entry, ctx) -> int:
    """Replace the person's name, e-mail address and employee number in the audit log by the pseudonym.

    Every event stays (the log is the record of who did what). Their name is replaced only in events about
    their own account: elsewhere the same name may be someone else's."""
    table = entry.sa_table()
    rows = db.session.execute(
        select(
            table.c.id, table.c.object_type, table.c.object_id, table.c.summary, table.c.before, table.c.after
        ).where(user_events(table, ctx))
    ).all()
    changed = 0
    for row in rows:
        about_them = row.object_type == "user" and row.object_id == str(ctx.user_id)
        replace = _replacer(ctx, with_name=about_them)
        values = {
            "summary": replace(row.summary),
            "before": _scrubbed_state(row.before, replace, about_them),
            "after": _scrubbed_state(row.after, replace, about_them),
        }
        if values != {"summary": row.summary, "before": row.before, "after": row.after}:
            db.session.execute(update(table).where(table.c.id == row.id).values(**values))
            changed += 1
    return changed


def _free_text_removed(value, replace):
    if isinstance(value, dict):
        return {
            k: "" if k in ("text", "subject") and isinstance(v, str) else _free_text_removed(v, replace)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_free_text_removed(v, replace) for v in value]
    return replace(value)


def without_typed_text(value, ctx):
    """A call's state without what the learner typed (every "text" and "subject") and with the pseudonym in
    place of their name, e-mail address and employee number wherever the scenario put them."""
    return _free_text_removed(value, _replacer(ctx, with_name=True))
