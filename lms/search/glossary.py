"""English terms and acronyms for the Chinese words the content uses, so that a search for FCR, ＦＣＲ or
complaint finds 首次解決率 and 投訴. The list is lms/search/glossary.yaml (Chinese term: [English terms]);
both sides are normalised like any search (NFKC, case, script), so full-width ＦＣＲ is FCR.
"""

import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import yaml

from lms.search.normalise import search_key

GLOSSARY_FILE = Path(__file__).with_name("glossary.yaml")


def read_glossary(text: str) -> dict[str, list[str]]:
    """Chinese term → its English terms, checked: every entry is a term with a list of words."""
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise ValueError("the glossary must map Chinese terms to lists of English terms")
    for chinese, english in data.items():
        if not isinstance(chinese, str) or not isinstance(english, list) or not english \
                or not all(isinstance(term, str) and term.strip() for term in english):
            raise ValueError(f"glossary entry {chinese!r}: give a list of English terms")
    return data


@lru_cache(maxsize=1)
def _english_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = defaultdict(list)
    for chinese, english in read_glossary(GLOSSARY_FILE.read_text(encoding="utf-8")).items():
        for term in english:
            index[search_key(term)].append(search_key(chinese))
    return {term: tuple(chinese) for term, chinese in index.items()}


def expand_query(query_key: str) -> list[str]:
    """The (normalised) query first, then the Chinese terms its English words name: the whole query,
    or a term standing as words inside it ("fcr target", "complaints")."""
    keys = [query_key]
    for term, chinese in _english_index().items():
        if term == query_key or re.search(rf"(?<![\w]){re.escape(term)}s?(?![\w])", query_key):
            keys += [key for key in chinese if key not in keys]
    return keys
