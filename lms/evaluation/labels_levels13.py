"""Words the survey and observation pages show for their codes: what ended (the run a survey asks
about), the observer's ratings, observation states and sources, and who observes."""

from flask_babel import lazy_gettext as _l

from lms.calls.labels import MODE_LABELS

CONTEXT_LABELS = {
    "course": _l("Course completed"),
    "calls": _l("Practice calls completed"),
    "session": _l("Classroom session"),
}
RATING_LABELS = {
    "met": _l("met"),
    "partly": _l("partly"),
    "missed": _l("missed"),
    "breached": _l("breached"),
    "": _l("not observed"),
    None: _l("not assessed"),
}
RATING_TAGS = {"met": "tag--ok", "partly": "tag--warn", "missed": "tag--bad", "breached": "tag--bad", "": "tag--muted",
               None: "tag--muted"}
OBSERVATION_STATUS_LABELS = {
    "scheduled": _l("Scheduled"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
}
SOURCE_LABELS = {
    "course": _l("after the course"),
    "certification": _l("after the certificate"),
    "calibration": _l("calibration"),
    "adhoc": _l("ad hoc"),
}
BREAKDOWN_LABELS = {
    "course": _l("Course"),
    "trainer": _l("Trainer"),
    "cohort": _l("Cohort"),
}
OBSERVER_LABELS = {
    "trainer": _l("Trainer"),
    "manager": _l("Team manager"),
    "quality": _l("Quality monitor"),
}


def _plain(labels: dict) -> dict:
    return {key: str(label) for key, label in labels.items()}


def levels13_labels() -> dict:
    """The labels as template variables (a blueprint context processor)."""
    return {"context_labels": _plain(CONTEXT_LABELS), "rating_labels": _plain(RATING_LABELS),
            "rating_tags": RATING_TAGS, "observation_status_labels": _plain(OBSERVATION_STATUS_LABELS),
            "source_labels": _plain(SOURCE_LABELS), "observer_labels": _plain(OBSERVER_LABELS),
            "mode_labels": _plain(MODE_LABELS), "breakdown_labels": _plain(BREAKDOWN_LABELS)}
