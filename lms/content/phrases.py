"""courses/zh_Hans.phrases.yaml: the content's own corrections to OpenCC's Taiwan-to-mainland conversion
(traditional phrase: simplified Chinese), loaded and checked with the rest of the content and kept in the
table ``content_phrases``; ``lms.content.simplified`` applies them.

    品質: 质量      # tw2sp gives 品质
    回撥: 回拨      # tw2sp gives 回调, a programming callback

The file is optional. Every problem names the file and line: a phrase that is not Chinese text, a
simplified form that is empty or still holds traditional characters, a phrase given twice.
"""

import re
from pathlib import Path

from flask_babel import gettext
from sqlalchemy import String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from lms.content.files import ContentError, LineDict, load_mapping_file
from lms.db import db
from lms.generations import CONTENT, changed

PHRASES_FILE = "zh_Hans.phrases.yaml"
MAX_PHRASE = 40
MAX_PHRASES = 2000  # each takes a private-use character while the text is converted
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


class ContentPhrase(db.Model):
    __tablename__ = "content_phrases"

    traditional: Mapped[str] = mapped_column(String(MAX_PHRASE), primary_key=True)
    simplified: Mapped[str] = mapped_column(String(2 * MAX_PHRASE))

    def __repr__(self) -> str:
        return f"<ContentPhrase {self.traditional}→{self.simplified}>"


def _still_traditional(text: str) -> bool:
    from lms.content.simplified import character_simplified

    return character_simplified(text) != text


def _phrase_problem(traditional, simplified) -> tuple[str, str] | None:
    """(field, message) of what is wrong with one entry, or None."""
    if not isinstance(traditional, str) or not HAN.search(traditional) or PRIVATE_USE.search(traditional):
        return "phrase", gettext("the phrase must be Chinese text")
    if len(traditional) > MAX_PHRASE:
        return "phrase", gettext("the phrase is longer than %(n)d characters", n=MAX_PHRASE)
    if not isinstance(simplified, str) or not simplified.strip():
        return "simplified", gettext("give the phrase's simplified Chinese after the colon")
    if len(simplified) > 2 * MAX_PHRASE or PRIVATE_USE.search(simplified):
        return "simplified", gettext("the simplified form must be at most %(n)d characters of text", n=2 * MAX_PHRASE)
    if _still_traditional(simplified):
        return "simplified", gettext("%(text)s still has traditional characters", text=simplified)
    return None


def read_phrases(data, rel: str) -> tuple[dict[str, str], list[ContentError]]:
    """The phrases of a parsed file, checked; every problem names the line."""
    if data is None:
        return {}, []
    if not isinstance(data, LineDict):
        return {}, [ContentError(rel, 1, None, gettext("the file must map traditional phrases to simplified Chinese"))]
    phrases, errors = {}, []
    for traditional, simplified in data.items():
        problem = _phrase_problem(traditional, simplified)
        if problem:
            errors.append(ContentError(rel, data.line_of(traditional), problem[0], problem[1]))
        else:
            phrases[traditional.strip()] = simplified.strip()
    if len(phrases) > MAX_PHRASES:
        errors.append(ContentError(rel, data.line, None, gettext("more than %(n)d phrases", n=MAX_PHRASES)))
    return phrases, errors


def load_phrases(courses_dir: Path) -> tuple[dict[str, str], list[ContentError]]:
    """courses/zh_Hans.phrases.yaml checked (no file: no phrases)."""
    path = courses_dir / PHRASES_FILE
    if not path.is_file():
        return {}, []
    data, rel, errors = load_mapping_file(path, courses_dir, gettext(
        "the file must map traditional phrases to simplified Chinese"))
    if errors:
        return {}, errors
    return read_phrases(data, rel)


def content_phrases() -> dict[str, str]:
    return dict(db.session.execute(select(ContentPhrase.traditional, ContentPhrase.simplified)).all())


def sync_phrases(phrases: dict[str, str]) -> str:
    """Make the table hold exactly these phrases; a change starts a new content generation, so every
    worker's conversions made with the old phrases are forgotten. Returns the counts, as the other
    steps of an import do."""
    existing = content_phrases()
    new = len(phrases.keys() - existing.keys())
    altered = sum(1 for t in phrases.keys() & existing.keys() if phrases[t] != existing[t])
    removed = len(existing.keys() - phrases.keys())
    if new or altered or removed:
        db.session.execute(delete(ContentPhrase))
        db.session.add_all(ContentPhrase(traditional=t, simplified=s) for t, s in phrases.items())
        db.session.flush()
        changed(CONTENT)
    counts = f"{new} new, {altered} changed, {len(phrases) - new - altered} unchanged"
    return counts + (f", {removed} removed" if removed else "")


def export_phrases(target: Path) -> int:
    """Write the phrases back to courses/zh_Hans.phrases.yaml (none: no file)."""
    phrases = content_phrases()
    if not phrases:
        return 0
    folder = target / "courses"
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["# Corrections to OpenCC's Taiwan-to-mainland conversion: traditional phrase: simplified Chinese."]
    lines += [f"{traditional}: {simplified}" for traditional, simplified in sorted(phrases.items())]
    (folder / PHRASES_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(phrases)
