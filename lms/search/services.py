"""Index and search documents in Chinese (one or more characters, either script) and English.

Queries of three or more characters use the full-text index (SQLite FTS5 trigram, PostgreSQL
pg_trgm); shorter ones use LIKE on the normalised column. Either way the database does the work.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import delete, select, text, tuple_

from lms.content.simplified import in_content_words
from lms.db import db
from lms.search.glossary import expand_query
from lms.search.models import SearchDocument
from lms.search.normalise import highlight_spans, search_key

SNIPPET_CHARS = 90


@dataclass(frozen=True)
class IndexEntry:
    kind: str
    key: str
    title: str
    body: str


def index_documents(entries: list[IndexEntry]) -> None:
    """Insert or update search documents (matched on kind and key)."""
    if not entries:
        return
    existing = {(d.kind, d.key): d for d in db.session.scalars(
        select(SearchDocument).where(tuple_(SearchDocument.kind, SearchDocument.key).in_(
            [(e.kind, e.key) for e in entries])))}
    for entry in entries:
        norm = search_key(entry.title + "\n" + entry.body)
        doc = existing.get((entry.kind, entry.key))
        if doc is None:
            db.session.add(SearchDocument(kind=entry.kind, key=entry.key, title=entry.title, body=entry.body, norm=norm))
        elif doc.norm != norm or doc.title != entry.title:
            doc.title, doc.body, doc.norm = entry.title, entry.body, norm


def remove_documents(kind: str, keys: list[str]) -> None:
    if keys:
        db.session.execute(delete(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.key.in_(keys)))


@dataclass
class Hit:
    kind: str
    key: str
    title: str
    title_parts: list[tuple[str, bool]]  # (text, is_match) pieces for the template to mark up
    body: str = field(repr=False, default="")
    query_key: str = field(repr=False, default="")
    norm: str = field(repr=False, default="")

    @property
    def in_title(self) -> bool:
        return any(hit for _text, hit in self.title_parts)

    @cached_property
    def snippet_parts(self) -> list[tuple[str, bool]]:
        """The passage around the first match (computed only for the hits a page shows)."""
        # The stored key is title + body, normalised: its body part locates the match cheaply.
        found = self.norm.find(self.query_key, len(search_key(self.title)) + 1)
        offset = found - len(search_key(self.title)) - 1 if found >= 0 else -1
        return _snippet(self.body, self.query_key, offset)


def natural_key(key: str) -> list:
    """'4.1.10-a' after '4.1.9-b': numbers compare as numbers."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", key) if part]


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _matching_ids(query_key: str, kinds: tuple[str, ...], limit: int) -> list[int]:
    dialect = db.session.get_bind().dialect.name
    kind_filter = SearchDocument.kind.in_(kinds)
    if len(query_key) >= 3 and dialect == "sqlite":
        phrase = '"' + query_key.replace('"', '""') + '"'
        rows = db.session.execute(text(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH :q ORDER BY rank LIMIT :limit"),
            {"q": phrase, "limit": limit * 4}).scalars().all()
        if not rows:
            return []
        keep = set(db.session.scalars(select(SearchDocument.id).where(SearchDocument.id.in_(rows), kind_filter)))
        return [r for r in rows if r in keep][:limit]
    # PostgreSQL serves LIKE from the pg_trgm GIN index for three characters or more; shorter
    # queries (and SQLite's one- and two-character ones) scan the small normalised column.
    stmt = (select(SearchDocument.id).where(kind_filter,
                                            SearchDocument.norm.like(f"%{_escape_like(query_key)}%", escape="\\"))
            .order_by(SearchDocument.kind, SearchDocument.key).limit(limit))
    return list(db.session.scalars(stmt))


def _split(text_value: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    parts, cursor = [], 0
    for start, end in spans:
        if start > cursor:
            parts.append((text_value[cursor:start], False))
        parts.append((text_value[start:end], True))
        cursor = end
    if cursor < len(text_value):
        parts.append((text_value[cursor:], False))
    return parts


def _snippet(body: str, query_key: str, found: int) -> list[tuple[str, bool]]:
    if found < 0:
        return [(body[:SNIPPET_CHARS] + ("…" if len(body) > SNIPPET_CHARS else ""), False)]
    # Normalisation keeps lengths almost everywhere, so the offset is close; widen and re-find exactly.
    start = max(0, found - SNIPPET_CHARS // 2)
    window = body[start:start + SNIPPET_CHARS + len(query_key) * 2]
    parts = _split(window, highlight_spans(window, query_key))
    if start > 0:
        parts.insert(0, ("…", False))
    if start + len(window) < len(body):
        parts.append(("…", False))
    return parts


def _matching_any(keys: list[str], kinds: tuple[str, ...], limit: int) -> list[int]:
    """Ids matching any of the keys (the query, then its glossary terms), without repeats."""
    ids: list[int] = []
    for key in keys:
        ids += [i for i in _matching_ids(key, kinds, limit) if i not in ids]
    return ids[:limit]


def search(query: str, kinds: tuple[str, ...], limit: int = 30) -> list[Hit]:
    """Documents of the given kinds matching the query (or a Chinese term the glossary gives for its
    English words and acronyms), with the matches marked."""
    query_key = search_key(query)[:100]
    if not query_key:
        return []
    keys = expand_query(query_key)
    # Typed in simplified Chinese, perhaps with words of the simplified pages (软件, 质量): the content's own
    # words too (軟體, 品質), which the character-level key alone would not reach.
    content_words = search_key(in_content_words(query))[:100]
    if content_words not in keys:
        keys.append(content_words)
    ids = _matching_any(keys, kinds, limit)
    docs = {d.id: d for d in db.session.scalars(select(SearchDocument).where(SearchDocument.id.in_(ids)))}
    hits = []
    for doc_id in ids:
        doc = docs.get(doc_id)
        if doc is None:
            continue
        key = next((k for k in keys if k in doc.norm), query_key)  # what this document matched
        hits.append(Hit(doc.kind, doc.key, doc.title, _split(doc.title, highlight_spans(doc.title, key)),
                        doc.body, key, doc.norm))
    # Matches in the title first, then in the order of the document (chapter, section, item).
    hits.sort(key=lambda h: (not h.in_title, natural_key(h.key)))
    return hits
