"""Media files with the content export and import: ``courses/media/<sha256>.<ext>`` beside an index,
``courses/media/media.yaml``, which says what a person reads about each file::

    files:
      - file: 3f0c…e1.png            # the bytes' SHA-256 and extension
        name: 來電處理流程.png        # what references use: ![…](media:來電處理流程.png)
        title: 來電處理的三個階段
        alt_text: 流程圖：接聽、溝通、結束三個階段……   # images
      - file: 9a41…07.mp3
        name: refund-call.mp3
        title: 退費來電錄音（已去識別化）
        transcript: |                 # audio
          客戶：……

Import checks every file as an upload is checked (type by its bytes, size, alt text or transcript) and that
its bytes hash to its file name; errors name the file, line and field, and nothing is written while any
remain. The export writes every file of the library, byte for byte.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import current_app, has_app_context
from flask_babel import gettext
from sqlalchemy import select

from lms.config import DEFAULTS
from lms.content.files import ContentError, ContentErrors, Fields, LineDict, load_mapping_file
from lms.db import db
from lms.media.checks import CheckedUpload, MediaProblem, Upload, check_upload, library_name
from lms.media.library import DIGEST, add_media
from lms.media.models import MediaFile
from lms.standards.services import SyncCounts

INDEX = "media.yaml"
ENTRY_FIELDS = {"file", "name", "title", "alt_text", "transcript"}
PROBLEM_FIELDS = {"file": "file", "title": "title", "alt_text": "alt_text", "transcript": "transcript"}


@dataclass(frozen=True)
class MediaSpec:
    upload: CheckedUpload
    name: str
    path: str
    line: int


def _entry(raw, folder: Path, rel: str, limits: dict) -> tuple[MediaSpec | None, list[ContentError]]:
    if not isinstance(raw, LineDict):
        return None, [ContentError(rel, getattr(raw, "line", None), "files", gettext("each file is a mapping"))]
    fields = Fields(raw, rel)
    fields.unknown(ENTRY_FIELDS)
    filename, name = fields.text("file", max_len=80), fields.text("name", max_len=120)
    title = fields.text("title", required=False, max_len=10_000)
    alt, transcript = fields.text("alt_text", False, 10_000), fields.text("transcript", False, 100_000)
    digest, _, extension = filename.partition(".")
    if filename and (not DIGEST.fullmatch(digest) or not extension):
        fields.error("file", gettext("a file is named by its SHA-256 and extension"))
    if fields.errors:
        return None, fields.errors
    path = folder / filename
    limit = max(int(size) for size in limits.values())
    if not path.is_file() or path.stat().st_size > limit:
        message = gettext("no such file here") if not path.is_file() else gettext("the file is larger than the limit")
        return None, [ContentError(rel, raw.line_of("file"), "file", message)]
    try:
        checked = check_upload(Upload(path.read_bytes(), name, title, alt, transcript), limits)
    except MediaProblem as exc:
        field = PROBLEM_FIELDS.get(exc.field, "file")
        return None, [ContentError(rel, raw.line_of(field), field, exc.message)]
    if checked.digest != digest or checked.file_type.extension != extension:
        return None, [ContentError(rel, raw.line_of("file"), "file",
                                   gettext("the bytes do not match the file's name (SHA-256 and extension)"))]
    if library_name(name, checked.file_type) != name:
        return None, [ContentError(rel, raw.line_of("name"), "name", gettext(
            "use letters, digits, '.', '_' and '-', ending in .%(ext)s", ext=extension))]
    return MediaSpec(checked, name, rel, raw.line), []


def _duplicates(specs: list[MediaSpec]) -> list[ContentError]:
    errors, names, digests = [], set(), set()
    for spec in specs:
        if spec.name in names:
            errors.append(ContentError(spec.path, spec.line, "name", gettext("two files have this name")))
        if spec.upload.digest in digests:
            errors.append(ContentError(spec.path, spec.line, "file", gettext("this file is listed twice")))
        names.add(spec.name)
        digests.add(spec.upload.digest)
    return errors


def load_media(courses_dir: Path) -> tuple[list[MediaSpec], list[ContentError]]:
    """The media files under courses/media, checked; no folder means no media."""
    folder = courses_dir / "media"
    if not (folder / INDEX).is_file():
        return [], []
    data, rel, errors = load_mapping_file(folder / INDEX, courses_dir.parent, gettext("media.yaml is a mapping"))
    if errors:
        return [], errors
    entries = data.get("files") or []
    if not isinstance(entries, list):
        return [], [ContentError(rel, data.line_of("files"), "files", gettext("files is a list"))]
    specs, limits = [], dict(current_app.config["MEDIA_MAX_BYTES"] if has_app_context() else DEFAULTS["MEDIA_MAX_BYTES"])
    for raw in entries:
        spec, problems = _entry(raw, folder, rel, limits)
        errors += problems
        if spec is not None:
            specs.append(spec)
    return specs, errors + _duplicates(specs)


def media_keys(specs: list[MediaSpec]) -> set[str]:
    """The keys the files of a tree (and of the library already) answer to."""
    keys = {spec.name for spec in specs} | {spec.upload.digest for spec in specs}
    if has_app_context():  # checking files without an app (a content check) knows only the tree's files
        for name, digest in db.session.execute(select(MediaFile.name, MediaFile.digest)):
            keys |= {name, digest}
    return keys


def _unknown(keys, known: set[str], path: str, line, field: str) -> list[ContentError]:
    from urllib.parse import unquote

    return [ContentError(path, line, field, gettext("names media %(key)s, which is neither in courses/media nor in "
                                                    "the library", key=key)) for key in sorted(keys)
            if unquote(key) not in known]


def check_media_references(known: set[str], lessons=(), questions=(), scenarios=()) -> list[ContentError]:
    """Every media: reference of the tree's lessons, questions and call scenarios names a known file."""
    from lms.media.usage import markdown_keys, scenario_keys

    errors = []
    for lesson in lessons:
        errors += _unknown(markdown_keys(lesson.body), known, lesson.path, lesson.line, "body")
    for question in questions:
        errors += _unknown(markdown_keys(question.text) | markdown_keys(question.feedback), known, question.path,
                           question.line, "text")
    for scenario in scenarios:
        errors += _unknown(scenario_keys(scenario.definition), known, scenario.path, None, "media")
    return errors


