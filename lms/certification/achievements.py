"""What the public issuer and achievement pages show, and the signed credential of a certificate.

The issuer's Profile and each programme's Achievement are public (the ids inside every credential point
at them); both are given as Open Badges 3.0 JSON for machines and as a page for people. A programme's
criteria are put into words in the reader's language: each requirement's kind and the title of what it
asks for (never a course code, exam slug or requirement id).
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from lms.certification import credential_signing
from lms.certification.badges import ACHIEVEMENT_TYPE, BadgeData, build_credential, jwt_payload
from lms.certification.credential_status import status_entry, status_list_credential
from lms.certification.models import Certificate, Programme
from lms.certification.programmes import requirement_titles
from lms.certification.requirement_kinds import kind_of
from lms.timeutil import local_zone
from lms.urls import external_url


@dataclass(frozen=True)
class Criterion:
    kind: str  # the kind's label in the reader's language
    what: str  # the title of what it asks for
    minimum: str  # "at least 80%", or ""

    @property
    def sentence(self) -> str:
        line = _("%(kind)s: %(what)s", kind=self.kind, what=self.what)
        return _("%(line)s (%(minimum)s)", line=line, minimum=self.minimum) if self.minimum else line


def issuer_id() -> str:
    return external_url("badges.issuer")


def achievement_id(programme_slug: str) -> str:
    return external_url("badges.achievement", slug=programme_slug)


def issuer_name() -> str:
    """The centre's name in the reader's language (the official one for traditional Chinese)."""
    names = current_app.config.get("ORGANISATION_NAMES", {})
    return names.get(str(get_locale()), current_app.config["ORGANISATION_NAME"])


def issuer_profile() -> dict[str, Any]:
    """The issuer as an Open Badges 3.0 Profile (the centre's official name)."""
    return {"@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": issuer_id(), "type": ["Profile"], "name": current_app.config["ORGANISATION_NAME"],
            "url": current_app.config["BASE_URL"].rstrip("/")}


def criteria(programme: Programme) -> list[Criterion]:
    """The programme's first-certification requirements in words, in the current language."""
    requirements = [r for r in programme.definition["requirements"] if kind_of(r).in_programme_files]
    titles = requirement_titles([programme])
    lines = []
    for req in requirements:
        kind = kind_of(req)
        target = req.get(kind.target) if kind.target else None
        what = titles.get(f"{kind.name}:{target}", "") if target else (kind.plain_name(req) or "")
        if target and what.startswith(f"{target} "):
            what = what[len(target) + 1:]  # a course's title comes after its code
        score = req.get("min_score") or req.get("pass_mark")
        minimum = _("at least %(score)s%%", score=score) if score else ""
        lines.append(Criterion(str(kind.label), what or str(kind.label), minimum))
    return lines


def criteria_text(programme: Programme) -> str:
    """The criteria as one Markdown list (the credential's ``criteria.narrative``)."""
    return "\n".join("- " + c.sentence for c in criteria(programme))


def achievement(programme: Programme) -> dict[str, Any]:
    """The programme as an Open Badges 3.0 Achievement, in the centre's language."""
    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        narrative = criteria_text(programme)
    return {"@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": achievement_id(programme.slug), "type": ["Achievement"], "achievementType": ACHIEVEMENT_TYPE,
            "name": programme.title, "description": programme.definition.get("summary", ""),
            "criteria": {"narrative": narrative}, "creator": {"id": issuer_id(), "type": ["Profile"],
                                                             "name": current_app.config["ORGANISATION_NAME"]}}


def credential(cert: Certificate) -> dict[str, Any]:
    """The certificate as an Open Badges 3.0 credential (revoked ones too: their status says so)."""
    from lms.certification.documents import verify_url

    programme = cert.programme
    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        narrative = criteria_text(programme)
    return build_credential(BadgeData(
        public_id=cert.public_id, holder_name=cert.holder_name, holder_email=cert.user.email,
        programme_slug=programme.slug, programme_title=cert.programme_title,
        programme_summary=programme.definition.get("summary", ""), criteria_text=narrative,
        issued_at=cert.issued_at, expires_at=cert.expires_at, issuer_name=cert.issuer_name,
        issuer_url=current_app.config["BASE_URL"].rstrip("/"), verify_url=verify_url(cert),
        credential_url=external_url("verify.badge", public_id=cert.public_id), issuer_id=issuer_id(),
        achievement_id=achievement_id(programme.slug), zone=local_zone(),
        credential_status=None if cert.status_index is None else status_entry(cert.status_index)))


def signed_credential(cert: Certificate) -> str:
    """The certificate's credential signed in the JSON Web Token Proof Format (a compact JWS)."""
    return credential_signing.sign(jwt_payload(credential(cert)))


def signed_status_list(purpose: str, list_number: int) -> str:
    """A status list credential, signed like the credentials, valid from now."""
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    issuer = {"id": issuer_id(), "type": ["Profile"], "name": current_app.config["ORGANISATION_NAME"]}
    return credential_signing.sign(jwt_payload(status_list_credential(purpose, list_number, issuer, now)))


__all__ = ["Criterion", "achievement", "achievement_id", "credential", "criteria", "criteria_text", "issuer_id",
           "issuer_name", "issuer_profile", "signed_credential", "signed_status_list"]
