"""KPIs (standard 7.1): what the centre measures per agent, the values per agent and period, the imports
that brought them, and which standard items each KPI reflects."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.db import db, str_enum, utcnow


class KpiDirection(enum.StrEnum):
    HIGHER = "higher"  # higher is better (first-contact resolution, satisfaction)
    LOWER = "lower"  # lower is better (response time, handle time, complaint rate)


class PeriodKind(enum.StrEnum):
    WEEK = "week"  # period_start is a Monday
    MONTH = "month"  # period_start is the 1st


class KpiDefinition(db.Model):
    """One KPI the centre tracks, as shipped in courses/kpis.yaml or edited by a trainer."""

    __tablename__ = "kpi_definitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # the CSV column: fcr, csat …
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40))
    direction: Mapped[KpiDirection] = mapped_column(str_enum(KpiDirection))
    min_value: Mapped[float]
    max_value: Mapped[float]
    decimals: Mapped[int] = mapped_column(default=1)
    # [{"label": "業界平均", "value": 70.0}, …]: reference lines drawn on charts
    reference_lines: Mapped[list] = mapped_column(default=list)
    # the file's threshold (centre practice): an agent on its wrong side is flagged; kpi_thresholds overrides it
    threshold: Mapped[float | None]
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(String(10), default="file")  # file | editor
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<KpiDefinition {self.code}>"


class KpiItem(db.Model):
    """A standard item a KPI reflects (FCR ↔ 5.3.x, 7.1.x …): trainers maintain the mapping, and courses
    teaching these items are the ones recommended when the KPI is low."""

    __tablename__ = "kpi_items"

    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi_definitions.id", ondelete="CASCADE"), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(40), primary_key=True)

    def __repr__(self) -> str:
        return f"<KpiItem {self.kpi_id} {self.item_code}>"


class KpiImport(db.Model):
    """One accepted KPI file: who brought it, which periods it covered, how many values it wrote or replaced."""

    __tablename__ = "kpi_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200), default="")
    period_kind: Mapped[PeriodKind] = mapped_column(str_enum(PeriodKind))
    first_period: Mapped[date | None]
    last_period: Mapped[date | None]
    rows: Mapped[int] = mapped_column(default=0)
    values_written: Mapped[int] = mapped_column(default=0)
    values_replaced: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<KpiImport {self.id} {self.rows} rows>"


class KpiRecord(db.Model):
    """One KPI value of one agent for one period."""

    __tablename__ = "kpi_records"
    __table_args__ = (
        UniqueConstraint("user_id", "kpi_id", "period_kind", "period_start"),
        Index("ix_kpi_records_kpi_period", "kpi_id", "period_kind", "period_start"),
        CheckConstraint("value = value", name="value_is_a_number"),  # NaN never stored
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi_definitions.id", ondelete="CASCADE"))
    period_kind: Mapped[PeriodKind] = mapped_column(str_enum(PeriodKind))
    period_start: Mapped[date]
    value: Mapped[float]
    import_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_imports.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<KpiRecord user={self.user_id} kpi={self.kpi_id} {self.period_start} {self.value}>"


class KpiThreshold(db.Model):
    """A threshold set in the browser: for the whole centre (no team) or one team, overriding the file's."""

    __tablename__ = "kpi_thresholds"
    __table_args__ = (Index("ix_kpi_thresholds_kpi_team", "kpi_id", "team_id"),
                      CheckConstraint("value = value", name="value_is_a_number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi_definitions.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    value: Mapped[float]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)

    kpi: Mapped[KpiDefinition] = relationship()
    set_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<KpiThreshold kpi={self.kpi_id} team={self.team_id} {self.value}>"


class KpiFlagAssignment(db.Model):
    """A course assigned in answer to a KPI flag, with the value and threshold of the flag, so the page can
    show later whether the agent completed it and whether the KPI recovered."""

    __tablename__ = "kpi_flag_assignments"
    __table_args__ = (Index("ix_kpi_flag_assignments_user_kpi", "user_id", "kpi_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi_definitions.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id", ondelete="SET NULL"))
    value: Mapped[float]  # the KPI value that raised the flag
    threshold: Mapped[float]  # the threshold it was on the wrong side of
    period_kind: Mapped[PeriodKind] = mapped_column(str_enum(PeriodKind))
    period_start: Mapped[date]  # the period of that value
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<KpiFlagAssignment user={self.user_id} kpi={self.kpi_id} course={self.course_id}>"


__all__ = ["KpiDefinition", "KpiDirection", "KpiFlagAssignment", "KpiImport", "KpiItem", "KpiRecord", "KpiThreshold",
           "PeriodKind"]