def _update(row: MediaFile, spec: MediaSpec) -> bool:
    words = {"title": spec.upload.title, "alt_text": spec.upload.alt_text, "transcript": spec.upload.transcript}
    changed = any(getattr(row, key) != value for key, value in words.items())
    for key, value in words.items():
        setattr(row, key, value)
    return changed


def sync_media(specs: list[MediaSpec]) -> SyncCounts:
    """Add the files the library lacks and update the words of those it has. A name another file already
    has is refused (ContentErrors): nothing is written."""
    counts = SyncCounts()
    rows = {row.digest: row for row in db.session.scalars(select(MediaFile))}
    names = {row.name: row.digest for row in rows.values()}
    for spec in specs:
        row = rows.get(spec.upload.digest)
        if row is None and names.get(spec.name, spec.upload.digest) != spec.upload.digest:
            raise ContentErrors([ContentError(spec.path, spec.line, "name",
                                              gettext("another file of the library already has this name"))])
        if row is None:
            add_media(spec.upload, None)
        counts.tally(row is None, row is not None and _update(row, spec))
    db.session.flush()
    return counts


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def export_media(target: Path) -> int:
    """Every library file under ``target``/courses/media with its index."""
    from lms.media.storage import media_storage

    files = list(db.session.scalars(select(MediaFile).order_by(MediaFile.name)))
    if not files:
        return 0
    folder = target / "courses" / "media"
    folder.mkdir(parents=True, exist_ok=True)
    storage, entries = media_storage(), []
    for media in files:
        data = storage.read(media.filename)
        if data is None:
            raise ContentErrors([ContentError(media.filename, None, "file", gettext("the stored file is missing"))])
        (folder / media.filename).write_bytes(data)
        words = {"alt_text": media.alt_text} if media.kind == "image" else {"transcript": media.transcript}
        entries.append({"file": media.filename, "name": media.name, "title": media.title, **words})
    (folder / INDEX).write_text(yaml.dump({"files": entries}, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                                          width=1000), encoding="utf-8")
    return len(files)
