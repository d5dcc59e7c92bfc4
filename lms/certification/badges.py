"""Open Badges 3.0 export of issued certificates.

``build_credential`` turns a plain snapshot of one certificate (``BadgeData``) into a 1EdTech Open Badges
3.0 ``OpenBadgeCredential`` on the W3C Verifiable Credentials Data Model 2.0, as a JSON-ready ``dict``.
It follows the official AchievementCredential JSON Schema (draft 2019-09; vendored under
``tests/fixtures/openbadges/``): every multi-valued property (``type``, ``identifier``, ``evidence``) is
an array, so both published builds of that schema accept the result.

The credential itself carries no embedded ``proof``: it is signed as a whole in the JSON Web Token Proof
Format (OB 3.0 §8.2), whose payload ``jwt_payload`` makes (the credential with the registered claims
``iss``, ``jti``, ``nbf`` and ``exp``); ``credential_signing.py`` signs it. Its ``credentialStatus`` (a
``BitstringStatusListEntry``, ``credential_status.py``) lets a verifier find a revocation offline, so a
revoked certificate is exported too: its status list says revoked.

The function returns data only. It escapes nothing: serialise it with ``json.dumps`` (or Flask's
``jsonify``) and serve it as ``application/json`` (or ``application/vc+ld+json``).
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import quote

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ACHIEVEMENT_TYPE = "Certificate"  # a value of the schema's AchievementType enumeration


@dataclass(frozen=True, slots=True, kw_only=True)
class BadgeData:
    """What the export needs to know about one issued certificate, decoupled from the ORM."""

    public_id: str
    """The certificate's public identifier (also used as the salt of the hashed e-mail)."""
    holder_name: str
    holder_email: str | None = None
    programme_slug: str
    programme_title: str
    programme_summary: str
    criteria_text: str
    """Narrative of the requirements (Markdown is allowed by the specification)."""
    issued_at: datetime
    """Timezone-aware; given in ``zone``."""
    expires_at: datetime | None = None
    """Timezone-aware; given in ``zone``. ``None``: the credential does not expire."""
    issuer_name: str
    issuer_url: str
    """Base URL of the issuing site, e.g. ``https://lms.example.com``."""
    verify_url: str
    """The certificate's public verification page."""
    credential_url: str
    """Where this credential's JSON is served; becomes the credential's ``id``."""
    badge_image_url: str | None = None
    issuer_id: str | None = None
    """The issuer's public Profile (JSON for machines, a page for people); ``issuer_url`` if not given."""
    achievement_id: str | None = None
    """The programme's public Achievement; a path under ``issuer_url`` from the slug if not given."""
    credential_status: dict[str, Any] | None = None
    """A ``BitstringStatusListEntry`` (``credential_status.status_entry``), if the certificate has a place."""
    zone: tzinfo = UTC
    """The issuer's time zone: timestamps carry its offset, so their calendar dates are the issuer's
    (a certificate issued at 01:00 in Taipei says the 7th, not the UTC 6th)."""


def build_credential(data: BadgeData) -> dict[str, Any]:
    """Build the unsigned OpenBadgeCredential for one certificate.

    Shape::

        @context          [VCDM 2.0, OB 3.0.3]
        id                data.credential_url
        type              ["VerifiableCredential", "OpenBadgeCredential"]
        issuer            Profile {id, type ["Profile"], name, url}
        validFrom         issued_at in the issuer's zone (also awardedDate)
        validUntil        expires_at in the issuer's zone (only if it expires)
        name              programme title
        credentialSubject AchievementSubject {type, identifier [...], achievement}
        evidence          [{id: verify_url, type ["Evidence"]}]
        credentialStatus  data.credential_status (if given)

    The holder is identified by ``identifier`` (``IdentityObject`` entries; the subject has no DID, and
    ``AchievementSubject`` has no ``name`` property): the e-mail address, if known, salted and hashed as
    ``sha256$<hex of sha256(email + salt)>`` with ``identityType`` ``emailAddress``; and the name in
    plain text with ``identityType`` ``name`` (it is shown on the public verification page anyway).

    Raises ``ValueError`` for a naive datetime or an expiry not after the issue.
    """
    valid_from = _timestamp(data.issued_at, "issued_at", data.zone)
    valid_until = None
    if data.expires_at is not None:
        valid_until = _timestamp(data.expires_at, "expires_at", data.zone)
        if data.expires_at <= data.issued_at:
            raise ValueError("expires_at must be later than issued_at")

    issuer_url = data.issuer_url.rstrip("/")
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": data.credential_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": data.issuer_id or issuer_url,
            "type": ["Profile"],
            "name": data.issuer_name,
            "url": issuer_url,
        },
        "validFrom": valid_from,
    }
    if valid_until is not None:
        credential["validUntil"] = valid_until
    credential["awardedDate"] = valid_from
    credential["name"] = data.programme_title

    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    identifiers = _identifiers(data)
    if identifiers:
        subject["identifier"] = identifiers
    subject["achievement"] = _achievement(data, issuer_url)
    credential["credentialSubject"] = subject
    credential["evidence"] = [{"id": data.verify_url, "type": ["Evidence"]}]
    if data.credential_status is not None:
        credential["credentialStatus"] = data.credential_status
    return credential


