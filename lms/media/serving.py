"""Serving a media file: who may fetch it, and the headers that let browsers keep it.

Who (the rule, also in the route's docstring): never anonymous visitors (the access rule sends them to the
login page). Staff — trainers, managers, administrators — may fetch every file of the library (they author,
review and supervise the content). Anyone else logged in may fetch a file that published content uses: a
lesson of a published course, a question's current version or a call scenario's current version (each of
which every logged-in learner can be shown: the catalogue, an exam or a practice call). A file nobody uses
yet — an upload still being checked, say — answers 404 to learners, as an unknown file does, so its
existence is not confirmed.

Headers: the URL is the file's SHA-256, so its bytes never change: ``Cache-Control: private,
max-age=31536000, immutable`` (private: a shared cache must not hand it to someone else), an ETag of the
digest with 304 answers to ``If-None-Match``, and byte ranges (206) so an audio player can seek. Files on
disk are streamed; from S3 the bytes are read into memory first (a file is at most MEDIA_MAX_BYTES).
"""

from io import BytesIO

from flask import abort, send_file

from lms.accounts.models import Role, User
from lms.media.library import media_by_filename
from lms.media.models import MediaFile
from lms.media.storage import media_storage
from lms.media.usage import is_in_use

ONE_YEAR = 365 * 24 * 3600
STAFF = (Role.TRAINER, Role.MANAGER, Role.ADMIN)


def may_fetch(user: User, media: MediaFile) -> bool:
    """The access rule of the module's docstring."""
    return user.has_role(*STAFF) or is_in_use(media)


def media_response(user: User, filename: str):
    """The file's response (200, 206 or 304), or 404 for an unknown file or one this person may not fetch."""
    media = media_by_filename(filename)
    if media is None or not may_fetch(user, media):
        abort(404)
    storage = media_storage()
    source = storage.local_path(media.filename)
    if source is None:
        data = storage.read(media.filename)
        if data is None:
            abort(404)
        source = BytesIO(data)
    response = send_file(source, mimetype=media.mime, conditional=True, etag=media.digest, max_age=ONE_YEAR,
                         last_modified=media.created_at, download_name=media.name)
    response.cache_control.public = False
    response.cache_control.private = True
    response.cache_control.immutable = True
    return response
