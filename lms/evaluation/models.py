"""Training effectiveness (standard 9.3): reaction surveys (level 1), observations of real calls (level 3)
and improvement actions (9.3.2). Learning (level 2) is read from exam attempts and results (level 4) from
KPI records; neither needs tables of its own."""

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.db import db, str_enum, utcnow


class Survey(db.Model):
    """A reaction survey, as shipped in courses/surveys/<slug>.yaml or written by a trainer; versioned."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_versions.id", use_alter=True, name="fk_surveys_current_version_id_survey_versions"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    current_version: Mapped["SurveyVersion | None"] = relationship(foreign_keys=[current_version_id],
                                                                   post_update=True)

    def __repr__(self) -> str:
        return f"<Survey {self.slug}>"


class SurveyVersion(db.Model):
    __tablename__ = "survey_versions"
    __table_args__ = (UniqueConstraint("survey_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    # [{"id": "clear", "kind": "likert" | "nps" | "comment", "text": "…", "required": true}, …]
    items: Mapped[list]
    # When it is offered: {"after": ["course", "calls"], "courses": "all" | ["PRO-205", …]}
    offer: Mapped[dict] = mapped_column(default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(10), default="file")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    survey: Mapped[Survey] = relationship(foreign_keys=[survey_id])

    def __repr__(self) -> str:
        return f"<SurveyVersion {self.survey_id} v{self.number}>"


class SurveyInvitation(db.Model):
    """A survey offered to one person when something ends (a course, a block of practice calls, a classroom
    session): one per person per run, answered once. The trainer and cohort it counts towards are kept so
    results can be read per course, trainer, cohort and period."""

    __tablename__ = "survey_invitations"
    __table_args__ = (
        UniqueConstraint("user_id", "context_kind", "context_key"),
        Index("ix_survey_invitations_context", "context_kind", "context_key", "responded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_version_id: Mapped[int] = mapped_column(ForeignKey("survey_versions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    context_kind: Mapped[str] = mapped_column(String(20))  # course | calls | session
    context_key: Mapped[str] = mapped_column(String(100))  # e.g. the course code, "PRO-201"
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"), index=True)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cohort: Mapped[str] = mapped_column(String(40), default="")  # e.g. "2026-11" (month the run ended)
    offered_at: Mapped[datetime] = mapped_column(default=utcnow)
    responded_at: Mapped[datetime | None]
    answers: Mapped[dict | None]  # item id -> 1..5 (likert), 0..10 (nps), text (comment)

    survey_version: Mapped[SurveyVersion] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<SurveyInvitation {self.user_id} {self.context_kind}:{self.context_key}>"


class ObservationStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    DONE = "done"
    CANCELLED = "cancelled"


class Observation(db.Model):
    """A scorecard of one real call of a learner, scored by an observer against the rubric of a call
    scenario (so real and simulated behaviour compare criterion by criterion). Scheduled at 30/60/90 days
    after a course or a certificate, or made ad hoc; two observations of the same call calibrate observers."""

    __tablename__ = "observations"
    __table_args__ = (
        Index("ix_observations_observer_status_due", "observer_id", "status", "due_on"),
        Index("ix_observations_learner", "learner_id", "status"),
        UniqueConstraint("learner_id", "source_kind", "source_key", "offset_days", "observer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    observer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    scenario_version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"))  # the rubric used
    source_kind: Mapped[str] = mapped_column(String(20))  # course | certification | adhoc
    source_key: Mapped[str] = mapped_column(String(100), default="")  # course code, programme slug
    offset_days: Mapped[int] = mapped_column(default=0)  # 30 | 60 | 90 after the source; 0 ad hoc
    due_on: Mapped[date]
    status: Mapped[ObservationStatus] = mapped_column(str_enum(ObservationStatus), default=ObservationStatus.SCHEDULED)
    call_reference: Mapped[str] = mapped_column(String(100), default="")  # the recording or ticket number
    observed_on: Mapped[date | None]
    ratings: Mapped[dict | None]  # criterion id -> "met" | "partly" | "missed" | "breached"
    percent: Mapped[float | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    learner: Mapped[User] = relationship(foreign_keys=[learner_id])
    observer: Mapped[User | None] = relationship(foreign_keys=[observer_id])

    def __repr__(self) -> str:
        return f"<Observation {self.id} learner={self.learner_id} +{self.offset_days}d {self.status}>"


class ObservationPlan(db.Model):
    """When real calls are observed (courses/observations/<slug>.yaml, the centre's practice): after a
    course or a certificate, at the listed days, on the rubric of a call scenario, by an observer chosen
    by a rule (trainer, team manager or the quality monitors' shared queue). Each completion schedules
    its observations from the plan as it stands then."""

    __tablename__ = "observation_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    source_kind: Mapped[str] = mapped_column(String(20))  # course | certification
    source_key: Mapped[str] = mapped_column(String(100), index=True)  # course code, programme slug
    definition: Mapped[dict]  # {"title", "scenario", "days": [30, 60, 90], "observer": "trainer"|"manager"|"quality"}
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<ObservationPlan {self.slug}>"


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class ImprovementAction(db.Model):
    """9.3.2: a finding from a report, the action taken on it, its owner and due date, and later the effect
    measured by the same report before and after."""

    __tablename__ = "improvement_actions"
    __table_args__ = (Index("ix_improvement_actions_status_due", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_kind: Mapped[str] = mapped_column(String(20))  # course | cohort | team | programme | kpi
    report_params: Mapped[dict]  # what the report was about: {"course": "PRO-205"}, {"team": 3, "kpi": "fcr"}
    report_title: Mapped[str] = mapped_column(String(300))
    finding: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    due_on: Mapped[date]
    status: Mapped[ActionStatus] = mapped_column(str_enum(ActionStatus), default=ActionStatus.OPEN)
    baseline: Mapped[dict] = mapped_column(default=dict)  # the report's figures when the action was recorded
    effect: Mapped[dict | None]  # the same figures when the effect was measured
    measured_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])

    def __repr__(self) -> str:
        return f"<ImprovementAction {self.id} {self.status}>"


__all__ = ["ActionStatus", "ImprovementAction", "Observation", "ObservationPlan", "ObservationStatus", "Survey",
           "SurveyInvitation", "SurveyVersion"]
