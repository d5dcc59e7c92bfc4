"""The type of a file is told by its bytes, never by its name."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.media import detection
from lms.media.models import MediaKind
from tests.media import samples

CASES = [
    (samples.png(), "png", MediaKind.IMAGE),
    (samples.jpeg(), "jpg", MediaKind.IMAGE),
    (samples.webp(), "webp", MediaKind.IMAGE),
    (samples.wav(), "wav", MediaKind.AUDIO),
    (samples.mp3(), "mp3", MediaKind.AUDIO),
    (samples.mp3_with_id3(), "mp3", MediaKind.AUDIO),
    (samples.m4a(), "m4a", MediaKind.AUDIO),
    (samples.aac(), "aac", MediaKind.AUDIO),
    (samples.ogg_opus(), "opus", MediaKind.AUDIO),
    (samples.ogg_vorbis(), "ogg", MediaKind.AUDIO),
]


@pytest.mark.parametrize(("data", "extension", "kind"), CASES, ids=[c[1] + str(i) for i, c in enumerate(CASES)])
def test_each_accepted_type_is_told_by_its_bytes(data, extension, kind):
    found = detection.detect(data)
    assert found is not None and (found.extension, found.kind) == (extension, kind)


@pytest.mark.parametrize("data", [
    b"", b"hello, this is text", b"%PDF-1.7\n", b"GIF89a\x01\x00", b"PK\x03\x04zip", b"MZ\x90\x00exe",
    b"RIFF\x00\x00\x00\x00AVI LIST", b"OggS\x00\x02" + b"\x00" * 22 + b"\x80theora" + b"\x00" * 8,
    b"\x00\x00\x00\x18ftypqt  ", b"\xff\xfe\x00\x00", b"\xff\xf9",
])
def test_other_files_are_not_accepted(data):
    assert detection.detect(data) is None


@pytest.mark.parametrize("data", [samples.SVG, b"  <svg viewBox='0 0 1 1'/>", b"\xef\xbb\xbf<!DOCTYPE svg><svg/>",
                                  b"<html><body><svg/></body></html>"])
def test_svg_and_other_markup_are_recognised_to_be_refused(data):
    assert detection.looks_like_svg(data) and detection.detect(data) is None


@given(st.binary(max_size=64))
def test_any_bytes_give_an_accepted_type_or_none(data):
    found = detection.detect(data)
    assert found is None or found in detection.ACCEPTED
