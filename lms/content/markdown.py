"""Markdown → safe HTML. Rendered by cmark-gfm (CommonMark with GitHub's tables), then sanitised with nh3 —
always in that order, so nothing Markdown produces (or lets through) escapes the allow-list.

cmark-gfm parses in time linear in the input; the ``markdown`` package used before took time growing with
the square of the length for inputs such as ``[a](`` repeated (16,000 characters took seconds, 100,000 a
minute). Every Markdown text is also at most ``MAX_MARKDOWN`` characters (forms and content files alike),
so any allowed text renders in a fraction of a second.

Standard items are cited in text as ``[[4.1.1-a]]``; they become links to the item with its title as
hover text. A citation of an item that is not the standards document's own (centre practice where the
document is silent, or the document adapted to the centre: lms/standards/sources.py) is followed by a small
tag saying so, and its hover text says it too, so a lesson never passes centre practice off as the standard.
The tag is written in Chinese, like the content around it: the HTML is rendered once, when the content is
imported, and read in every interface language (lms.content_language marks or converts it with the rest).
"""

import re
from collections.abc import Callable
from html import unescape
from typing import NamedTuple

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from flask import current_app, has_app_context
from flask_babel import gettext
from markupsafe import escape

# The most characters one Markdown text (a lesson, a description, a question) may have.
MAX_MARKDOWN = 200_000
# Quotes, lists and raw tags may nest this deep; deeper nesting made sanitising take time growing with the
# square of the depth (20,000 characters of "> " took a third of a second).
MAX_DEPTH = 100
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>")  # [^<>]: never scans past the next tag
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Raw HTML is passed through to nh3, which keeps only the allow-list below (as before the switch).
_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_VALIDATE_UTF8

ITEM_REF = re.compile(r"\[\[\s*(\d+(?:\.\d+)*-[a-z])\s*\]\]")

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "a", "span", "del",
    "sup", "sub", "abbr", "img", "caption",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "span": {"class", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "th": {"align", "scope"},
    "td": {"align"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "media"}  # media: is resolved after sanitising (below)



class CitedItem(NamedTuple):
    """What a citation shows of the item it cites."""
    title: str
    url: str
    source: str = "document"  # an ItemSource value


# item code → CitedItem (or a plain (title, url) pair, read as the document's own); None when the code is unknown
ItemLookup = Callable[[str], CitedItem | tuple[str, str] | None]

# source → (the tag after the code, the words added to the hover text); the document's own items get neither.
SOURCE_TAGS = {
    "centre": ("本中心做法", "來源：本中心做法，標準文件未涵蓋此處"),
    "adapted": ("改寫", "來源：依本中心情況改寫標準文件"),
}


def find_item_refs(text: str) -> list[str]:
    return ITEM_REF.findall(text or "")


def _link_items(text: str, lookup: ItemLookup | None) -> str:
    def replace(match: re.Match) -> str:
        code = match.group(1)
        found = lookup(code) if lookup else None
        if found is None:
            return f'<span class="std-ref std-ref--unknown">{escape(code)}</span>'
        return _citation(code, CitedItem(*found))

    return ITEM_REF.sub(replace, text)


def _citation(code: str, item: CitedItem) -> str:
    tag, hover = SOURCE_TAGS.get(str(item.source), (None, None))
    title = f"{code} {item.title}" + (f"（{hover}）" if hover else "")
    link = f'<a class="std-ref" href="{escape(item.url)}" title="{escape(title)}">{escape(code)}</a>'
    if tag is None:
        return link
    return f'{link}<span class="tag tag--source std-ref__source std-ref__source--{item.source}">{tag}</span>'


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True)


def _to_html(text: str) -> str:
    return cmarkgfm.markdown_to_html_with_extensions(text or "", options=_OPTIONS, extensions=["table"])


