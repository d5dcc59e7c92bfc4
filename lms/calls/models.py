"""Simulated-call scenarios, their versions, attempts and the turns of each attempt."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.db import db, str_enum, utcnow


class CallMode(enum.StrEnum):
    PRACTICE = "practice"
    ASSESSMENT = "assessment"


class CallStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    NEEDS_REVIEW = "needs_review"  # finished; free-text replies wait for a trainer
    FINISHED = "finished"


class Scenario(db.Model):
    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"), index=True)
    current_number: Mapped[int] = mapped_column(default=0)  # the version learners play
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Scenario {self.slug}>"


class ScenarioVersion(db.Model):
    __tablename__ = "scenario_versions"
    __table_args__ = (UniqueConstraint("scenario_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    definition: Mapped[dict]
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(10), default="file")
    # The YAML text this version was made from (file, YAML editor or call builder); None before it was kept.
    source_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    scenario: Mapped[Scenario] = relationship()

    def __repr__(self) -> str:
        return f"<ScenarioVersion {self.scenario_id} v{self.number}>"


class CallAttempt(db.Model):
    __tablename__ = "call_attempts"
    __table_args__ = (Index("ix_call_attempts_user_scenario", "user_id", "scenario_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    mode: Mapped[CallMode] = mapped_column(str_enum(CallMode))
    status: Mapped[CallStatus] = mapped_column(str_enum(CallStatus))
    variant_index: Mapped[int] = mapped_column(default=0)
    state: Mapped[dict]
    node_shown_at: Mapped[datetime] = mapped_column(default=utcnow)  # when the current turn was shown
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(20), default="")
    percent: Mapped[float | None]
    passed: Mapped[bool | None]
    criteria: Mapped[dict | None]  # criterion id → met | missed | breached | None
    critical_failed: Mapped[list | None]

    scenario: Mapped[Scenario] = relationship()
    version: Mapped[ScenarioVersion] = relationship()
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<CallAttempt {self.id} {self.mode} {self.status}>"


class CallTurn(db.Model):
    """One decision of the learner (a reply, a typed reply or a timeout), with its timing and marks."""

    __tablename__ = "call_turns"
    __table_args__ = (UniqueConstraint("attempt_id", "index"), Index("ix_call_turns_node", "version_id", "node_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("call_attempts.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"))
    index: Mapped[int]
    event_index: Mapped[int]  # its line in the attempt's transcript
    node_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))  # choice | text | timeout
    option_index: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text, default="")
    marks: Mapped[list] = mapped_column(default=list)  # [[criterion, mark]] as scored automatically
    seconds: Mapped[float]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    needs_review: Mapped[bool] = mapped_column(default=False)
    reviewed_marks: Mapped[list | None]
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]

    attempt: Mapped[CallAttempt] = relationship()

    def __repr__(self) -> str:
        return f"<CallTurn {self.attempt_id}#{self.index} {self.kind}>"


__all__ = ["CallAttempt", "CallMode", "CallStatus", "CallTurn", "Scenario", "ScenarioVersion"]
