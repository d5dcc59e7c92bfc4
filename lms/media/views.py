"""Serving media files to logged-in people (the rule: lms.media.serving)."""

from flask import Blueprint
from flask_login import current_user

from lms.access import authenticated
from lms.media.serving import media_response

bp = Blueprint("media", __name__, url_prefix="/media")


@bp.route("/files/<filename>")
@authenticated
def file(filename):
    """A file by its content address (<sha256>.<ext>): staff any file, others a file published content uses;
    cached for a year (immutable), with ETag/304 and byte ranges for seeking."""
    return media_response(current_user, filename)