def _depth(html: str) -> int:
    """How deep the elements of (unsanitised) HTML may nest: every tag not closed by an end tag of its own
    name counts as open (misnested or unclosed raw tags too); one pass."""
    open_tags: dict[str, int] = {}  # name → how many are open; an end tag closes only its own name
    depth = deepest = 0
    for closing, name, rest in _TAG.findall(html):
        name = name.lower()
        if name in _VOID or rest.endswith("/"):
            continue
        if not closing:
            open_tags[name] = open_tags.get(name, 0) + 1
            depth += 1
            deepest = max(deepest, depth)
        elif open_tags.get(name):
            open_tags[name] -= 1
            depth -= 1
    return deepest


def markdown_problem(text: str | None) -> str | None:
    """Why a Markdown text cannot be accepted (too long, or nested too deep), or None."""
    if text and len(text) > MAX_MARKDOWN:
        return gettext("is %(n)s characters long; the limit is %(limit)s", n=f"{len(text):,}", limit=f"{MAX_MARKDOWN:,}")
    if text and _depth(_to_html(text[:MAX_MARKDOWN])) > MAX_DEPTH:
        return gettext("nests quotes, lists or tags more than %(n)d levels deep", n=MAX_DEPTH)
    return None


def render_markdown(text: str, lookup: ItemLookup | None = None) -> str:
    """Render trusted-or-not Markdown to sanitised HTML, turning [[item]] citations into links.

    Text nested deeper than MAX_DEPTH (refused wherever text is saved: ``markdown_problem``) is shown as plain
    text instead, so no input makes rendering slow."""
    html = _to_html(text)
    if _depth(html) > MAX_DEPTH:
        return "<p>" + str(escape(text)).replace("\n", "<br>") + "</p>"
    return resolve_media(sanitise(_link_items(html, lookup)))


def plain_text(text: str) -> str:
    """Markdown source reduced to plain text (for the search index and summaries)."""
    html = _to_html(ITEM_REF.sub(r"\1", text or ""))
    return " ".join(unescape(nh3.clean(html, tags=set())).split())


# ---------------------------------------------------------------- media references
# ``![alt](media:<name-or-sha256>)`` names a file of the media library (lms.media). Sanitising keeps the
# ``media:`` URL; then the resolver the media domain registers (``current_app.extensions["lms_media"]``,
# an object with ``player(key, alt, block) -> str | None`` and ``url(key) -> str | None``) replaces each with
# trusted HTML: an image, or an audio player with its transcript; a block when the reference is a paragraph
# of its own. An unknown file (or no app) leaves a visible note.
# (Browsers skip spaces and controls before a URL's scheme, so the patterns do too: no media: URL survives.)
_MEDIA_IMG = re.compile(r'(<p>)?<img\b([^>]*\bsrc="[\x00-\x20]*media:[^"]*"[^>]*)>(</p>\n?)?', re.IGNORECASE)
_MEDIA_HREF = re.compile(r'href="[\x00-\x20]*media:([^"]*)"', re.IGNORECASE)
_ATTRIBUTE = re.compile(r'([a-zA-Z-]+)="([^"]*)"')


def _media_missing(key: str) -> str:
    return f'<span class="media-missing">找不到媒體檔案：{escape(key)}</span>'


def _media_tag(match: re.Match, resolver) -> str:
    attributes = {name.lower(): unescape(value) for name, value in _ATTRIBUTE.findall(match.group(2))}
    key = attributes.get("src", "").split(":", 1)[-1].strip()
    block = bool(match.group(1) and match.group(3))
    html = resolver.player(key, attributes.get("alt", ""), block) if resolver else None
    if html is None:  # an unknown file keeps its place in the text
        block, html = False, _media_missing(key)
    return html if block else (match.group(1) or "") + html + (match.group(3) or "")


def resolve_media(html: str) -> str:
    """Sanitised HTML with its media: references replaced by the media domain's players and links."""
    if "media:" not in html.lower():
        return html
    resolver = current_app.extensions.get("lms_media") if has_app_context() else None
    html = _MEDIA_IMG.sub(lambda m: _media_tag(m, resolver), html)
    return _MEDIA_HREF.sub(lambda m: f'href="{escape((resolver.url(m.group(1)) if resolver else None) or "#")}"', html)
