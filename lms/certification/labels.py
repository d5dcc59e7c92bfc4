"""Every word the certification pages, documents and forms show for the domain's codes, and how each
state looks (its tag's tone). Requirement kinds declare their own labels (requirement_kinds.py);
REQUIREMENT_KIND_LABELS reads them from there."""

from collections.abc import Iterator, Mapping

from flask_babel import lazy_gettext as _l

from lms.certification.requirement_kinds import REQUIREMENT_KINDS

CERT_STATE_LABELS = {
    "valid": _l("Valid"),
    "expiring": _l("Valid · renewal open"),
    "grace": _l("Expired · renewable in the grace period"),
    "expired": _l("Expired"),
    "revoked": _l("Revoked"),
    "superseded": _l("Renewed (replaced by the next cycle)"),
}
CERT_STATE_TONES = {"valid": "tag--ok", "expiring": "tag--warn", "grace": "tag--warn", "expired": "tag--muted",
                    "revoked": "tag--bad", "superseded": "tag--muted"}
# What the public verification page says of a certificate in each state (%(d)s: the day it was revoked).
VERIFY_STATE_TEXTS = {
    "valid": _l("This certificate is valid."),
    "expiring": _l("This certificate is valid."),
    "grace": _l("This certificate has expired; the holder may still renew it."),
    "expired": _l("This certificate has expired."),
    "revoked": _l("This certificate was revoked on %(d)s."),
    "superseded": _l("This certificate was replaced by a renewed one."),
}
APPLICATION_STATUS_LABELS = {
    "applied": _l("Applied, waiting for a reviewer"),
    "under_review": _l("Under review"),
    "returned": _l("Returned"),
    "issued": _l("Certificate issued"),
    "withdrawn": _l("Withdrawn"),
}
APPLICATION_STATUS_TONES = {"applied": "tag--warn", "under_review": "tag--warn", "returned": "tag--bad",
                            "issued": "tag--ok", "withdrawn": "tag--muted"}
APPLICATION_KIND_LABELS = {"initial": _l("First certification"), "renewal": _l("Renewal")}
RATING_LABELS = {0: _l("0 · not yet"), 1: _l("1 · partly"), 2: _l("2 · fully")}
RESULT_LABELS = {True: _l("passed"), False: _l("not passed")}


class _RequirementKindLabels(Mapping):
    """Each requirement kind's label, as the kind declares it (kinds registered later included)."""

    def __getitem__(self, name: str):
        return REQUIREMENT_KINDS[name].label

    def __iter__(self) -> Iterator[str]:
        return iter(REQUIREMENT_KINDS)

    def __len__(self) -> int:
        return len(REQUIREMENT_KINDS)


REQUIREMENT_KIND_LABELS = _RequirementKindLabels()

_FOR_TEMPLATES = (
    ("cert_state_labels", CERT_STATE_LABELS), ("cert_state_tones", CERT_STATE_TONES),
    ("verify_state_texts", VERIFY_STATE_TEXTS), ("application_status_labels", APPLICATION_STATUS_LABELS),
    ("application_status_tones", APPLICATION_STATUS_TONES), ("application_kind_labels", APPLICATION_KIND_LABELS),
    ("requirement_kind_labels", REQUIREMENT_KIND_LABELS), ("rating_labels", RATING_LABELS),
    ("result_labels", RESULT_LABELS),
)


def certification_labels() -> dict:
    """The label dicts for templates (a context processor of the certification blueprints and documents)."""
    return {name: {key: str(value) for key, value in labels.items()} for name, labels in _FOR_TEMPLATES}
