"""The upload checker: every refusal names its field; names come out safe whatever they came in as."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.media.checks import (
    MAX_NAME,
    CheckedUpload,
    MediaProblem,
    Upload,
    check_upload,
    library_name,
)
from lms.media.detection import MP3, PNG
from tests.media import samples

LIMITS = {"image": 10_000, "audio": 20_000}
FIELDS = {"file", "title", "alt_text", "transcript"}


def _refused(upload: Upload, limits=LIMITS) -> MediaProblem:
    with pytest.raises(MediaProblem) as caught:
        check_upload(upload, limits)
    return caught.value


def test_an_image_with_a_title_and_alt_text_is_accepted():
    checked = check_upload(Upload(samples.png(), "流程圖.png", " 流程 ", "三個階段的流程圖", "ignored"), LIMITS)
    assert (checked.name, checked.title, checked.alt_text, checked.transcript) == ("流程圖.png", "流程", "三個階段的流程圖", "")
    assert len(checked.digest) == 64 and checked.file_type is PNG


def test_an_audio_clip_needs_a_transcript_and_drops_alt_text():
    assert _refused(Upload(samples.mp3(), "call.mp3", "通話", "alt")).field == "transcript"
    checked = check_upload(Upload(samples.mp3(), "call.mp3", "通話", "alt", "客戶：您好"), LIMITS)
    assert (checked.alt_text, checked.transcript, checked.file_type) == ("", "客戶：您好", MP3)


@pytest.mark.parametrize(("upload", "field"), [
    (Upload(b"", "x.png", "t", "a"), "file"),
    (Upload(samples.SVG, "x.png", "t", "a"), "file"),
    (Upload(b"MZ\x90\x00 an executable", "song.mp3", "t", "", "x"), "file"),
    (Upload(samples.png(), "x.png", "  ", "a"), "title"),
    (Upload(samples.png(), "x.png", "t", ""), "alt_text"),
    (Upload(samples.png(), "x.png", "t", "a\x07b"), "alt_text"),
    (Upload(samples.png(), "x.png", "t" * 201, "a"), "title"),
    (Upload(samples.wav(), "x.wav", "t", "", "  \n "), "transcript"),
])
def test_each_refusal_names_its_field(upload, field):
    assert _refused(upload).field == field


def test_the_name_does_not_decide_the_type():
    checked = check_upload(Upload(samples.png(), "recording.mp3", "t", "a"), LIMITS)
    assert checked.file_type is PNG and checked.name == "recording.png"


def test_size_limits_are_per_kind():
    big_image = samples.png(size=256)
    assert len(big_image) > 200
    assert _refused(Upload(big_image, "x.png", "t", "a"), {"image": 200, "audio": 10**6}).field == "file"
    assert check_upload(Upload(samples.wav(), "x.wav", "t", "", "x"), {"image": 200, "audio": 10**6})


@pytest.mark.parametrize(("given_name", "expected"), [
    ("退費 流程圖.PNG", "退費-流程圖.png"),
    ("C:\\Users\\me\\Desktop\\圖.png", "圖.png"),
    ("../../etc/passwd", "passwd.png"),
    ("é\x80\x80è²».png", "退費.png"),  # UTF-8 bytes a client sent as Latin-1
    ("café.png", "café.png"),
    ("ｆｕｌｌ　ｗｉｄｔｈ.png", "full-width.png"),
    ("", "media.png"),
    ("....png", "media.png"),
    ("a(b)[c]<d>.png", "a-b-c-d.png"),
    ("x" * 300 + ".png", "x" * (MAX_NAME - 9) + ".png"),
])
def test_library_names(given_name, expected):
    assert library_name(given_name, PNG) == expected


@settings(max_examples=300)
@given(data=st.one_of(st.binary(max_size=300), st.sampled_from([samples.png(), samples.mp3(), samples.wav(),
                                                                samples.SVG])),
       filename=st.text(max_size=200), title=st.text(max_size=250), alt=st.text(max_size=30),
       transcript=st.text(max_size=30))
def test_property_an_upload_is_checked_or_refused_naming_a_field(data, filename, title, alt, transcript):
    try:
        checked = check_upload(Upload(data, filename, title, alt, transcript), LIMITS)
    except MediaProblem as exc:
        assert exc.field in FIELDS and str(exc.message)
        return
    assert isinstance(checked, CheckedUpload)
    assert checked.name == library_name(checked.name, checked.file_type)  # stable: a name stays itself
    assert len(checked.name) <= MAX_NAME and "/" not in checked.name and "\\" not in checked.name
    assert checked.name.endswith("." + checked.file_type.extension) and not checked.name.startswith(".")
    assert all(c.isalnum() or c in "._-" for c in checked.name)
