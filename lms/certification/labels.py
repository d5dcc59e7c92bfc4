"""Words the certification pages show for the workflow's codes."""

from flask_babel import lazy_gettext as _l

CERT_STATE_LABELS = {
    "valid": _l("Valid"),
    "expiring": _l("Valid · renewal open"),
    "grace": _l("Expired · renewable in the grace period"),
    "expired": _l("Expired"),
    "revoked": _l("Revoked"),
    "superseded": _l("Renewed (replaced by the next cycle)"),
}
APPLICATION_STATUS_LABELS = {
    "applied": _l("Applied, waiting for a reviewer"),
    "under_review": _l("Under review"),
    "returned": _l("Returned"),
    "issued": _l("Certificate issued"),
    "withdrawn": _l("Withdrawn"),
}
APPLICATION_KIND_LABELS = {"initial": _l("First certification"), "renewal": _l("Renewal")}
REQUIREMENT_KIND_LABELS = {
    "course": _l("Course"),
    "exam": _l("Exam"),
    "scenario": _l("Simulated call (assessment)"),
    "signoff": _l("Observed practice (trainer sign-off)"),
    "acknowledge": _l("Read and confirm"),
}
RATING_LABELS = {0: _l("0 · not yet"), 1: _l("1 · partly"), 2: _l("2 · fully")}


def certification_labels() -> dict:
    return {name: {key: str(value) for key, value in labels.items()} for name, labels in (
        ("cert_state_labels", CERT_STATE_LABELS), ("application_status_labels", APPLICATION_STATUS_LABELS),
        ("application_kind_labels", APPLICATION_KIND_LABELS), ("requirement_kind_labels", REQUIREMENT_KIND_LABELS),
        ("rating_labels", RATING_LABELS))}
