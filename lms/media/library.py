"""The media library: adding a checked file, finding a file by the key a reference uses, and the list
trainers see. Services flush; the request or the import commits once."""

import re
from urllib.parse import unquote

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.accounts.models import User
from lms.db import db
from lms.errors import DomainError
from lms.media.checks import CheckedUpload, MediaProblem, Upload, check_upload
from lms.media.models import MediaFile
from lms.media.storage import media_storage

DIGEST = re.compile(r"[0-9a-f]{64}")
MAX_SAME_NAME = 99


def media_limits() -> dict:
    return dict(current_app.config["MEDIA_MAX_BYTES"])


def checked(upload: Upload) -> CheckedUpload:
    """The upload checked against the app's limits; DomainError naming the field when it is refused."""
    try:
        return check_upload(upload, media_limits())
    except MediaProblem as exc:
        raise DomainError(exc.message, exc.field) from None


def _same_bytes(digest: str) -> MediaFile | None:
    return db.session.scalar(select(MediaFile).where(MediaFile.digest == digest))


def unique_name(name: str) -> str:
    """The name, or with -2, -3 … before its extension when another file already has it."""
    stem, _, extension = name.rpartition(".")
    pattern = re.sub(r"([\\%_])", r"\\\1", stem) + "%." + extension
    taken = set(db.session.scalars(select(MediaFile.name).where(MediaFile.name.like(pattern, escape="\\"))))
    if name not in taken:
        return name
    for number in range(2, MAX_SAME_NAME + 1):
        candidate = f"{stem}-{number}.{extension}"
        if candidate not in taken:
            return candidate
    raise DomainError(gettext("Too many files have this name; rename the file before uploading it."), "file")


def add_media(upload: CheckedUpload, actor: User | None) -> MediaFile:
    """Store the bytes and add the library row. Identical bytes already in the library are refused,
    naming the file that has them."""
    existing = _same_bytes(upload.digest)
    if existing is not None:
        raise DomainError(gettext("This file is already in the library as \u201c%(title)s\u201d (%(name)s).",
                                  title=existing.title, name=existing.name), "file")
    row = MediaFile(digest=upload.digest, name=unique_name(upload.name), kind=upload.kind,
                    mime=upload.file_type.mime, extension=upload.file_type.extension, size=len(upload.data),
                    title=upload.title, alt_text=upload.alt_text, transcript=upload.transcript,
                    uploaded_by_id=actor.id if actor else None)
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:  # the same name or bytes were added by a parallel request a moment ago
        raise DomainError(gettext("Another file with this name or these bytes was added just now; upload "
                                  "again."), "file") from None
    # The bytes go to the storage last: a failed row writes nothing; a failed commit leaves a content-
    # addressed file that nothing names (the next upload of the same bytes reuses it).
    media_storage().put(row.filename, upload.data, row.mime)
    return row


def upload_media(actor: User, upload: Upload) -> MediaFile:
    """A trainer's upload: checked like every file (lms.media.checks), then added."""
    return add_media(checked(upload), actor)


def find_media(key: str) -> MediaFile | None:
    """The file a reference names: its library name, or its SHA-256 (as Markdown may percent-encode it)."""
    key = unquote(key or "").strip()
    if not key:
        return None
    column = MediaFile.digest if DIGEST.fullmatch(key) else MediaFile.name
    return db.session.scalar(select(MediaFile).where(column == key))


def media_by_filename(filename: str) -> MediaFile | None:
    """The file a content-addressed URL names (``<sha256>.<ext>``)."""
    digest, _, extension = (filename or "").partition(".")
    if not DIGEST.fullmatch(digest):
        return None
    row = _same_bytes(digest)
    return row if row is not None and row.extension == extension else None


def library() -> list[MediaFile]:
    """Every file, newest first."""
    return list(db.session.scalars(select(MediaFile).order_by(MediaFile.created_at.desc(), MediaFile.id.desc())))


def media_count() -> int:
    return db.session.scalar(select(func.count(MediaFile.id))) or 0
