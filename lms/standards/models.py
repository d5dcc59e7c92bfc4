"""The standards reference: numbered sections and the checkable items everything else cites."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, str_enum, utcnow
from lms.standards.sources import ItemSource


class StandardSection(db.Model):
    __tablename__ = "standard_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # "4", "4.1", "4.1.1"
    chapter: Mapped[int] = mapped_column(index=True)
    level: Mapped[int]  # 1 chapter, 2 section, 3 subsection
    position: Mapped[int]  # document order
    title: Mapped[str] = mapped_column(String(200))
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))

    items: Mapped[list["StandardItem"]] = relationship(back_populates="section", order_by="StandardItem.position")

    def __repr__(self) -> str:
        return f"<StandardSection {self.number} {self.title}>"

    @property
    def anchor(self) -> str:
        return f"sec-{self.number}"


class StandardItem(db.Model):
    __tablename__ = "standard_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)  # "4.1.1-a"
    section_id: Mapped[int] = mapped_column(ForeignKey("standard_sections.id"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    description_md: Mapped[str] = mapped_column(Text)
    description_html: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(default=1)
    revised_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_retired: Mapped[bool] = mapped_column(default=False)
    # Restates the standards document, centre practice where it is silent, or adapted (the note says how).
    source: Mapped[ItemSource] = mapped_column(str_enum(ItemSource), default=ItemSource.DOCUMENT)
    source_note: Mapped[str] = mapped_column(String(300), default="")

    section: Mapped[StandardSection] = relationship(back_populates="items")

    def __repr__(self) -> str:
        return f"<StandardItem {self.code}>"

    @property
    def anchor(self) -> str:
        return f"item-{self.code}"

    @property
    def chapter(self) -> int:
        return int(self.code.split(".", 1)[0])


class StandardItemRevision(db.Model):
    """Each earlier wording of an item, kept when the item's text changes."""

    __tablename__ = "standard_item_revisions"
    __table_args__ = (UniqueConstraint("item_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("standard_items.id", ondelete="CASCADE"))
    revision: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    description_md: Mapped[str] = mapped_column(Text)
    source: Mapped[ItemSource] = mapped_column(str_enum(ItemSource), default=ItemSource.DOCUMENT)
    source_note: Mapped[str] = mapped_column(String(300), default="")
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<StandardItemRevision {self.item_id} r{self.revision}>"


class StandardCitation(db.Model):
    """Something that cites a standard item: a lesson teaches it, a question tests it, a scenario
    criterion assesses it. Each domain keeps its own rows current; the coverage matrix reads them all."""

    __tablename__ = "standard_citations"
    __table_args__ = (
        UniqueConstraint("item_id", "kind", "ref_id"),
        Index("ix_standard_citations_kind_ref", "kind", "ref_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("standard_items.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # lesson | question | criterion
    ref_id: Mapped[int]  # the stable lesson / question / criterion id
    label: Mapped[str] = mapped_column(String(300))  # what the matrix shows, e.g. "PRO-201 · 三聲之內"
    link: Mapped[str] = mapped_column(String(300), default="")  # path of the citing page

    def __repr__(self) -> str:
        return f"<StandardCitation {self.kind}:{self.ref_id} → {self.item_id}>"


__all__ = ["StandardCitation", "StandardItem", "StandardItemRevision", "StandardSection"]
