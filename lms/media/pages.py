"""What the library's pages show, ready for the templates."""

from dataclasses import dataclass, field

from flask import current_app
from markupsafe import Markup

from lms.db import db, found
from lms.media.checks import accepted_types, human_size
from lms.media.labels import KIND_LABELS
from lms.media.library import library
from lms.media.models import MediaFile
from lms.media.references import player_html
from lms.media.usage import USE_KINDS, Use, uses_of


@dataclass
class LibraryPage:
    files: list[MediaFile]
    uses: dict[int, list[Use]]
    limits: dict[str, str]
    types: str
    use_kinds: dict = field(default_factory=lambda: USE_KINDS)
    kind_labels: dict = field(default_factory=lambda: KIND_LABELS)


@dataclass
class MediaPage:
    media: MediaFile
    uses: list[Use]
    player: Markup
    size: str
    use_kinds: dict = field(default_factory=lambda: USE_KINDS)
    kind_labels: dict = field(default_factory=lambda: KIND_LABELS)


def _limits() -> dict[str, str]:
    return {kind: human_size(int(size)) for kind, size in current_app.config["MEDIA_MAX_BYTES"].items()}


def library_page(with_files: bool = True) -> LibraryPage:
    """Every file with where it is used (a fixed number of statements), the limits and the accepted types."""
    files = library() if with_files else []
    return LibraryPage(files, uses_of(files) if files else {}, _limits(), accepted_types())


def media_page(media_id: int) -> MediaPage:
    """One file: its player (as learners see it), reference and uses; 404 for an unknown id."""
    media = found(db.session.get(MediaFile, media_id), "media file")
    return MediaPage(media, uses_of([media])[media.id], Markup(player_html(media)), human_size(media.size))
