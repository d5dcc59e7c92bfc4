"""A file of the media library: its bytes live in the storage under their SHA-256 (``digest``); the row
holds what a person reads about it (title, alt text or transcript) and who uploaded it."""

import enum
import re
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import db, str_enum, utcnow


class MediaKind(enum.StrEnum):
    IMAGE = "image"
    AUDIO = "audio"


class MediaFile(db.Model):
    __tablename__ = "media_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the bytes, hex
    name: Mapped[str] = mapped_column(String(120), unique=True)  # what a reference may use: media:<name>
    kind: Mapped[MediaKind] = mapped_column(str_enum(MediaKind, 10))
    mime: Mapped[str] = mapped_column(String(40))
    extension: Mapped[str] = mapped_column(String(8))
    size: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    alt_text: Mapped[str] = mapped_column(String(500), default="")  # images: what the picture shows
    transcript: Mapped[str] = mapped_column(Text, default="")  # audio: every word said
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def filename(self) -> str:
        """The stored file's name: its digest and extension (content-addressed, so its URL never changes)."""
        return f"{self.digest}.{self.extension}"

    @property
    def reference(self) -> str:
        """What a trainer pastes into Markdown."""
        words = self.alt_text if self.kind == MediaKind.IMAGE else self.title
        return "![" + re.sub(r"([\\\[\]])", r"\\\1", " ".join(words.split())) + f"](media:{self.name})"

    def __repr__(self) -> str:
        return f"<MediaFile {self.name} {self.digest[:12]}>"
