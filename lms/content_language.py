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
cut into tags and text with regular expressions (the app's own, well-formed HTML). On simplified pages
only the parts with Chinese in them reach Python code, and the converter remembers the runs it has
converted: the coverage matrix (280 kB) takes about 6-10 ms, a lesson or an exam page well under 1 ms
(``python -m bench.simplified_content``).
"""

import re

from flask_babel import get_locale

from lms.content.simplified import CLAUSE, PLAIN, character_simplified, content_converter

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CLOSING = "。，、；：！？）」』》〉】"
RUN = re.compile(rf"[{HAN}](?:[^<>]*[{HAN}])?[{CLOSING}]*")  # from the first Chinese character to the last
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
    def __init__(self, page_lang: str):
        self.page_lang = page_lang
        self.out: list[str] = []
        # Open elements: (name, has a language of its own, index of its start tag in out).
        self.stack: list[tuple[str, bool, int]] = []
        self.marked_depth = 0  # open elements with a language of their own
        self.svg_depth = 0

    def _is_content(self, run: str) -> bool:
        return self.page_lang == "en" or character_simplified(run) != run

    def tag(self, token: str) -> None:
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

    def textarea(self, token: str) -> None:
        """A whole <textarea>…</textarea> (its text is not markup): the attribute, if it holds content."""
        start, _sep, rest = token.partition(">")
        content = rest.rsplit("</", 1)[0]
        if not self.marked_depth and not HAS_LANG.search(start) and any(
                self._is_content(m.group(0)) for m in RUN.finditer(content)):
            token = start + ' lang="zh-Hant">' + rest
        self.out.append(token)


TEXTAREA = re.compile(r"<textarea\b[^>]*>.*?</textarea\s*>", re.S | re.I)
TOKENS = re.compile(TEXTAREA.pattern + "|" + TOKEN.pattern, re.S | re.I)


def mark_content_language(html: str, page_lang: str, convert=None) -> str:
    """The page with its content in the page's language: on an English page ("en") traditional Chinese runs
    marked; on a simplified Chinese page ("zh-Hans") Chinese text converted by ``convert`` (by default
    OpenCC without the content's phrase corrections)."""
    if page_lang == "zh-Hans":
        return simplified_page(html, convert or PLAIN.convert)
    marker = _Marker(page_lang)
    cursor = 0
    for match in TOKENS.finditer(html):
        if match.start() > cursor:
            marker.text(html[cursor:match.start()])
        token = match.group(0)
        if token[:9].lower() == "<textarea":
            marker.textarea(token)
        elif match.group(1):  # script, style, title, template: as they are
            marker.out.append(token)
        else:
            marker.tag(token)
        cursor = match.end()
    if cursor < len(html):
        marker.text(html[cursor:])
    return "".join(marker.out)


# What a simplified Chinese page handles as a whole: comments and code (left as they are), a <textarea> (its
# placeholder converted, what it holds kept), the title (converted) and elements with a language of their own
# (left as they are, with what they hold). Found first; the text between them is converted.
WHOLE_ELEMENTS = re.compile(
    r"<!--.*?-->|<(script|style|template|textarea|title)\b([^>]*)>(.*?)</\1\s*>"
    r"|<(?!html\b)([a-zA-Z][\w:-]*)\b[^>]*\slang\s*=[^>]*>", re.S | re.I)
# Between them, the parts a simplified Chinese page changes, found by the regular expression engine so that
# the many tags without Chinese in them cost nothing: a tag with Chinese in its attributes, a clause of
# Chinese text. (One group: re.split gives them at the odd places of its list.)
CHANGED_PARTS = re.compile(rf"(<[^>{HAN}]*+[{HAN}][^>]*>|{CLAUSE.pattern})")


def _element_end(html: str, name: str, start: int) -> int:
    """Where the element whose start tag ends at ``start`` ends (after its end tag), counting nested
    elements of the same name; ``start`` itself for a void element or one never closed."""
    if name.lower() in VOID or html[start - 2:start] == "/>":
        return start
    depth = 1
    for tag in re.compile(rf"<(/?){re.escape(name)}\b[^>]*>", re.I).finditer(html, start):
        depth += -1 if tag.group(1) else (tag.group(0)[-2:] != "/>")
        if depth == 0:
            return tag.end()
    return start


def simplified_page(html: str, convert) -> str:
    """A simplified Chinese page: its Chinese text converted by ``convert`` clause by clause, and the
    attributes people read; what a <textarea> holds, attribute values posted back, code and elements
    with a language of their own are left as they are."""
    pieces, cursor = [], 0
    for whole in WHOLE_ELEMENTS.finditer(html):
        if whole.start() < cursor:
            continue  # inside an element with a language of its own, passed already
        pieces.append(_converted(html[cursor:whole.start()], convert))
        cursor = whole.end()
        if whole.group(4):
            cursor = _element_end(html, whole.group(4), cursor)
            pieces.append(html[whole.start():cursor])
        else:
            pieces.append(_whole_element(whole, convert))
    pieces.append(_converted(html[cursor:], convert))
    return "".join(pieces)


def _converted(html: str, convert) -> str:
    parts = CHANGED_PARTS.split(html)
    parts[1::2] = [_read_attributes(p, convert) if p[0] == "<" else convert(p) for p in parts[1::2]]
    return "".join(parts)


def _read_attributes(tag: str, convert) -> str:
    return READ_ATTRIBUTES.sub(lambda m: m.group(1) + CLAUSE.sub(lambda c: convert(c.group(0)), m.group(2)), tag)


def _whole_element(match: re.Match, convert) -> str:
    name, attributes, inner = match.group(1), match.group(2), match.group(3)
    if name is None or name.lower() not in ("textarea", "title") or HAS_LANG.search(attributes):
        return match.group(0)  # a comment, code, or an element with a language of its own
    if name.lower() == "title":
        return f"<{name}{attributes}>{CLAUSE.sub(lambda c: convert(c.group(0)), inner)}</{name}>"
    # A textarea holds what the person typed (or the content being edited): kept, and marked when traditional.
    attributes = _read_attributes(attributes, convert)
    if any(character_simplified(run.group(0)) != run.group(0) for run in RUN.finditer(inner)):
        attributes += ' lang="zh-Hant"'
    return f"<{name}{attributes}>{inner}</{name}>"


def html_in_readers_script():
    """For HTML written for the current reader outside a response (a transcript or report PDF, rendered in
    their language): a function giving it in their script, like their pages (identity unless simplified
    Chinese). Call it before the PDF's fonts are chosen from the characters."""
    if str(get_locale()) != "zh_Hans":
        return lambda html: html
    convert = content_converter().convert
    return lambda html: simplified_page(html, convert)
