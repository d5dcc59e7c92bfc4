"""Markdown → safe HTML. Rendered with the ``markdown`` package, then sanitised with nh3 — always in
that order, so nothing Markdown produces (or lets through) escapes the allow-list.

Standard items are cited in text as ``[[4.1.1-a]]``; they become links to the item with its title as
hover text.
"""

import re
from collections.abc import Callable
from html import unescape

import markdown as md
import nh3
from markupsafe import escape

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
URL_SCHEMES = {"http", "https", "mailto"}

# item code → (title, url); None when the code is unknown
ItemLookup = Callable[[str], tuple[str, str] | None]


def find_item_refs(text: str) -> list[str]:
    return ITEM_REF.findall(text or "")


def _link_items(text: str, lookup: ItemLookup | None) -> str:
    def replace(match: re.Match) -> str:
        code = match.group(1)
        found = lookup(code) if lookup else None
        if found is None:
            return f'<span class="std-ref std-ref--unknown">{escape(code)}</span>'
        title, url = found
        return (f'<a class="std-ref" href="{escape(url)}" title="{escape(code)} {escape(title)}">'
                f'{escape(code)}</a>')

    return ITEM_REF.sub(replace, text)


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True)


def render_markdown(text: str, lookup: ItemLookup | None = None) -> str:
    """Render trusted-or-not Markdown to sanitised HTML, turning [[item]] citations into links."""
    html = md.markdown(text or "", extensions=["tables", "sane_lists", "fenced_code"], output_format="html")
    return sanitise(_link_items(html, lookup))


def plain_text(text: str) -> str:
    """Markdown source reduced to plain text (for the search index and summaries)."""
    html = md.markdown(ITEM_REF.sub(r"\1", text or ""), extensions=["tables"])
    return " ".join(unescape(nh3.clean(html, tags=set())).split())
