"""Signed, revocable Open Badges: checked as an outside verifier would.

``outside_verifier`` below uses only what the site publishes (the JWKS at the ``kid``, the signed status
list named by the credential) and an independent JOSE implementation (PyJWT over ``cryptography``; the
application signs with joserfc). It reads the status list's bits with the standard library alone."""

import base64
import copy
import gzip
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import jwt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema.validators import validator_for
from sqlalchemy import select

from lms.accounts.models import Role
from lms.certification import credential_signing, credential_status, workflow
from lms.certification.credential_status import LIST_SIZE, allocate_status_index, decode_bits, encode_bits
from lms.certification.models import Certificate, IssuerKey, KeyState
from lms.certification.programmes import get_programme
from lms.db import db
from tests.certification.helpers import make_ready

SCHEMAS = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "openbadges").glob("*.json"))
CLAIMS = ("iss", "jti", "nbf", "exp", "sub")


class NotVerified(Exception):
    pass


def _get(client, url):
    response = client.get(urlsplit(url).path)
    if response.status_code != 200:
        raise NotVerified(f"{url}: {response.status_code}")
    return response


def check_signature(client, token: str) -> dict:
    """The payload of a compact JWS whose signature verifies with the issuer's published key named by its kid."""
    header = jwt.get_unverified_header(token)
    if header.get("typ") != "JWT" or "kid" not in header:
        raise NotVerified(f"header {header}")
    jwks = _get(client, header["kid"].rsplit("/keys/", 1)[0] + "/jwks.json").get_json()
    matching = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
    if not matching:
        raise NotVerified(f"no published key {header['kid']}")
    assert _get(client, header["kid"]).get_json() == matching[0]  # the kid itself dereferences to the JWK
    key = jwt.PyJWK(matching[0])
    try:
        payload = jwt.decode(token, key.key, algorithms=[matching[0]["alg"]], options={"require": ["iss", "jti", "nbf"]})
    except jwt.InvalidTokenError as exc:
        raise NotVerified(str(exc)) from exc
    if payload["iss"] != payload["issuer"]["id"] or payload["jti"] != payload["id"]:
        raise NotVerified("registered claims do not match the credential")
    return payload


