"""Every API code a person reads, in words: the domains of scopes, read/write, token kinds."""

from flask_babel import lazy_gettext as _l

from lms.api.models import TokenKind

DOMAIN_LABELS = {
    "users": _l("People"),
    "teams": _l("Teams"),
    "assignments": _l("Course assignments"),
    "progress": _l("Course progress"),
    "results": _l("Exam and call results, observations"),
    "certificates": _l("Certificates"),
    "kpi": _l("KPI records"),
    "surveys": _l("Survey results"),
}
ACTION_LABELS = {"read": _l("read"), "write": _l("read and write")}
KIND_LABELS = {TokenKind.PERSONAL: _l("Personal"), TokenKind.SERVICE: _l("Service")}


def scope_label(scope: str) -> str:
    domain, action = scope.split(":")
    return str(_l("%(domain)s: %(action)s", domain=DOMAIN_LABELS[domain], action=ACTION_LABELS[action]))
STATE_LABELS = {"active": _l("Active"), "expired": _l("Expired"), "revoked": _l("Revoked")}
