"""Simplified content, language of parts (WCAG 3.1.2) and English punctuation, for every HTML page not in
traditional Chinese.

The interface follows the reader's language; the content (course titles, lessons, questions, call lines,
standards) is written in traditional Chinese.

- On a simplified Chinese page, each run of Chinese text is converted to simplified Chinese with the
  content's converter (``lms.content.simplified``: OpenCC tw2sp and the content's phrase corrections;
  interface text, already simplified, passes through unchanged). So are ``<option>`` texts, SVG text, the
  document title and the attributes people read (``title``, ``alt``, ``placeholder``, ``aria-label``). A
  ``<textarea>`` keeps what it holds, and values that are posted back are never touched: they are the
  person's own typing (or the content being edited), marked ``lang="zh-Hant"`` when traditional.
- On an English page, each run of traditional Chinese text is marked ``<span lang="zh-Hant">`` (an
  ``<option>``, a ``<textarea>`` or an element of an SVG drawing holding some gets the attribute itself),
  so screen readers and browsers read it as Chinese.

Text already inside an element with a ``lang`` is left alone, as are scripts, styles and templates (and,
on English pages, the document title and attribute values).

On English pages, full-width punctuation outside Chinese runs (a template's "（", a "：" between an
English label and a name) becomes English punctuation: "0（0%）" reads "0 (0%)".

One filter over the response, so every page (and every page added later) follows the rule. The page is
cut into tags and text with one regular expression (the app's own, well-formed HTML), which keeps a
200 kB page to a few milliseconds.
"""

import re

from lms.content.simplified import PLAIN, character_simplified

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CLOSING = "。，、；：！？）」』》〉】"
RUN = re.compile(rf"[{HAN}](?:[^<>]*[{HAN}])?[{CLOSING}]*")  # from the first Chinese character to the last
# On simplified Chinese pages, text is converted clause by clause (between spaces and punctuation), so that
# interface text next to content ("文件：" before a file's name) is never read together with it.
BREAKS = r"\s，。、；：！？（）「」『』《》〈〉【】,.;:!?()\"'·—…/|<>"
CLAUSE = re.compile(rf"[^{BREAKS}]*[{HAN}][^{BREAKS}]*")
FULL_WIDTH = re.compile(r"[（）：，、；！？。「」]")
NEEDS_WORK = re.compile(rf"[{HAN}（）：，、；！？。「」]")
# Comments, elements whose text is left as it is, and tags; the text between them is what a person reads.
TOKEN = re.compile(r"<!--.*?-->|<(script|style|title|template)\b[^>]*>.*?</\1\s*>|<[^>]*>", re.S | re.I)
TAG_NAME = re.compile(r"</?\s*([a-zA-Z][\w:-]*)")
HAS_LANG = re.compile(r"\slang\s*=", re.I)
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
ATTRIBUTE_ONLY = frozenset({"option", "textarea"})  # text that cannot hold a <span>
# Attributes a person reads and nobody posts back: converted on simplified Chinese pages.
READ_ATTRIBUTES = re.compile(r"""(\s(?:title|alt|placeholder|aria-label|aria-description)\s*=\s*)("[^"]*"|'[^']*')""", re.I)
PUNCTUATION = [(re.compile(r"\s*（"), " ("), (re.compile(r"）"), ")"), (re.compile(r"：\s*"), ": "),
               (re.compile(r"，\s*"), ", "), (re.compile(r"、\s*"), ", "), (re.compile(r"；\s*"), "; "),
               (re.compile(r"！"), "!"), (re.compile(r"？"), "?"), (re.compile(r"。"), ". "),
               (re.compile(r"「"), "“"), (re.compile(r"」"), "”")]


def english_punctuation(text: str) -> str:
    if not FULL_WIDTH.search(text):
        return text
    for pattern, replacement in PUNCTUATION:
        text = pattern.sub(replacement, text)
    return text