def _bit(encoded: str, position: int) -> bool:
    assert encoded[0] == "u"
    data = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(data) * 8 >= 131072
    return bool(data[position // 8] >> (7 - position % 8) & 1)


def outside_verifier(client, token: str) -> tuple[dict, str]:
    """(the credential, "valid" or "revoked"), or NotVerified."""
    payload = check_signature(client, token)
    credential = {k: v for k, v in payload.items() if k not in CLAIMS}
    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    status_list = check_signature(client, _get(client, entry["statusListCredential"]).get_data(as_text=True))
    subject = status_list["credentialSubject"]
    assert "BitstringStatusListCredential" in status_list["type"] and subject["statusPurpose"] == "revocation"
    revoked = _bit(subject["encodedList"], int(entry["statusListIndex"]))
    return credential, "revoked" if revoked else "valid"


@pytest.fixture
def cert(make):
    make.content()
    learner = make.user(Role.LEARNER, name="陳怡君")
    trainer = make.user(Role.TRAINER)
    make_ready(learner, trainer)
    issued = workflow.issue_certificate(workflow.apply_for_certificate(learner, get_programme("tst-cert")), trainer)
    db.session.commit()
    return issued


def _download(client, cert) -> str:
    response = client.get(f"/verify/{cert.public_id}/credential.jwt")
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return response.get_data(as_text=True)


def test_a_downloaded_credential_verifies_independently_and_passes_the_schema(cert, client):
    credential, status = outside_verifier(client, _download(client, cert))
    assert status == "valid"
    assert credential == client.get(f"/verify/{cert.public_id}/credential.json").get_json()
    for path in SCHEMAS:
        schema = json.loads(path.read_text(encoding="utf-8"))
        validator = validator_for(schema)
        validator(schema, format_checker=validator.FORMAT_CHECKER).validate(credential)
    header = jwt.get_unverified_header(_download(client, cert))
    assert header["alg"] == "RS256" and set(header) == {"alg", "kid", "typ"}
    assert "d" not in client.get("/issuer/jwks.json").get_json()["keys"][0]  # never a private part


def _tampered(token: str, change) -> str:
    head, body, signature = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    change(payload)
    encoded = base64.urlsafe_b64encode(json.dumps(payload, ensure_ascii=False).encode()).decode().rstrip("=")
    return f"{head}.{encoded}.{signature}"


@pytest.mark.parametrize("change", [
    lambda p: p["credentialSubject"]["identifier"][1].update(identityHash="王大明"),
    lambda p: p.update(validUntil="2099-01-01T00:00:00Z"),
    lambda p: p["credentialStatus"].update(statusListIndex="0"),
], ids=["holder", "expiry", "status index"])
def test_one_field_changed_fails_verification(cert, client, change):
    token = _download(client, cert)
    outside_verifier(client, token)
    with pytest.raises(NotVerified, match="Signature verification failed"):
        outside_verifier(client, _tampered(token, change))


def test_revocation_shows_in_the_signed_status_list_and_the_credential_stays_downloadable(cert, client):
    token = _download(client, cert)
    assert outside_verifier(client, token)[1] == "valid"
    workflow.revoke_certificate(db.session.get(Certificate, cert.id), cert.user, "作弊")
    db.session.commit()
    assert outside_verifier(client, token)[1] == "revoked"  # the copy the holder kept: now revoked
    assert outside_verifier(client, _download(client, cert))[1] == "revoked"
    assert "已撤銷" in client.get(f"/verify/{cert.public_id}").get_data(as_text=True)
    listed = credential_status.revoked_positions(cert.status_index // LIST_SIZE)
    assert listed == {cert.status_index % LIST_SIZE}


def test_rotation_keeps_earlier_credentials_verifiable_and_revoking_a_key_withdraws_it(cert, client, runner):
    old_token = _download(client, cert)
    old_kid = jwt.get_unverified_header(old_token)["kid"]
    result = runner.invoke(args=["lms", "badge-keys", "rotate"])
    assert result.exit_code == 0, result.output
    new_token = _download(client, cert)
    assert jwt.get_unverified_header(new_token)["kid"] != old_kid
    assert outside_verifier(client, old_token)[1] == outside_verifier(client, new_token)[1] == "valid"
    assert len(client.get("/issuer/jwks.json").get_json()["keys"]) == 2
    states = {k.thumbprint: k.state for k in db.session.scalars(select(IssuerKey))}
    assert sorted(states.values()) == [KeyState.ACTIVE, KeyState.RETIRED]
    old_thumbprint = old_kid.rsplit("/", 1)[1]
    assert runner.invoke(args=["lms", "badge-keys", "revoke", old_thumbprint]).exit_code == 0
    with pytest.raises(NotVerified):
        outside_verifier(client, old_token)
    assert client.get(urlsplit(old_kid).path).status_code == 404
    assert outside_verifier(client, new_token)[1] == "valid"
    listing = runner.invoke(args=["lms", "badge-keys", "list"]).output
    assert "revoked" in listing and "active" in listing
    assert runner.invoke(args=["lms", "badge-keys", "revoke", "nope"]).exit_code == 1


def test_the_private_key_is_kept_encrypted_and_needs_the_secret_key(cert, client, app):
    _download(client, cert)  # the first key is made on first need, by a page that only reads
    key = db.session.scalar(select(IssuerKey))
    assert b"PRIVATE KEY" not in key.private_key
    assert credential_signing._private_key(key) is not None
    old_token = _download(client, cert)
    app.config["SECRET_KEY"] = "another-secret"
    try:
        with pytest.raises(credential_signing.KeyUnreadable):
            credential_signing._private_key(key)
        # A changed secret key: the unreadable key retires (still published), a new one signs.
        new_token = _download(client, cert)
        assert jwt.get_unverified_header(new_token)["kid"] != jwt.get_unverified_header(old_token)["kid"]
        assert outside_verifier(client, new_token)[1] == outside_verifier(client, old_token)[1] == "valid"
    finally:
        app.config["SECRET_KEY"] = "test-secret-key"


def test_es256_keys_sign_too(cert, client, app):
    app.config["BADGE_SIGNING_ALGORITHM"] = "ES256"
    credential_signing.rotate_key()
    db.session.commit()
    token = _download(client, cert)
    assert jwt.get_unverified_header(token)["alg"] == "ES256"
    assert outside_verifier(client, token)[1] == "valid"
    with pytest.raises(ValueError, match="BADGE_SIGNING_ALGORITHM"):
        credential_signing.rotate_key("HS256")


def test_the_status_list_encoding_round_trips():
    positions = {0, 7, 8, LIST_SIZE - 1}
    encoded = encode_bits(positions)
    assert encoded.startswith("u") and "=" not in encoded
    assert all(_bit(encoded, p) for p in positions) and not _bit(encoded, 1)
    assert len(decode_bits(encoded)) == LIST_SIZE // 8
    with pytest.raises(ValueError):
        encode_bits({LIST_SIZE})
    with pytest.raises(ValueError):
        decode_bits("zabc")


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=LIST_SIZE - 1), max_size=200))
def test_any_set_of_positions_reads_back_as_set_and_nothing_else(positions):
    encoded = encode_bits(positions)
    bits = decode_bits(encoded)
    probes = positions | {0, LIST_SIZE - 1} | {(p + 1) % LIST_SIZE for p in positions}
    assert {p for p in probes if _bit(encoded, p)} == positions
    assert sum(bin(b).count("1") for b in bits) == len(positions)


