"""The upload checker: bytes, a file name and the words about the file in; a checked upload or the first
problem out, naming the field at fault. Pure (no Flask request, no database), so it takes random bytes and
names in property tests (tests/media/test_checks.py).

Checked: the type by the bytes (lms.media.detection; the name's extension is never believed), the size
against the limit for its kind, a title, alt text for an image and a transcript for audio (a person who
cannot see the picture or hear the clip gets the same lesson), and text a person types (no control
characters). The name the library gives the file is built from the uploaded name, whatever encoding or
characters it came in, with the detected extension.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext

from lms.content.uploads import first_unlikely
from lms.media.detection import ACCEPTED, FileType, detect, looks_like_svg
from lms.media.models import MediaKind

MAX_TITLE, MAX_ALT, MAX_TRANSCRIPT, MAX_NAME = 200, 500, 50_000, 100
_NOT_NAME = re.compile(r"[^\w.-]+")  # \w keeps letters of every script (Chinese names stay Chinese)
_DASHES = re.compile(r"-{2,}")


class MediaProblem(ValueError):
    """Why an upload is refused; ``field`` is the form field at fault (file, title, alt_text, transcript)."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str
    title: str
    alt_text: str = ""
    transcript: str = ""


@dataclass(frozen=True)
class CheckedUpload:
    file_type: FileType
    digest: str
    name: str  # a proposed library name (the service makes it unique)
    title: str
    alt_text: str
    transcript: str
    data: bytes

    @property
    def kind(self) -> MediaKind:
        return self.file_type.kind


def _repaired(name: str) -> str:
    """A UTF-8 name a client sent as Latin-1 (退費.mp3 arriving as é\x80\x80è²».mp3) read back as UTF-8."""
    try:
        return name.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name


def library_name(filename: str, file_type: FileType) -> str:
    """A name safe in a Markdown reference and a URL: the uploaded name's last part, NFKC, letters of any
    script, digits, '.', '_' and '-', ending in the detected type's extension."""
    base = _repaired(filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKC", base)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = _DASHES.sub("-", _NOT_NAME.sub("-", stem))
    stem = stem[:MAX_NAME - len(file_type.extension) - 6].strip("-._")  # room for "-99" and the extension
    return f"{stem or 'media'}.{file_type.extension}"


def _text(value: str, field: str, limit: int, required: str | None) -> str:
    text = unicodedata.normalize("NFC", (value or "").strip())
    if required and not text:
        raise MediaProblem(required, field)
    if len(text) > limit:
        raise MediaProblem(gettext("is %(n)s characters long; the limit is %(limit)s", n=f"{len(text):,}",
                                   limit=f"{limit:,}"), field)
    if first_unlikely(text) is not None:
        raise MediaProblem(gettext("holds control or private-use characters no one types"), field)
    return text


def accepted_types() -> str:
    return ", ".join(dict.fromkeys(t.label for t in ACCEPTED))


def _file_type(data: bytes, limits: dict) -> FileType:
    if not data:
        raise MediaProblem(gettext("Choose a file to upload."), "file")
    if looks_like_svg(data):
        raise MediaProblem(gettext("SVG drawings are not accepted (they can carry script): save the drawing "
                                   "as PNG."), "file")
    file_type = detect(data)
    if file_type is None:
        raise MediaProblem(gettext("This file is not an accepted image or audio type (%(types)s), whatever "
                                   "its name says.", types=accepted_types()), "file")
    limit = int(limits[str(file_type.kind)])
    if len(data) > limit:
        raise MediaProblem(gettext("The file is %(size)s; the limit for this kind of file is %(limit)s.",
                                   size=human_size(len(data)), limit=human_size(limit)), "file")
    return file_type


def human_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(size, 1) / 1024:.0f} KB" if size >= 1024 else f"{size} B"
    return f"{size / 1024 / 1024:.1f} MB"


def check_upload(upload: Upload, limits: dict) -> CheckedUpload:
    """The upload checked (see the module's docstring), or MediaProblem naming the field."""
    file_type = _file_type(upload.data, limits)
    title = _text(upload.title, "title", MAX_TITLE, gettext("Give the file a title."))
    image = file_type.kind == MediaKind.IMAGE
    alt = _text(upload.alt_text, "alt_text", MAX_ALT,
                gettext("Describe the picture for people who cannot see it.") if image else None)
    transcript = _text(upload.transcript, "transcript", MAX_TRANSCRIPT,
                       None if image else gettext("Write down what is said in the clip, for people who cannot "
                                                  "hear it."))
    return CheckedUpload(file_type, hashlib.sha256(upload.data).hexdigest(), library_name(upload.filename, file_type),
                         title, alt if image else "", "" if image else transcript, upload.data)
