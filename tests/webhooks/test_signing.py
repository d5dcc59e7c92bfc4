"""Signing and checking a delivery's signature, and the retry schedule (pure)."""

import hashlib
import hmac

from hypothesis import given
from hypothesis import strategies as st

from lms.webhooks import signing

SECRET = "whsec_test"
BODY = b'{"id":"e1","type":"certificate.issued"}'


def test_the_header_carries_the_timestamp_and_the_hmac_of_timestamp_dot_body():
    header = signing.signature_header(SECRET, 1765000000, BODY)
    expected = hmac.new(SECRET.encode(), b"1765000000." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1765000000,v1={expected}"


def test_a_signed_body_verifies_within_the_tolerance():
    header = signing.signature_header(SECRET, 1765000000, BODY)
    assert signing.verify(SECRET, header, BODY, now=1765000000 + 299)
    assert signing.verify(SECRET, header, BODY, now=1765000000 - 299)


def test_a_tampered_body_a_wrong_secret_or_an_old_timestamp_does_not_verify():
    header = signing.signature_header(SECRET, 1765000000, BODY)
    assert not signing.verify(SECRET, header, BODY.replace(b"issued", b"revoked"), now=1765000000)
    assert not signing.verify("whsec_other", header, BODY, now=1765000000)
    assert not signing.verify(SECRET, header, BODY, now=1765000000 + 301)
    assert not signing.verify(SECRET, header.replace("t=1765000000", "t=1765000001"), BODY, now=1765000000)


def test_headers_without_a_time_or_a_signature_do_not_verify():
    for header in ("", "v1=abc", "t=1765000000", "t=soon,v1=abc", "garbage"):
        assert not signing.verify(SECRET, header, BODY, now=1765000000)


def test_any_of_several_v1_signatures_may_match_while_a_secret_is_replaced():
    good = signing.signature(SECRET, 1765000000, BODY)
    assert signing.verify(SECRET, f"t=1765000000,v1={'0' * 64},v1={good}", BODY, now=1765000000)


@given(st.text(max_size=200))
def test_any_header_text_is_read_without_an_error(header):
    timestamp, signatures = signing.parse_header(header)
    assert timestamp is None or timestamp >= 0
    assert all(isinstance(s, str) and s for s in signatures)
    assert not signing.verify(SECRET, header, BODY, now=0) or "v1=" in header


@given(st.binary(max_size=500), st.integers(min_value=0, max_value=2**40))
def test_every_signed_body_verifies_and_no_other_does(body, timestamp):
    header = signing.signature_header(SECRET, timestamp, body)
    assert signing.verify(SECRET, header, body, now=timestamp)
    assert not signing.verify(SECRET, header, body + b" ", now=timestamp)


def test_the_backoff_schedule_is_1_5_30_minutes_2_and_12_hours_then_gives_up():
    delays = [signing.retry_delay(n) for n in range(1, signing.MAX_ATTEMPTS + 1)]
    assert delays == [60, 300, 1800, 7200, 43200, None]
    assert signing.MAX_ATTEMPTS == 6
    assert signing.retry_delay(0) is None


def test_new_secrets_differ_and_are_long():
    first, second = signing.new_secret(), signing.new_secret()
    assert first != second and first.startswith("whsec_") and len(first) >= 40
