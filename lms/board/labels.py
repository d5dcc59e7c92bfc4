"""Every code the readiness board shows, in words: a person's status, the sort orders, the "expiring in"
choices, the score bands of the distribution."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "overdue": _l("Overdue"),
    "on_track": _l("On track"),
    "complete": _l("Complete"),
    "none": _l("Nothing assigned"),
}
STATUS_TONES = {"overdue": "tag--bad", "on_track": "", "complete": "tag--ok", "none": "tag--muted"}

SORT_LABELS = {
    "name": _l("Name"),
    "overdue": _l("Most overdue first"),
    "expiry": _l("Soonest certificate expiry first"),
}

EXPIRING_LABELS = {
    30: _l("within 30 days"),
    60: _l("within 60 days"),
    90: _l("within 90 days"),
}


# Score bands of the distribution: (lowest score of the band, its label).
SCORE_BANDS = [(0, "0–49"), (50, "50–59"), (60, "60–69"), (70, "70–79"), (80, "80–89"), (90, "90–100")]


def board_labels() -> dict:
    """The label dicts the board's templates use (its own, and the certificate, call and observation words)."""
    from lms.calls.labels import call_labels
    from lms.certification.labels import certification_labels
    from lms.evaluation.labels_levels13 import OBSERVATION_STATUS_LABELS

    own = (("status_labels", STATUS_LABELS), ("status_tones", STATUS_TONES),
           ("observation_status_labels", OBSERVATION_STATUS_LABELS))
    return {**certification_labels(), **call_labels(),  # the debrief of a call is the calls' own template
            **{name: {key: str(value) for key, value in labels.items()} for name, labels in own}}
