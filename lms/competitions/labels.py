"""Every code of the competitions domain a person reads, in their language."""

from flask_babel import lazy_gettext as _l

PLACE_LABELS = {
    0: _l("Winning team"),
    1: _l("First place"),
    2: _l("Second place"),
    3: _l("Third place"),
}
TODO_LABEL = _l("Skill competitions running")
STATE_LABELS = {
    "upcoming": _l("Not started"),
    "running": _l("Running"),
    "ended": _l("Ended, not closed yet"),
    "closed": _l("Closed"),
}


def competition_labels() -> dict:
    """The labels every competitions template reads (a context processor)."""
    return {"place_labels": PLACE_LABELS, "competition_state_labels": STATE_LABELS}
