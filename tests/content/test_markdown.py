"""Markdown is rendered, then sanitised: nothing executable survives, citations become links."""

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from lms.content.markdown import find_item_refs, plain_text, render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "![x](javascript:alert(1))",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<form action=javascript:alert(1)><input type=submit>",
    "[[4.1.1-a\"><script>alert(1)</script>]]",
    "`<script>alert(1)</script>`",
]
BAD_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "form", "style", "link", "meta", "base", "input"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in BAD_TAGS:
            self.problems.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction") and value:
                # Browsers drop tabs and newlines (and leading controls) from URLs before reading the scheme.
                scheme = re.sub(r"[\t\n\r\x00-\x1f]", "", value).strip().lower().split(":", 1)[0]
                if ":" in value and re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme) and scheme not in ("http", "https", "mailto"):
                    self.problems.append(f"{tag}[{name}={value}]")


def executable_parts(html: str) -> list[str]:
    """Tags, event handlers and URLs in rendered HTML that could run script."""
    collector = _Collector()
    collector.feed(html)
    return collector.problems


def lookup(code):
    return ("三聲內接聽 \"<b>\"", f"/standards/items/{code}") if code == "4.1.1-a" else None


def test_known_payloads_are_neutralised():
    for payload in PAYLOADS:
        html = render_markdown(f"before {payload} after", lookup)
        assert executable_parts(html) == [], (payload, html)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(list("<>\"'=/ :;&#()[]!`\n\tabcjsvgimonerptl1x") + [
    "javascript:", "onerror=", "<script", "<img ", "[[", "]]", "4.1.1-a", "](", "&#x6a;", "<a href="]),
    max_size=60).map("".join))
def test_property_generated_markup_never_yields_executable_html(text):
    html = render_markdown(text, lookup)
    assert executable_parts(html) == []


def test_item_citations_become_links_with_hover_text_and_unknown_ones_are_marked():
    html = render_markdown("請記住 [[4.1.1-a]] 與 [[9.9.9-z]]。", lookup)
    assert '<a class="std-ref" href="/standards/items/4.1.1-a"' in html
    assert 'title="4.1.1-a 三聲內接聽 &quot;&lt;b&gt;&quot;"' in html
    assert 'std-ref--unknown' in html and "9.9.9-z" in html


def test_tables_and_lists_render():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n- 一\n- 二\n")
    assert "<table>" in html and "<li>一</li>" in html


def test_plain_text_and_refs():
    assert plain_text("## 標題\n\n**粗體** [[4.1.1-a]] &amp;") == "標題 粗體 4.1.1-a &"
    assert find_item_refs("見 [[4.1.1-a]] 與 [[ 5.2.1-b ]]") == ["4.1.1-a", "5.2.1-b"]
