"""The issuer's signing keys and the signed form of a credential (Open Badges 3.0 §8.2, JSON Web Token
Proof Format: a compact JWS whose payload is the credential).

Why a JWT and not a Data Integrity proof (``eddsa-rdfc-2022``): the JWT proof needs no JSON-LD processing,
so no canonicalisation of RDF and no copies of remote JSON-LD contexts kept up to date on the server (it
has no internet at run time); it is signed and checked by maintained JOSE libraries in every language
(joserfc here, PyJWT in the tests); and it is the format the Open Badges 3.0 specification describes first
and which 1EdTech's validator and wallets accept. The algorithm is RS256 unless configured otherwise:
the specification names it as the one every verifier must support ("RS256 as a minimum"); ES256 can be
chosen with ``BADGE_SIGNING_ALGORITHM``.

Keys live in the table ``issuer_keys`` (every app host reads the same ones), the private half encrypted
with a key derived from ``SECRET_KEY``. One key is active and signs; rotating makes a new active key and
retires the old one, which stays published so what it signed still verifies; a revoked key is no longer
published. Credentials are signed when they are downloaded, so a holder whose copy was signed with a
revoked key downloads it again and gets one signed with the active key.
"""

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from joserfc import jws
from joserfc.jwk import ECKey, RSAKey
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.certification.models import IssuerKey, KeyState
from lms.db import db, fresh_snapshot, utcnow
from lms.tasks import app_task
from lms.urls import external_url

ALGORITHMS = {"RS256": lambda: RSAKey.generate_key(2048), "ES256": lambda: ECKey.generate_key("P-256")}
KEY_CLASSES = {"RS256": RSAKey, "ES256": ECKey}
HKDF_INFO = b"lms issuer signing keys v1"


class KeyUnreadable(RuntimeError):
    """The private key cannot be decrypted: SECRET_KEY changed since it was made (``sign`` then retires it
    and makes a new one)."""


def _fernet() -> Fernet:
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(secret)
    return Fernet(base64.urlsafe_b64encode(derived))


def key_id(key: IssuerKey) -> str:
    """The key's ``kid``: a URL that answers with the public key as a JWK (OB 3.0 §8.2.3)."""
    return external_url("badges.public_key", thumbprint=key.thumbprint)


def public_jwk(key: IssuerKey) -> dict[str, Any]:
    return {**key.public_jwk, "kid": key_id(key), "alg": key.algorithm, "use": "sig"}


def published_keys() -> list[IssuerKey]:
    """The keys a verifier may find: the active one and the retired ones, newest first."""
    return list(db.session.scalars(select(IssuerKey).where(IssuerKey.state.in_((KeyState.ACTIVE, KeyState.RETIRED)))
                                   .order_by(IssuerKey.created_at.desc(), IssuerKey.id.desc())))


def published_key(thumbprint: str) -> IssuerKey | None:
    return db.session.scalar(select(IssuerKey).where(IssuerKey.thumbprint == thumbprint,
                                                     IssuerKey.state.in_((KeyState.ACTIVE, KeyState.RETIRED))))


def jwks() -> dict[str, Any]:
    """The JSON Web Key Set of the published keys (never a private part)."""
    return {"keys": [public_jwk(key) for key in published_keys()]}


def active_key() -> IssuerKey | None:
    return db.session.scalar(select(IssuerKey).where(IssuerKey.state == KeyState.ACTIVE))


def _new_key(algorithm: str) -> IssuerKey:
    if algorithm not in ALGORITHMS:
        raise ValueError(f"BADGE_SIGNING_ALGORITHM must be one of {sorted(ALGORITHMS)}, not {algorithm!r}")
    pair = ALGORITHMS[algorithm]()
    return IssuerKey(thumbprint=pair.thumbprint(), algorithm=algorithm, public_jwk=pair.as_dict(private=False),
                     private_key=_fernet().encrypt(pair.as_pem(private=True)), state=KeyState.ACTIVE,
                     created_at=utcnow())


def rotate_key(algorithm: str | None = None) -> IssuerKey:
    """Make a new active key; the one that was active is retired (still published). Flushes."""
    now = utcnow()
    for key in db.session.scalars(select(IssuerKey).where(IssuerKey.state == KeyState.ACTIVE).with_for_update()):
        key.state, key.retired_at = KeyState.RETIRED, now
    db.session.flush()
    key = _new_key(algorithm or current_app.config["BADGE_SIGNING_ALGORITHM"])
    db.session.add(key)
    db.session.flush()
    return key


def revoke_key(thumbprint: str) -> IssuerKey:
    """Withdraw a key (lost or compromised): no longer published, so nothing it signed verifies. Flushes.
    Revoking the active key leaves none: the next signature makes a new one."""
    key = db.session.scalar(select(IssuerKey).where(IssuerKey.thumbprint == thumbprint))
    if key is None:
        raise LookupError(f"no issuer key {thumbprint}")
    key.state, key.revoked_at = KeyState.REVOKED, utcnow()
    db.session.flush()
    return key


@app_task()
def make_first_key() -> None:
    """Make an active key unless one exists (a task: a transaction of its own, also when a page needs it)."""
    if active_key() is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(_new_key(current_app.config["BADGE_SIGNING_ALGORITHM"]))
    except IntegrityError:
        pass  # another host made one at the same moment: the unique index keeps one active key


def signing_key() -> IssuerKey:
    """The active key, made on first need in a transaction of its own. For pages that only read (signing
    writes nothing): the read transaction ends before the key is made, so SQLite's lock is free for it."""
    key = active_key()
    if key is None:
        fresh_snapshot()
        make_first_key.call_local()
        fresh_snapshot()
        key = active_key()
    return key


def _private_key(key: IssuerKey):
    try:
        pem = _fernet().decrypt(key.private_key)
    except InvalidToken as exc:
        raise KeyUnreadable(f"issuer key {key.thumbprint[:8]} cannot be decrypted with this SECRET_KEY") from exc
    return KEY_CLASSES[key.algorithm].import_key(pem)


@app_task()
def replace_unreadable_key(key_id_: int) -> None:
    """Retire an active key this SECRET_KEY cannot decrypt (its public half stays published, so what it
    signed still verifies) and make a new one (a task: a transaction of its own)."""
    key = db.session.get(IssuerKey, key_id_, with_for_update=True, populate_existing=True)
    if key is not None and key.state == KeyState.ACTIVE:
        rotate_key()


def sign(payload: dict[str, Any]) -> str:
    """The payload as a compact JWS signed with the active key, its header naming the key by URL."""
    key = signing_key()
    try:
        private = _private_key(key)
    except KeyUnreadable:
        current_app.logger.warning("issuer key %s unreadable with this SECRET_KEY: retired, a new one signs",
                                   key.thumbprint[:8])
        fresh_snapshot()
        replace_unreadable_key.call_local(key.id)
        fresh_snapshot()
        key = active_key()
        private = _private_key(key)
    header = {"alg": key.algorithm, "typ": "JWT", "kid": key_id(key)}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    return jws.serialize_compact(header, body, private)


__all__ = ["ALGORITHMS", "KeyUnreadable", "active_key", "jwks", "key_id", "make_first_key", "public_jwk",
           "published_key", "published_keys", "revoke_key", "rotate_key", "sign", "signing_key"]
