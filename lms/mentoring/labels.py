"""Every code of the mentoring domain a person reads, in their language."""

from flask_babel import lazy_gettext as _l

from lms.calls.channels import CHANNELS
from lms.mentoring.models import EntryKind, ProgressRating

ENTRY_KIND_LABELS = {
    EntryKind.LISTENED: _l("Listened to the mentor's call"),
    EntryKind.TOOK_CALL: _l("Took a call with the mentor listening"),
    EntryKind.PRACTICE: _l("Other practice"),
}
RATING_LABELS = {
    ProgressRating.CONCERN: _l("Needs attention"),
    ProgressRating.BEHIND: _l("A little behind"),
    ProgressRating.ON_TRACK: _l("On track"),
    ProgressRating.AHEAD: _l("Ahead"),
}
RATING_TONES = {ProgressRating.CONCERN: "tag--bad", ProgressRating.BEHIND: "tag--warn",
                ProgressRating.ON_TRACK: "tag--ok", ProgressRating.AHEAD: "tag--ok"}
TODO_LABEL = _l("Mentoring check-ins due")


def channel_labels() -> dict[str, object]:
    return {name: channel.label for name, channel in CHANNELS.items()}


def mentoring_labels() -> dict:
    """The labels every mentoring template reads (a context processor)."""
    return {"entry_kind_labels": ENTRY_KIND_LABELS, "rating_labels": RATING_LABELS, "rating_tones": RATING_TONES,
            "channel_labels": channel_labels()}
