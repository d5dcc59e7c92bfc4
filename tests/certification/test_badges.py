"""The Open Badges 3.0 export validates against the official 1EdTech AchievementCredential JSON Schemas.

The schemas are vendored unchanged in tests/fixtures/openbadges/ (see the README there); every file
there is applied, with format checking on, so ``date-time`` values are checked too (rfc3339-validator).
"""

import copy
import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema.validators import validator_for

from lms.certification.badges import (
    OB_CONTEXT,
    VC_CONTEXT,
    BadgeData,
    build_credential,
    identity_hash,
    jwt_payload,
)

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "openbadges"
SCHEMA_FILES = sorted(SCHEMA_DIR.glob("*.json"))


def _validator(path: Path) -> jsonschema.protocols.Validator:
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = validator_for(schema, default=None)
    assert cls is jsonschema.Draft201909Validator, f"{path.name}: unexpected $schema {schema.get('$schema')}"
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


VALIDATORS = {path.name: _validator(path) for path in SCHEMA_FILES}


def assert_valid(credential: dict[str, Any]) -> None:
    """Valid against every vendored schema, as served: after a JSON round trip."""
    served = json.loads(json.dumps(credential, ensure_ascii=False))
    for name, validator in VALIDATORS.items():
        errors = sorted(validator.iter_errors(served), key=lambda e: list(e.absolute_path))
        assert not errors, f"{name}: " + "; ".join(
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def assert_invalid(credential: dict[str, Any]) -> None:
    for name, validator in VALIDATORS.items():
        assert not validator.is_valid(credential), f"{name} accepted an invalid credential"


ISSUED = datetime(2025, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)

BASE = BadgeData(
    public_id="Xq3v9H1bqQ2mJ8kK0aZ7fJcW5tYbN4uR6sDpLgE2hMo",
    holder_name="王小明",
    holder_email="xiaoming.wang@example.cn",
    programme_slug="telephone-service-basic",
    programme_title="电话客服基础认证",
    programme_summary="面向一线客服人员的电话接待、投诉处理与信息安全基础认证。",
    criteria_text="# 要求\n- 完成全部课程\n- 通过期末考试（80 分以上）\n- 带教老师现场评估合格",
    issued_at=ISSUED,
    expires_at=ISSUED + timedelta(days=730),
    issuer_name="华东客服培训中心",
    issuer_url="https://lms.example.cn/",
    verify_url="https://lms.example.cn/certificates/Xq3v9H1bqQ2mJ8kK0aZ7fJcW5tYbN4uR6sDpLgE2hMo",
    credential_url="https://lms.example.cn/certificates/Xq3v9H1bqQ2mJ8kK0aZ7fJcW5tYbN4uR6sDpLgE2hMo/badge.json",
    badge_image_url="https://lms.example.cn/static/badges/telephone-service-basic.png",
)


def test_the_vendored_schemas_are_there():
    names = {path.name for path in SCHEMA_FILES}
    assert "ob_v3p0_achievementcredential-jsonschema1.json" in names
    assert "ob_v3p0_achievementcredential_schema.json-ld.json" in names


@pytest.mark.parametrize("email", ["xiaoming.wang@example.cn", None], ids=["email", "no-email"])
@pytest.mark.parametrize("expires", [True, False], ids=["expires", "no-expiry"])
@pytest.mark.parametrize("image", [True, False], ids=["image", "no-image"])
def test_chinese_certificate_validates(email, expires, image):
    data = replace(BASE, holder_email=email, expires_at=BASE.expires_at if expires else None,
                   badge_image_url=BASE.badge_image_url if image else None)
    credential = build_credential(data)
    assert_valid(credential)

    assert credential["@context"] == [VC_CONTEXT, OB_CONTEXT]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == data.credential_url
    assert credential["name"] == "电话客服基础认证"
    assert credential["issuer"] == {"id": "https://lms.example.cn", "type": ["Profile"],
                                    "name": "华东客服培训中心", "url": "https://lms.example.cn"}
    assert credential["validFrom"] == credential["awardedDate"] == "2025-03-01T08:30:15Z"
    if expires:
        assert credential["validUntil"] == "2027-03-01T08:30:15Z"
    else:
        assert "validUntil" not in credential
    assert credential["evidence"] == [{"id": data.verify_url, "type": ["Evidence"]}]

    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["id"] == "https://lms.example.cn/achievements/telephone-service-basic"
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "Certificate"
    assert achievement["description"] == data.programme_summary
    assert achievement["criteria"] == {"narrative": data.criteria_text}
    if image:
        assert achievement["image"] == {"id": data.badge_image_url, "type": "Image", "caption": "电话客服基础认证"}
    else:
        assert "image" not in achievement

    identity_types = [entry["identityType"] for entry in credential["credentialSubject"]["identifier"]]
    assert identity_types == (["emailAddress", "name"] if email else ["name"])


def test_email_is_salted_and_hashed_as_the_spec_describes():
    credential = build_credential(replace(BASE, holder_email="  XiaoMing.Wang@Example.CN "))
    email_id, name_id = credential["credentialSubject"]["identifier"]
    salt = BASE.public_id
    expected = hashlib.sha256(("xiaoming.wang@example.cn" + salt).encode()).hexdigest()
    assert email_id == {"type": "IdentityObject", "identityHash": f"sha256${expected}",
                        "identityType": "emailAddress", "hashed": True, "salt": salt}
    assert identity_hash("xiaoming.wang@example.cn", salt) == f"sha256${expected}"
    assert "xiaoming" not in json.dumps(credential).lower()  # the address itself never leaks
    assert name_id == {"type": "IdentityObject", "identityHash": "王小明", "identityType": "name", "hashed": False}


def test_output_is_deterministic_and_in_utc():
    east8 = timezone(timedelta(hours=8))
    data = replace(BASE, issued_at=ISSUED.astimezone(east8), expires_at=None)
    assert build_credential(data) == build_credential(data)
    assert build_credential(data)["validFrom"] == "2025-03-01T08:30:15Z"


def test_slug_is_one_path_segment():
    credential = build_credential(replace(BASE, programme_slug="客服/基础 1"))
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["id"] == ("https://lms.example.cn/achievements/"
                                 "%E5%AE%A2%E6%9C%8D%2F%E5%9F%BA%E7%A1%80%201")
    assert_valid(credential)


def test_text_is_returned_verbatim_not_escaped():
    tricky = '<b>"客服" & \'培训\'</b>'
    credential = build_credential(replace(BASE, holder_name=tricky, programme_title=tricky))
    assert credential["name"] == tricky
    assert credential["credentialSubject"]["identifier"][1]["identityHash"] == tricky
    assert_valid(credential)


def test_a_status_entry_is_carried_and_still_validates():
    from lms.certification.credential_status import LIST_SIZE

    entry = {"id": "https://lms.example.cn/issuer/status/revocation/1#5", "type": "BitstringStatusListEntry",
             "statusPurpose": "revocation", "statusListIndex": "5",
             "statusListCredential": "https://lms.example.cn/issuer/status/revocation/1"}
    credential = build_credential(replace(BASE, credential_status=entry))
    assert credential["credentialStatus"] == entry
    assert_valid(credential)
    assert "credentialStatus" not in build_credential(BASE)
    assert LIST_SIZE >= 131072  # the Bitstring Status List minimum


def test_the_jwt_payload_carries_the_registered_claims():
    credential = build_credential(BASE)
    payload = jwt_payload(credential)
    assert payload["iss"] == credential["issuer"]["id"] and payload["jti"] == credential["id"]
    assert payload["nbf"] == int(datetime(2025, 3, 1, 8, 30, 15, tzinfo=UTC).timestamp())
    assert payload["exp"] == int(datetime(2027, 3, 1, 8, 30, 15, tzinfo=UTC).timestamp())
    assert "sub" not in payload  # the subject has no id: it is identified by its identifiers
    assert {k: v for k, v in payload.items() if k not in ("iss", "jti", "nbf", "exp")} == credential


@pytest.mark.parametrize("field", ["issued_at", "expires_at"])
def test_naive_datetimes_are_refused(field):
    with pytest.raises(ValueError, match="timezone-aware"):
        build_credential(replace(BASE, **{field: datetime(2025, 3, 1, 8, 30)}))


def test_expiry_must_follow_issue():
    with pytest.raises(ValueError, match="later than"):
        build_credential(replace(BASE, expires_at=BASE.issued_at))


# --- the validator really bites ---------------------------------------------------------------------

def _without(path: tuple[str, ...]):
    def tamper(credential):
        node = credential
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return tamper


def _setter(path: tuple[str, ...], value):
    def tamper(credential):
        node = credential
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return tamper


TAMPERINGS = {
    "no issuer": _without(("issuer",)),
    "no validFrom": _without(("validFrom",)),
    "no achievement": _without(("credentialSubject", "achievement")),
    "no achievement criteria": _without(("credentialSubject", "achievement", "criteria")),
    "type without OpenBadgeCredential": _setter(("type",), ["VerifiableCredential"]),
    "type as a single string": _setter(("type",), "VerifiableCredential"),
    "VCDM 1.1 context": _setter(("@context",), ["https://www.w3.org/2018/credentials/v1", OB_CONTEXT]),
    "validFrom not a date-time": _setter(("validFrom",), "2025-03-01"),
    "validUntil without zone": _setter(("validUntil",), "2027-03-01T08:30:15"),
    "unknown achievementType": _setter(("credentialSubject", "achievement", "achievementType"), "Trophy"),
    "issuer profile without type": _without(("issuer", "type")),
    "identifier not hashed flag": _without(("credentialSubject", "identifier", 0, "hashed")),
    "evidence as an object": _setter(("evidence",), {"id": "https://x", "type": ["Evidence"]}),
}


@pytest.mark.parametrize("tamper", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_tampered_credential_fails_validation(tamper):
    credential = build_credential(BASE)
    assert_valid(credential)
    broken = copy.deepcopy(credential)
    tamper(broken)
    assert_invalid(broken)


# --- property: whatever the text, the result validates ------------------------------------------------

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
PRINTABLE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))
TEXT = st.text(st.one_of(CJK, PRINTABLE), max_size=60)
MOMENTS = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1),
                       timezones=st.sampled_from([UTC, timezone(timedelta(hours=8)),
                                                  timezone(timedelta(hours=-5, minutes=-30))]))


@settings(max_examples=300, deadline=None)
@given(name=TEXT, title=TEXT, summary=TEXT, criteria=TEXT, issuer=TEXT, slug=TEXT,
       email=st.one_of(st.none(), st.emails()), issued=MOMENTS,
       lifetime=st.one_of(st.none(), st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=3650))),
       image=st.booleans())
def test_any_text_yields_a_valid_credential(name, title, summary, criteria, issuer, slug, email, issued,
                                            lifetime, image):
    data = replace(BASE, holder_name=name, programme_title=title, programme_summary=summary,
                   criteria_text=criteria, issuer_name=issuer, programme_slug=slug, holder_email=email,
                   issued_at=issued, expires_at=None if lifetime is None else issued + lifetime,
                   badge_image_url=BASE.badge_image_url if image else None)
    credential = build_credential(data)
    assert_valid(credential)
    assert credential["name"] == title
    assert credential["credentialSubject"]["achievement"]["name"] == title
