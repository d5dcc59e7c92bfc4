"""Skill competitions with assessment (standards 2.2 (5)) and the honours they give (2.3 (3), honours and
recognition): a trainer's competition over a window of days, the teams taking part and what is assessed
(assessment calls of scenarios and/or one exam); an honour on a person's record when it closes."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import Team, User
from lms.calls.models import Scenario
from lms.db import Base, db, utcnow
from lms.exams.models import Exam
from lms.privacy.registry import KEEP, PersonalTable, register

__all__ = ["Competition", "Honour", "competition_scenarios", "competition_teams"]

competition_teams = Table(
    "competition_teams",
    Base.metadata,
    Column("competition_id", ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True, index=True),
)
competition_scenarios = Table(
    "competition_scenarios",
    Base.metadata,
    Column("competition_id", ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True),
    Column("scenario_id", ForeignKey("scenarios.id", ondelete="CASCADE"), primary_key=True),
)


class Competition(db.Model):
    """A competition: results of attempts started and finished inside ``starts_on`` – ``ends_on`` (the
    centre's calendar days, both included) by members of the taking teams count."""

    __tablename__ = "competitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    exam_id: Mapped[int | None] = mapped_column(ForeignKey("exams.id", ondelete="SET NULL"))
    show_names: Mapped[bool] = mapped_column(default=True)  # to participants; staff always see names
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    teams: Mapped[list[Team]] = relationship(secondary=competition_teams, order_by=Team.name)
    scenarios: Mapped[list[Scenario]] = relationship(secondary=competition_scenarios, order_by=Scenario.id)
    exam: Mapped[Exam | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def __repr__(self) -> str:
        return f"<Competition {self.id} {self.title!r}>"


class Honour(db.Model):
    """An honour on a person's record: ``place`` 1–3 among the people, or 0 for a member of the winning team.
    ``title`` is the competition's title when it was given (kept if the competition goes)."""

    __tablename__ = "honours"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[int] = mapped_column(default=0)
    competition_id: Mapped[int | None] = mapped_column(ForeignKey("competitions.id", ondelete="SET NULL"),
                                                       index=True)
    awarded_at: Mapped[datetime] = mapped_column(default=utcnow)
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    competition: Mapped[Competition | None] = relationship()

    def __repr__(self) -> str:
        return f"<Honour {self.id} user={self.user_id} place={self.place}>"


# Personal data (lms/privacy/registry.py): registered here, by the module that owns the tables.
register(PersonalTable("competitions", _l("Skill competitions they set up or closed"),
                       acted=("created_by_id", "closed_by_id"), fate=KEEP,
                       reason=_l("A record of work done by staff; it names the pseudonymous person from now on.")))
register(PersonalTable("honours", _l("Honours on their record from skill competitions, and who gave them"),
                       about=("user_id",), acted=("awarded_by_id",), fate=KEEP,
                       reason=_l("A result: reports, averages and KPI effects count it, so it stays with the "
                                 "pseudonymous person.")))
