"""Crawl the app as a person would (following every same-site GET link), with Flask's test client:
fast enough to visit every kind of page as every role, in each language, inside the test suite.

Each page keeps its HTML and its text nodes with the language they are marked with (the nearest
``lang`` attribute) and whether they sit in code (``code``, ``pre``, ``kbd``, ``samp``, form fields),
for the checks of tests/browser/test_crawl.py.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from werkzeug.exceptions import HTTPException

from lms.accounts.demo import DEMO_PASSWORD

SKIP = re.compile(r"logout|export|download|\.pdf$|\.csv$|\.json$|\.svg$|\.png$|/static/")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
CODE = {"code", "pre", "kbd", "samp", "textarea", "script", "style", "template"}
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


@dataclass
class Text:
    text: str
    lang: str
    in_code: bool
    path: str  # tag names from the root, for the messages
    attribute: bool = False  # a title, placeholder, aria-label or alt value (no markup possible inside)


@dataclass
class Page:
    url: str
    endpoint: str
    status: int
    html: str
    texts: list[Text] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, bool]] = [("#root", "", False)]
        self.texts: list[Text] = []
        self.links: list[str] = []

    def _path(self):
        return ">".join(tag for tag, _lang, _code in self.stack[1:])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        _parent, lang, in_code = self.stack[-1]
        lang = attrs.get("lang", lang) or lang
        in_code = in_code or tag in CODE or (tag == "input" and attrs.get("type") not in ("submit", "button"))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in SHOWN_ATTRIBUTES:
            if attrs.get(name):
                self.texts.append(Text(attrs[name], lang, in_code and name != "aria-label", self._path() + ">" + tag,
                                       attribute=True))
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(Text(attrs["value"], lang, False, self._path() + ">" + tag, attribute=True))
        if tag not in VOID:
            self.stack.append((tag, lang, in_code))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if data.strip():
            _tag, lang, in_code = self.stack[-1]
            self.texts.append(Text(data.strip(), lang, in_code, self._path()))


def read_page(url: str, endpoint: str, status: int, html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return Page(url, endpoint, status, html, reader.texts, reader.links)


def _endpoint(adapter, url: str) -> str | None:
    try:
        endpoint, _args = adapter.match(urlsplit(url).path, method="GET")
    except HTTPException:
        return None
    return endpoint


def _same_site(base: str, hrefs: list[str]) -> list[str]:
    targets = [urlsplit(urljoin(base, href)) for href in hrefs]
    return [t._replace(scheme="", netloc="", fragment="").geturl() for t in targets
            if t.netloc in ("", "localhost") and t.scheme in ("", "http")]


def crawl(app, employee_no: str | None, locale: str, per_endpoint: int = 2, limit: int = 400,
          start: list[str] = ()) -> list[Page]:
    """Every page reachable by links from the home page (at most ``per_endpoint`` pages of each view),
    as the demo person ``employee_no`` (None: anonymous) in ``locale``. The person's language is
    restored to traditional Chinese afterwards."""
    client = app.test_client()
    if employee_no:
        response = client.post("/login", data={"identifier": employee_no, "password": DEMO_PASSWORD})
        assert response.status_code == 302, employee_no
    client.post("/locale", data={"locale": locale, "next": "/"})
    adapter = app.url_map.bind("localhost")
    queue, seen, per_view, pages = ["/", *start], set(), {}, []
    try:
        while queue and len(pages) < limit:
            url = queue.pop(0)
            endpoint = None if url in seen or SKIP.search(url) else _endpoint(adapter, url)
            seen.add(url)
            if endpoint is None or per_view.get(endpoint, 0) >= per_endpoint:
                continue
            per_view[endpoint] = per_view.get(endpoint, 0) + 1
            response = client.get(url)
            if response.status_code in (301, 302, 303, 307, 308):
                queue += _same_site(url, [response.headers["Location"]])
            elif response.content_type.startswith("text/html"):
                pages.append(read_page(url, endpoint, response.status_code, response.get_data(as_text=True)))
                queue += _same_site(url, pages[-1].links)
    finally:
        if employee_no:
            client.post("/locale", data={"locale": "zh_Hant", "next": "/"})
    return pages