class _Marker:
    def __init__(self, page_lang: str, convert=None):
        self.page_lang = page_lang
        # On simplified Chinese pages: traditional → simplified for each run of Chinese text.
        self.convert = (convert or PLAIN.convert) if page_lang == "zh-Hans" else None
        self.out: list[str] = []
        # Open elements: (name, has a language of its own, index of its start tag in out).
        self.stack: list[tuple[str, bool, int]] = []
        self.marked_depth = 0  # open elements with a language of their own
        self.svg_depth = 0

    def _is_content(self, run: str) -> bool:
        return self.page_lang == "en" or character_simplified(run) != run

    def _simplified(self, text: str) -> str:
        return CLAUSE.sub(lambda match: self.convert(match.group(0)), text)

    def _read_attributes(self, token: str) -> str:
        """A start tag with the attributes people read in simplified Chinese."""
        return READ_ATTRIBUTES.sub(lambda m: m.group(1) + self._simplified(m.group(2)), token)

    def tag(self, token: str) -> None:
        if self.convert and not self.marked_depth and NEEDS_WORK.search(token) and not HAS_LANG.search(token):
            token = self._read_attributes(token)
        self.out.append(token)
        kind = token[1:2]
        if kind in ("!", "?"):
            return
        name_match = TAG_NAME.match(token)
        if not name_match:
            return
        name = name_match.group(1).lower()
        if kind == "/":
            self._close(name)
        elif name not in VOID and token[-2:] != "/>":
            # <html lang> is the page's language, not a part's.
            own = name != "html" and "lang" in token and bool(HAS_LANG.search(token))
            self.stack.append((name, own, len(self.out) - 1))
            self.marked_depth += own
            self.svg_depth += name == "svg"

    def _close(self, name: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == name:
                for closed, own, _start in self.stack[index:]:
                    self.marked_depth -= own
                    self.svg_depth -= closed == "svg"
                del self.stack[index:]
                return

    def text(self, data: str) -> None:
        if self.marked_depth or not NEEDS_WORK.search(data):
            self.out.append(data)
        elif self.convert:  # a simplified page: <option> and SVG text as well (not a <textarea>'s: below)
            self.out.append(self._simplified(data))
        elif (self.stack and self.stack[-1][0] in ATTRIBUTE_ONLY) or self.svg_depth:
            self._attribute(data)
        else:
            self.out.append(self._mark_runs(data))

    def _attribute(self, data: str) -> None:
        if self.stack and any(self._is_content(m.group(0)) for m in RUN.finditer(data)):
            name, _own, start = self.stack[-1]
            self.out[start] = re.sub(r"\s*/?>$", ' lang="zh-Hant">', self.out[start], count=1)
            self.stack[-1] = (name, True, start)
            self.marked_depth += 1
        self.out.append(data)

    def _mark_runs(self, data: str) -> str:
        pieces, cursor = [], 0
        for match in RUN.finditer(data):
            if not self._is_content(match.group(0)):
                continue
            pieces += [self._outside(data[cursor:match.start()]), f'<span lang="zh-Hant">{match.group(0)}</span>']
            cursor = match.end()
        pieces.append(self._outside(data[cursor:]))
        return "".join(pieces)

    def _outside(self, text: str) -> str:
        return english_punctuation(text) if self.page_lang == "en" else text

    def simplified_title(self, token: str) -> str:
        if not self.convert or self.marked_depth:
            return token
        start, _sep, rest = token.partition(">")
        return start + ">" + self._simplified(rest)

    def textarea(self, token: str) -> None:
        """A whole <textarea>…</textarea> (its text is not markup): the attribute, if it holds content."""
        start, _sep, rest = token.partition(">")
        if self.convert and not self.marked_depth and not HAS_LANG.search(start):
            start = self._read_attributes(start)  # its placeholder, not what it holds
        content = rest.rsplit("</", 1)[0]
        if not self.marked_depth and not HAS_LANG.search(start) and any(
                self._is_content(m.group(0)) for m in RUN.finditer(content)):
            token = start + ' lang="zh-Hant">' + rest
        self.out.append(token)


TEXTAREA = re.compile(r"<textarea\b[^>]*>.*?</textarea\s*>", re.S | re.I)
TOKENS = re.compile(TEXTAREA.pattern + "|" + TOKEN.pattern, re.S | re.I)


def mark_content_language(html: str, page_lang: str, convert=None) -> str:
    """The page with its content in the page's language: on an English page ("en") traditional Chinese runs
    marked; on a simplified Chinese page ("zh-Hans") Chinese runs converted by ``convert`` (by default
    OpenCC without the content's phrase corrections)."""
    marker = _Marker(page_lang, convert)
    cursor = 0
    for match in TOKENS.finditer(html):
        if match.start() > cursor:
            marker.text(html[cursor:match.start()])
        token = match.group(0)
        if token[:9].lower() == "<textarea":
            marker.textarea(token)
        elif match.group(1):  # script, style, title, template: as they are (a title in simplified Chinese)
            marker.out.append(marker.simplified_title(token) if match.group(1).lower() == "title" else token)
        else:
            marker.tag(token)
        cursor = match.end()
    if cursor < len(html):
        marker.text(html[cursor:])
    return "".join(marker.out)
