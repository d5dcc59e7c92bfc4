"""Media in content: the players a ``media:`` reference becomes.

Lesson, question and feedback Markdown write ``![alt](media:<name-or-sha256>)``; lms.content.markdown
keeps the reference through sanitising and asks this module's resolver (registered on the app as
``extensions["lms_media"]``) for trusted HTML: an image with its alt text (the Markdown's, else the
library's), or an audio player with the transcript in a ``<details>`` right below it. A reference alone in
its paragraph becomes a ``<figure>``; one inside a sentence stays inline (audio then carries its
transcript in brackets after the player). The words are in Chinese, like the content around them: the
HTML is rendered once, when content is saved or imported, and read in every interface language.

A call scenario's customer line may carry ``media: <name-or-sha256>``: the play page and the debrief show
its player through the template global ``media_clip`` (lms.media.references.media_clip).
"""

from flask import Flask, g
from markupsafe import Markup, escape

from lms.media.library import find_media
from lms.media.models import MediaFile, MediaKind
from lms.urls import path_for

TRANSCRIPT = "逐字稿"


def file_url(media: MediaFile) -> str:
    return path_for("media.file", filename=media.filename)


def _paragraphs(text: str) -> str:
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join("<p>" + str(escape(p)).replace("\n", "<br>") + "</p>" for p in parts)


def _image(media: MediaFile, alt: str) -> str:
    return f'<img class="media__image" src="{escape(file_url(media))}" alt="{escape(alt or media.alt_text)}" loading="lazy">'


def _audio(media: MediaFile) -> str:
    return (f'<audio class="media__audio" controls preload="metadata" src="{escape(file_url(media))}" '
            f'aria-label="{escape(media.title)}"></audio>')


def transcript_details(media: MediaFile) -> str:
    return (f'<details class="media__transcript"><summary>{TRANSCRIPT}：{escape(media.title)}</summary>'
            f'{_paragraphs(media.transcript)}</details>')


def player_html(media: MediaFile, alt: str = "", block: bool = True) -> str:
    """Trusted HTML showing the file (see the module's docstring)."""
    if media.kind == MediaKind.IMAGE:
        image = _image(media, alt)
        return f'<figure class="media media--image">{image}</figure>' if block else image
    if not block:
        return f'{_audio(media)}<span class="media__transcript-inline">（{TRANSCRIPT}：{escape(media.transcript)}）</span>'
    return (f'<figure class="media media--audio"><figcaption>{escape(media.title)}</figcaption>{_audio(media)}'
            f'{transcript_details(media)}</figure>')


class MediaResolver:
    """What lms.content.markdown asks for a ``media:`` reference."""

    def player(self, key: str, alt: str, block: bool) -> str | None:
        media = find_media(key)
        return None if media is None else player_html(media, alt, block)

    def url(self, key: str) -> str | None:
        media = find_media(key)
        return None if media is None else file_url(media)


def _cached_media(key: str) -> MediaFile | None:
    found = g.setdefault("_lms_media_clips", {})
    if key not in found:
        found[key] = find_media(key)
    return found[key]


def media_clip(key: str, line_text: str = "") -> Markup:
    """A customer line's clip for the call pages: the player, and the transcript unless the line's own text
    (shown beside it) already is the transcript. Empty for no key; a note for a file not in the library."""
    if not key:
        return Markup("")
    media = _cached_media(key)
    if media is None or media.kind != MediaKind.AUDIO:
        return Markup(f'<span class="media-missing">找不到媒體檔案：{escape(key)}</span>')
    same = " ".join(media.transcript.split()) == " ".join((line_text or "").split())
    return Markup(f'<span class="line__clip">{_audio(media)}</span>'
                  + ("" if same else transcript_details(media)))


def init_app(app: Flask) -> None:
    """Register the Markdown resolver and the call pages' template global."""
    app.extensions["lms_media"] = MediaResolver()
    app.add_template_global(media_clip)
