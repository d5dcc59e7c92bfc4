"""API tokens: personal ones act as their owner, service ones for a system an administrator named."""

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.db import db, str_enum, utcnow


class TokenKind(enum.StrEnum):
    PERSONAL = "personal"  # acts as its owner, with at most the owner's rights
    SERVICE = "service"  # for a system (HR, QA); acts under the administrator who created it


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[TokenKind] = mapped_column(str_enum(TokenKind, 10))
    name: Mapped[str] = mapped_column(String(100))
    # The first characters of the secret, shown in lists so a holder recognises a token (lms_pat_ab12cd…).
    prefix: Mapped[str] = mapped_column(String(20))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the whole secret
    scopes: Mapped[list] = mapped_column(default=list)  # ["users:read", "kpi:write", …]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_on: Mapped[date]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.kind} {self.prefix}>"
