"""Where a standard item comes from: it restates the standards document (the default), it is the centre's
own practice where the document is silent (its text stops inside 9.2), or it adapts the document to the
centre (a note says what changed). A chapter file declares it on an indented line under the item:

    - `9.2.2-b` **知識筆試**：……
      來源：本中心做法
    - `4.2.2-a` **內容正面合法**：……
      來源：改寫：標準文件要求……；本中心改為……
"""

import enum
import re

from flask_babel import gettext

SOURCE_KEY = "來源"
# An indented line "來源：<value>" (full- or half-width colon) inside an item's block.
SOURCE_LINE = re.compile(rf"^\s+{SOURCE_KEY}\s*[：:]\s*(.*?)\s*$")
WORD_AND_NOTE = re.compile(r"([^：:]*)(?:([：:])(.*))?$", re.S)
MAX_NOTE = 300


class ItemSource(enum.StrEnum):
    DOCUMENT = "document"  # restates the standards document
    CENTRE = "centre"  # centre practice where the document is silent
    ADAPTED = "adapted"  # the document, adapted to the centre; source_note says what changed


# The words a trainer writes after 來源： (and the exporter writes back).
SOURCE_WORDS = {"標準文件": ItemSource.DOCUMENT, "本中心做法": ItemSource.CENTRE, "改寫": ItemSource.ADAPTED}
WORD_OF = {source: word for word, source in SOURCE_WORDS.items()}


def parse_source(value: str) -> tuple[ItemSource, str]:
    """Read the value of a 來源 line into (source, note); raise ValueError with a message naming what is wrong."""
    parts = WORD_AND_NOTE.match(value)
    word, sep, note = parts.group(1).strip(), parts.group(2) or "", (parts.group(3) or "").strip()
    source = SOURCE_WORDS.get(word)
    if source is None:
        raise ValueError(gettext("unknown source '%(value)s': write 標準文件, 本中心做法 or 改寫：<what changed>",
                                 value=value[:60]))
    if source is ItemSource.ADAPTED and not note:
        raise ValueError(gettext("改寫 needs a note of what changed: 改寫：<what changed>"))
    if source is not ItemSource.ADAPTED and (sep or note):
        raise ValueError(gettext("only 改寫 takes a note; write '%(word)s' alone", word=word))
    if len(note) > MAX_NOTE:
        raise ValueError(gettext("the note is longer than %(n)d characters", n=MAX_NOTE))
    return source, note


def source_line(source: str, note: str) -> str | None:
    """The 來源 line the exporter writes for an item (None for the default, which is left out)."""
    if source == ItemSource.DOCUMENT:
        return None
    word = WORD_OF[ItemSource(source)]
    return f"{SOURCE_KEY}：{word}：{note}" if source == ItemSource.ADAPTED else f"{SOURCE_KEY}：{word}"
