"""Revocation that a verifier can check offline: W3C Bitstring Status List v1.0.

Each certificate gets a status index when it is issued: a place in a list of ``LIST_SIZE`` bits (131,072,
the specification's minimum, so one place says little about whom it belongs to), chosen at random among
the free places of a space kept at most half full, unique by the column's unique constraint (two issues
racing for the same place: the second picks again). Its credential carries a ``BitstringStatusListEntry``
pointing at the list credential of purpose ``revocation``; that list, signed like the credentials, says
which places are revoked. The centre has no suspension of certificates, so only the revocation list is
published.

The encoding (``encode_bits``/``decode_bits``) is pure: GZIP of the bitstring, the first index in the
most significant bit of the first byte, base64url without padding, with the multibase prefix ``u``.
"""

import base64
import gzip
import secrets
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from lms.certification.models import Certificate
from lms.db import db
from lms.urls import external_url

LIST_SIZE = 131072
PURPOSES = ("revocation",)
ATTEMPTS = 32


def encode_bits(set_positions: set[int], size: int = LIST_SIZE) -> str:
    """The ``encodedList`` of a status list with these positions set."""
    bits = bytearray(size // 8)
    for position in set_positions:
        if not 0 <= position < size:
            raise ValueError(f"position {position} outside a list of {size}")
        bits[position // 8] |= 0x80 >> (position % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")


def decode_bits(encoded: str) -> bytes:
    """The bitstring of an ``encodedList`` (raises ValueError for one that is not multibase base64url)."""
    if not encoded.startswith("u"):
        raise ValueError("an encodedList starts with the multibase prefix 'u'")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit_is_set(bits: bytes, position: int) -> bool:
    return bool(bits[position // 8] & (0x80 >> (position % 8)))


def list_url(purpose: str, list_number: int) -> str:
    return external_url("badges.status_list", purpose=purpose, list_number=list_number)


def status_entry(status_index: int, purpose: str = "revocation") -> dict[str, Any]:
    """The ``credentialStatus`` of a credential at this place."""
    list_number, position = divmod(status_index, LIST_SIZE)
    url = list_url(purpose, list_number)
    return {"id": f"{url}#{position}", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
            "statusListIndex": str(position), "statusListCredential": url}


def _space() -> int:
    taken = db.session.scalar(select(func.count()).where(Certificate.status_index.is_not(None))) or 0
    return LIST_SIZE * (taken // (LIST_SIZE // 2) + 1)


def allocate_status_index(cert: Certificate) -> int:
    """Give a flushed certificate its random, unique place in the status lists. Flushes."""
    space = _space()
    for _attempt in range(ATTEMPTS):
        index = secrets.randbelow(space)
        try:
            with db.session.begin_nested():
                db.session.execute(update(Certificate).where(Certificate.id == cert.id).values(status_index=index))
        except IntegrityError:
            continue  # taken, perhaps a moment ago by another issue: pick again
        set_committed_value(cert, "status_index", index)
        return index
    raise RuntimeError(f"no free status index after {ATTEMPTS} attempts in a space of {space}")


def revoked_positions(list_number: int) -> set[int]:
    """The positions set in the revocation list ``list_number``."""
    low = list_number * LIST_SIZE
    return {index - low for index in db.session.scalars(
        select(Certificate.status_index).where(Certificate.revoked_at.is_not(None),
                                               Certificate.status_index >= low,
                                               Certificate.status_index < low + LIST_SIZE))}


def status_list_credential(purpose: str, list_number: int, issuer: dict[str, Any], now: str) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` of one list (``now``: its ``validFrom``)."""
    url = list_url(purpose, list_number)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": now,
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList", "statusPurpose": purpose,
                              "encodedList": encode_bits(revoked_positions(list_number))},
    }


__all__ = ["LIST_SIZE", "PURPOSES", "allocate_status_index", "bit_is_set", "decode_bits", "encode_bits",
           "list_url", "revoked_positions", "status_entry", "status_list_credential"]
