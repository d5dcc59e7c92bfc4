"""Service cases shared by staff: what happened, what was done, how it ended and what others can learn, with
the standard items it illustrates; reviewed by a trainer before it joins the case library."""

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.courses.models import Tier
from lms.db import TimestampMixin, db, str_enum
from lms.standards.models import StandardItem


class CaseStatus(enum.StrEnum):
    DRAFT = "draft"  # the author's, not sent yet
    SUBMITTED = "submitted"  # waiting for a trainer
    RETURNED = "returned"  # back with the author, with the trainer's comment
    PUBLISHED = "published"  # in the case library
    REJECTED = "rejected"  # not for the library; kept for the author


EDITABLE_BY_AUTHOR = (CaseStatus.DRAFT, CaseStatus.RETURNED)
# The texts of a case, in the order a page shows them; each is checked for personal data.
TEXT_FIELDS = ("title", "situation", "actions", "outcome", "lessons")

case_items = Table(
    "case_items", db.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("standard_items.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Case(TimestampMixin, db.Model):
    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_status_published", "status", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str | None] = mapped_column(String(100), unique=True)  # the content file's, for shipped cases
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus), default=CaseStatus.DRAFT)
    title: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))  # a call channel's name (lms.calls.channels)
    tier: Mapped[Tier] = mapped_column(str_enum(Tier))  # the training tier it serves best
    situation: Mapped[str] = mapped_column(Text, default="")
    actions: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    lessons: Mapped[str] = mapped_column(Text, default="")
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None]
    reviewed_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    content_hash: Mapped[str] = mapped_column(String(64), default="")  # shipped cases: the file's
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenarios.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    items: Mapped[list[StandardItem]] = relationship(secondary=case_items, order_by=StandardItem.code)

    def __repr__(self) -> str:
        return f"<Case {self.id} {self.status}>"


__all__ = ["Case", "CaseStatus", "case_items"]
