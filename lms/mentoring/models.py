"""Mentoring and shadowing for new hires (standards 2.2, induction training): the mentor a manager chose for a
person on an onboarding path, the shadowing log, the check-ins at the path's days and the mentor's sign-off of
the path's standard items. Mentoring is a relation between two people, not a role."""

import enum
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.courses.models import OnboardingPath
from lms.db import Base, db, str_enum, utcnow
from lms.standards.models import StandardItem

__all__ = ["CheckIn", "EntryKind", "MentorChange", "MentoringPlan", "Mentorship", "ProgressRating", "ShadowingEntry",
           "MentorSignOff", "shadowing_entry_items"]


class EntryKind(enum.StrEnum):
    LISTENED = "listened"  # the new hire listened to the mentor's call
    TOOK_CALL = "took_call"  # the new hire took a call with the mentor listening
    PRACTICE = "practice"  # other practice (role play, a written reply reviewed together)


class ProgressRating(enum.StrEnum):
    CONCERN = "concern"
    BEHIND = "behind"
    ON_TRACK = "on_track"
    AHEAD = "ahead"


class MentoringPlan(db.Model):
    """An onboarding path's mentoring section (courses/paths/*.yaml ``mentoring:``)."""

    __tablename__ = "mentoring_plans"

    path_id: Mapped[int] = mapped_column(ForeignKey("onboarding_paths.id", ondelete="CASCADE"), primary_key=True)
    check_in_days: Mapped[list] = mapped_column(default=list)  # [7, 30, 60, 90]
    item_codes: Mapped[list] = mapped_column(default=list)  # the standard items the mentor signs off
    content_hash: Mapped[str] = mapped_column(String(64), default="")

    path: Mapped[OnboardingPath] = relationship()

    def __repr__(self) -> str:
        return f"<MentoringPlan path={self.path_id}>"


class Mentorship(db.Model):
    """One new hire on one path with a mentoring plan; ``mentor_id`` is empty until their manager chooses."""

    __tablename__ = "mentorships"
    __table_args__ = (UniqueConstraint("mentee_id", "path_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    path_id: Mapped[int] = mapped_column(ForeignKey("onboarding_paths.id", ondelete="CASCADE"))
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    started_on: Mapped[date]  # the hire date: check-ins are due this many days after it
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]  # every item signed off

    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])
    mentor: Mapped[User | None] = relationship(foreign_keys=[mentor_id])
    path: Mapped[OnboardingPath] = relationship()
    check_ins: Mapped[list["CheckIn"]] = relationship(order_by="CheckIn.day", cascade="all, delete-orphan")
    sign_offs: Mapped[list["MentorSignOff"]] = relationship(order_by="MentorSignOff.id", cascade="all, delete-orphan")

    opened_now = False  # not a column: set by relations.open_mentorship when it created this one

    def __repr__(self) -> str:
        return f"<Mentorship {self.id} mentee={self.mentee_id} mentor={self.mentor_id}>"


class MentorChange(db.Model):
    """Every choice of mentor, kept: who chose whom, replacing whom, when."""

    __tablename__ = "mentor_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    previous_mentor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    mentor: Mapped[User | None] = relationship(foreign_keys=[mentor_id])
    previous_mentor: Mapped[User | None] = relationship(foreign_keys=[previous_mentor_id])
    changed_by: Mapped[User | None] = relationship(foreign_keys=[changed_by_id])


shadowing_entry_items = Table(
    "shadowing_entry_items",
    Base.metadata,
    Column("entry_id", ForeignKey("shadowing_entries.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("standard_items.id", ondelete="CASCADE"), primary_key=True),
)


class ShadowingEntry(db.Model):
    """One line of the shadowing log, written by the mentee or the mentor; the mentor may comment and confirm."""

    __tablename__ = "shadowing_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[EntryKind] = mapped_column(str_enum(EntryKind))
    happened_on: Mapped[date]
    channel: Mapped[str] = mapped_column(String(20))  # a key of lms.calls.channels.CHANNELS
    notes: Mapped[str] = mapped_column(Text, default="")
    mentor_comment: Mapped[str] = mapped_column(Text, default="")
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    items: Mapped[list[StandardItem]] = relationship(secondary=shadowing_entry_items, order_by=StandardItem.code)

    def __repr__(self) -> str:
        return f"<ShadowingEntry {self.id} {self.kind}>"


class CheckIn(db.Model):
    """A check-in due at a day of the plan; ``done_at`` once the mentor recorded it."""

    __tablename__ = "mentoring_check_ins"
    __table_args__ = (UniqueConstraint("mentorship_id", "day"), Index("ix_mentoring_check_ins_open", "done_at", "due_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"))
    day: Mapped[int]
    due_on: Mapped[date]
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rating: Mapped[ProgressRating | None] = mapped_column(str_enum(ProgressRating))
    notes: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<CheckIn {self.mentorship_id} day {self.day}>"


class MentorSignOff(db.Model):
    """The mentor's sign-off of one of the path's standard items for this mentee."""

    __tablename__ = "mentoring_sign_offs"
    __table_args__ = (UniqueConstraint("mentorship_id", "item_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"))
    item_code: Mapped[str] = mapped_column(String(24))
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id])
