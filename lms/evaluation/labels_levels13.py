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


def levels13_labels() -> dict:
    """The labels as template variables (a blueprint context processor), translated once per language."""
    from flask_babel import get_locale

    from lms.templating import translated_labels

    locale = str(get_locale())
    return {"context_labels": translated_labels(CONTEXT_LABELS, locale),
            "rating_labels": translated_labels(RATING_LABELS, locale), "rating_tags": RATING_TAGS,
            "observation_status_labels": translated_labels(OBSERVATION_STATUS_LABELS, locale),
            "source_labels": translated_labels(SOURCE_LABELS, locale),
            "observer_labels": translated_labels(OBSERVER_LABELS, locale),
            "mode_labels": translated_labels(MODE_LABELS, locale),
            "breakdown_labels": translated_labels(BREAKDOWN_LABELS, locale)}
