"""The record of each person's erasure and the retention periods an administrator chose."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import db, utcnow


class Erasure(db.Model):
    """One departed person whose personal data was erased; its id is the number of their pseudonym."""

    __tablename__ = "personal_data_erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)
    # None: the scheduled purge of departed people's data (retention), not an administrator.
    erased_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    counts: Mapped[dict] = mapped_column(default=dict)  # table -> rows deleted or anonymised

    def __repr__(self) -> str:
        return f"<Erasure {self.id} user={self.user_id}>"


class RetentionSetting(db.Model):
    """How many days one kind of record is kept (no row: the default; days None: kept for good)."""

    __tablename__ = "retention_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)  # a key of retention.RETENTION_KINDS
    days: Mapped[int | None]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<RetentionSetting {self.key}={self.days}>"


__all__ = ["Erasure", "RetentionSetting"]