def jwt_payload(credential: dict[str, Any]) -> dict[str, Any]:
    """The JWT payload of a credential (OB 3.0 §8.2.4): the credential's own members with the registered
    claims derived from it: ``iss`` its issuer's id, ``jti`` its id, ``nbf`` its ``validFrom`` and ``exp``
    its ``validUntil`` (NumericDate seconds), ``sub`` its subject's id when it has one."""
    payload = dict(credential)
    payload["iss"] = credential["issuer"]["id"]
    payload["jti"] = credential["id"]
    payload["nbf"] = _numeric_date(credential["validFrom"])
    if "validUntil" in credential:
        payload["exp"] = _numeric_date(credential["validUntil"])
    if "id" in credential["credentialSubject"]:
        payload["sub"] = credential["credentialSubject"]["id"]
    return payload


def _numeric_date(timestamp: str) -> int:
    return int(datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp())


def identity_hash(identifier: str, salt: str) -> str:
    """An Open Badges IdentityHash: ``sha256$`` + hex SHA-256 of the UTF-8 identifier followed by the salt."""
    return "sha256$" + hashlib.sha256((identifier + salt).encode("utf-8")).hexdigest()


def _identifiers(data: BadgeData) -> list[dict[str, Any]]:
    identifiers: list[dict[str, Any]] = []
    email = (data.holder_email or "").strip().lower()  # as stored by the accounts module
    if email:
        # The salt is public by design (a verifier needs it); deriving it from the public id keeps the
        # export reproducible byte for byte and still makes every certificate's hash different.
        salt = data.public_id
        identifiers.append({
            "type": "IdentityObject",
            "identityHash": identity_hash(email, salt),
            "identityType": "emailAddress",
            "hashed": True,
            "salt": salt,
        })
    if data.holder_name.strip():
        identifiers.append({
            "type": "IdentityObject",
            "identityHash": data.holder_name,
            "identityType": "name",
            "hashed": False,
        })
    return identifiers


def _achievement(data: BadgeData, issuer_url: str) -> dict[str, Any]:
    achievement: dict[str, Any] = {
        "id": data.achievement_id or f"{issuer_url}/achievements/{quote(data.programme_slug, safe='')}",
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPE,
        "name": data.programme_title,
        "description": data.programme_summary,
        "criteria": {"narrative": data.criteria_text} if data.criteria_text.strip() else {},
    }
    if data.badge_image_url:
        achievement["image"] = {"id": data.badge_image_url, "type": "Image", "caption": data.programme_title}
    return achievement


def _timestamp(moment: datetime, field: str, zone: tzinfo = UTC) -> str:
    """RFC 3339 / ISO 8601 to the second in the issuer's zone: ``2025-03-01T08:30:00Z`` in UTC,
    ``2025-03-01T16:30:00+08:00`` in Taipei."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{field} must be timezone-aware")
    return moment.astimezone(zone).replace(microsecond=0).isoformat().replace("+00:00", "Z")


__all__ = ["ACHIEVEMENT_TYPE", "OB_CONTEXT", "VC_CONTEXT", "BadgeData", "build_credential", "identity_hash",
           "jwt_payload"]
