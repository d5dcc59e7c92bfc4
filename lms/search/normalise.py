"""Search keys: the same text in traditional or simplified script, full or half width, any case,
gives the same key. OpenCC's character-level t2s conversion is used on both the index and the query.
"""

import unicodedata
from functools import lru_cache

from opencc import OpenCC


@lru_cache(maxsize=1)
def _t2s():
    return OpenCC("t2s")


def search_key(text: str) -> str:
    """Normalise text for searching: NFKC, traditional → simplified, case-folded, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _t2s().convert(text).casefold()
    return " ".join(text.split())


def highlight_spans(text: str, query_key: str, limit: int = 3) -> list[tuple[int, int]]:
    """Where the normalised query occurs in ``text``, as (start, end) offsets into ``text`` itself."""
    if not query_key:
        return []
    haystack = _t2s().convert(unicodedata.normalize("NFKC", text)).casefold()
    if len(haystack) == len(text):
        owner = range(len(text))  # the usual case: normalising kept every character in place
    else:
        # Something expanded or merged (㈱ → (株), ß → ss): go character by character instead.
        flat, owner = [], []
        for index, ch in enumerate(text):
            for key_ch in search_key(ch) or " ":
                flat.append(key_ch)
                owner.append(index)
        haystack = "".join(flat)
    spans, start = [], 0
    while len(spans) < limit:
        found = haystack.find(query_key, start)
        if found < 0:
            break
        end = found + len(query_key) - 1
        spans.append((owner[found], owner[end] + 1))
        start = found + len(query_key)
    return spans
