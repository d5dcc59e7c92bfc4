"""One row per searchable thing (standard section or item, course, lesson), with its normalised text.

SQLite indexes ``norm`` in an FTS5 trigram table (``search_fts``, kept in step by triggers); PostgreSQL
indexes it with a pg_trgm GIN index. Both are created by the migration, not the models.
"""

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import db


class SearchDocument(db.Model):
    __tablename__ = "search_documents"
    __table_args__ = (UniqueConstraint("kind", "key"), Index("ix_search_documents_kind", "kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # section | item | course | lesson
    key: Mapped[str] = mapped_column(String(120))  # "4.1.1", "4.1.1-a", "PRO-201", "PRO-201/01-greeting"
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    norm: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<SearchDocument {self.kind}:{self.key}>"


# Objects the migrations create by hand; autogenerate and the schema test leave them alone.
UNMANAGED_TABLE_PREFIXES = ("search_fts",)
UNMANAGED_INDEXES = {"ix_search_documents_norm_trgm"}



def include_in_autogenerate(obj, name, type_, reflected, compare_to) -> bool:
    """Leave out the objects migrations create by hand (full-text tables, trigram indexes)."""
    if type_ == "table" and name and name.startswith(UNMANAGED_TABLE_PREFIXES):
        return False
    return not (type_ == "index" and name in UNMANAGED_INDEXES)


__all__ = ["SearchDocument"]