def test_a_taken_index_is_never_given_again(cert, make, monkeypatch):
    learner, trainer = make.user(Role.LEARNER), make.user(Role.TRAINER)
    make_ready(learner, trainer)
    picks = iter([cert.status_index, cert.status_index, 5])
    monkeypatch.setattr(credential_status.secrets, "randbelow", lambda _n: next(picks))
    other = workflow.issue_certificate(workflow.apply_for_certificate(learner, get_programme("tst-cert")), trainer,
                                       render=False)
    assert other.status_index == 5
    assert credential_status._space() == LIST_SIZE  # kept at most half full


@pytest.fixture
def parallel_app(database_url):
    from lms import create_app
    from tests.conftest import TEST_CONFIG, _reset_database

    options = {"pool_size": 10, "max_overflow": 0, "pool_timeout": 60}
    if database_url.startswith("sqlite"):
        options["connect_args"] = {"timeout": 60}
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "SQLALCHEMY_ENGINE_OPTIONS": options})
    with app.app_context():
        yield app
        _reset_database()
        db.engine.dispose()


def test_parallel_allocations_that_pick_the_same_index_end_unique(parallel_app, monkeypatch):
    from tests.factories import Factory

    make = Factory()
    make.content()
    trainer = make.user(Role.TRAINER)
    ids = []
    for n in range(4):
        learner = make.user(Role.LEARNER, name=f"學員{n}")
        make_ready(learner, trainer)
        ids.append(workflow.issue_certificate(workflow.apply_for_certificate(learner, get_programme("tst-cert")),
                                              trainer, render=False).id)
    db.session.execute(Certificate.__table__.update().values(status_index=None))
    db.session.commit()
    db.session.close()
    local, barrier = threading.local(), threading.Barrier(len(ids))

    def pick(_space):  # every thread first picks 42, then its own
        local.calls = getattr(local, "calls", 0) + 1
        return 42 if local.calls == 1 else 1000 + local.n * 10 + local.calls

    monkeypatch.setattr(credential_status.secrets, "randbelow", pick)

    def run(n):
        local.n = n
        with parallel_app.app_context():
            from lms.db import sqlite_begin_immediate

            sqlite_begin_immediate.set(True)
            barrier.wait()
            try:
                index = allocate_status_index(db.session.get(Certificate, ids[n]))
                db.session.commit()
                return index
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(ids)) as pool:
        results = list(pool.map(run, range(len(ids))))
    stored = list(db.session.scalars(select(Certificate.status_index).where(Certificate.id.in_(ids))))
    assert sorted(stored) == sorted(results) and len(set(results)) == len(ids) and results.count(42) == 1


def test_a_forgery_naming_the_issuers_key_fails(cert, client):
    token = _download(client, cert)
    forged = jwt.encode(copy.deepcopy(check_signature(client, token)), "not-the-issuer-" * 4, algorithm="HS256",
                        headers={"kid": jwt.get_unverified_header(token)["kid"]})
    with pytest.raises(NotVerified):
        outside_verifier(client, forged)


def test_the_migration_gives_certificates_issued_before_it_an_index(cert, app):
    from flask_migrate import downgrade, upgrade

    cert_id = cert.id
    db.session.remove()
    downgrade(revision="2e7c5a9d4b18")
    upgrade()
    assert db.session.scalar(select(Certificate.status_index).where(Certificate.id == cert_id)) is not None
