"""Simplified Chinese for readers who choose it (zh_Hans): the content, written in traditional Chinese as
used in Taiwan, read through OpenCC's Taiwan-to-mainland phrase conversion (``tw2sp``: 簡訊 → 短信,
軟體 → 软件) with the content's own corrections (courses/zh_Hans.phrases.yaml, ``lms.content.phrases``:
品質 → 质量). Simplified text passes through unchanged, so interface text already in simplified Chinese
may go through it too.

One converter per set of phrases, looked up once per content generation (``lms.generations.cached``): it
remembers the last runs of text it converted, so a page seen before costs dictionary look-ups; an import
that changes the phrases starts a new generation, and the next page gets a new converter that remembers
nothing.

The other direction serves what a reader types (a search, a short answer, a call reply): OpenCC's
mainland-to-Taiwan conversion (``s2twp``: 软件 → 軟體) gives the content's own words back; for a search the
phrase corrections are read backwards as well (质量 → 品質).
"""

import re
from collections.abc import Mapping
from functools import cache

from flask import has_app_context
from flask_babel import get_locale
from opencc import OpenCC

from lms.content.phrases import HAN, PRIVATE_USE, content_phrases
from lms.generations import CONTENT, cached

# Text is converted clause by clause (between spaces and punctuation), so that interface text next to content
# ("文件：" before a file's name) is never read together with it.
BREAKS = r"\s，。、；：！？（）「」『』《》〈〉【】,.;:!?()\"'·—…/|<>"
CLAUSE = re.compile(rf"[{HAN.pattern[1:-1]}][^{BREAKS}]*")  # from a Chinese character (nothing before one changes)
RUNS_REMEMBERED = 20000  # runs of text (a title, a paragraph): some MB at most
LONGEST_REMEMBERED = 4000  # characters; a longer run is converted each time


@cache
def _opencc(config: str) -> OpenCC:
    return OpenCC(config)


def character_simplified(text: str) -> str:
    """Character by character traditional → simplified (t2s), the form search keys and grading compare."""
    return _opencc("t2s").convert(text)


# Where OpenCC's traditional form is not the one Taiwan (and this content) writes: 账户 → 賬戶, but 帳戶.
TAIWAN_FORMS = str.maketrans({"賬": "帳"})


def taiwan_vocabulary(text: str) -> str:
    """Mainland words and script → Taiwan's (s2twp: 软件 → 軟體, 信息 → 資訊, 账户 → 帳戶); traditional
    text stays."""
    return _opencc("s2twp").convert(text).translate(TAIWAN_FORMS)


class SimplifiedConverter:
    """Traditional (Taiwan) → simplified (mainland): tw2sp with phrase corrections applied first, longest
    first. Each corrected phrase is swapped for a private-use character OpenCC leaves alone, then for its
    simplified form."""

    def __init__(self, phrases: Mapping[str, str]):
        self.phrases = dict(phrases)
        ordered = sorted(self.phrases, key=lambda phrase: (-len(phrase), phrase))
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None
        self._slot = {phrase: chr(0xE000 + index) for index, phrase in enumerate(ordered)}
        self._back = {0xE000 + index: self.phrases[phrase] for index, phrase in enumerate(ordered)}
        back = sorted({s: t for t, s in sorted(self.phrases.items(), key=lambda p: len(p[0])) if s != t}.items(),
                      key=lambda pair: -len(pair[0]))
        self._reverse = back
        self._runs: dict[str, str] = {}  # in the order last used (a plain dict: the fastest to reorder)

    def convert(self, text: str) -> str:
        """The text in simplified Chinese (remembered, for runs up to ``LONGEST_REMEMBERED`` characters).
        Text without a traditional character is left as it is: tw2sp would also turn Taiwan words written
        in characters both scripts share into mainland ones (文件 → 文档, 停用 → 禁用), which would
        change interface text already in simplified Chinese."""
        runs = self._runs
        hit = runs.pop(text, None)  # taken out and put back last: no lock, and no error if another
        if hit is not None:  # thread forgot it meanwhile
            runs[text] = hit
            return hit
        converted = self._convert(text) if HAN.search(text) else text
        if len(text) <= LONGEST_REMEMBERED:
            runs[text] = converted
            while len(runs) > RUNS_REMEMBERED:
                try:
                    runs.pop(next(iter(runs), None), None)  # the least recently used
                except RuntimeError:  # another thread changed it meanwhile: trimmed next time
                    break
        return converted

    def convert_text(self, text: str) -> str:
        """Any text (a file's cell, a mix of interface and content) converted clause by clause."""
        return CLAUSE.sub(lambda match: self.convert(match.group(0)), text)

    def _convert(self, text: str) -> str:
        if character_simplified(text) == text:
            return text
        tw2sp = _opencc("tw2sp").convert
        if self._pattern is None:
            return tw2sp(text)
        if not PRIVATE_USE.search(text):
            return tw2sp(self._pattern.sub(lambda m: self._slot[m.group(0)], text)).translate(self._back)
        # Text with private-use characters of its own: convert the pieces between the phrases instead.
        pieces, cursor = [], 0
        for match in self._pattern.finditer(text):
            pieces += [tw2sp(text[cursor:match.start()]), self.phrases[match.group(0)]]
            cursor = match.end()
        return "".join(pieces) + tw2sp(text[cursor:])

    def remembered(self) -> int:
        return len(self._runs)

    def content_words(self, typed: str) -> str:
        """What a reader typed in simplified Chinese, in the content's own words: the corrections read
        backwards (质量 → 品質), then mainland words to Taiwan's (软件 → 軟體)."""
        for simplified, traditional in self._reverse:
            typed = typed.replace(simplified, traditional)
        return taiwan_vocabulary(typed)


PLAIN = SimplifiedConverter({})  # OpenCC alone: where no content is at hand


_BY_PHRASES: dict[tuple, SimplifiedConverter] = {}


def _converter_for(phrases: dict[str, str]) -> SimplifiedConverter:
    """The converter of these phrases: the same one (with the runs it remembers) while they stay the same,
    even across content generations (a revised standard changes no conversion)."""
    key = tuple(sorted(phrases.items()))
    converter = _BY_PHRASES.get(key)
    if converter is None:
        _BY_PHRASES.clear()  # other phrases: what the old converter remembers is wrong now
        converter = _BY_PHRASES[key] = SimplifiedConverter(phrases)
    return converter


def content_converter() -> SimplifiedConverter:
    """The converter with the content's phrase corrections (needs the app's database): the phrases are read
    once per content generation (``lms.generations.cached``); a database without a generation yet reads
    them on every call."""
    return cached(CONTENT, ("simplified converter",), lambda: _converter_for(content_phrases()))


def in_content_words(typed: str) -> str:
    """What a reader typed, in the content's own words (``SimplifiedConverter.content_words``): with the
    content's phrase corrections read backwards when the app is at hand (账户 → 帳戶, 质量 → 品質), else
    OpenCC's alone. Grading compares both this and the text as typed."""
    if not HAN.search(typed or ""):
        return typed or ""
    return (content_converter() if has_app_context() else PLAIN).content_words(typed)


def text_in_readers_script():
    """For what is written for the current reader outside a page (a CSV report): a function giving text
    in their script, or None when no conversion is needed (a reader of traditional Chinese or English)."""
    if str(get_locale()) != "zh_Hans":
        return None
    return content_converter().convert_text
