"""Classroom and live sessions (the standards' 2.2 training methods, 10.1.2 law updates, 10.2.3 drills):
the session itself, each person's seat (enrolled or waiting, then their attendance), and a drill's record."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.courses.models import Course
from lms.db import TimestampMixin, db, str_enum, utcnow


class SessionKind(enum.StrEnum):
    INDUCTION = "induction"  # 2.2-a new staff
    WORKSHOP = "workshop"  # 2.2-b on the job
    OUTSIDE_TRAINER = "outside_trainer"  # 2.2-c
    LAW_UPDATE = "law_update"  # 10.1.2-a
    DRILL = "drill"  # 10.2.3-a


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class SeatStatus(enum.StrEnum):
    ENROLLED = "enrolled"
    WAITING = "waiting"
    CANCELLED = "cancelled"


class SeatSource(enum.StrEnum):
    SELF = "self"
    MANAGER = "manager"
    ASSIGNED = "assigned"


class Attendance(enum.StrEnum):
    PRESENT = "present"
    LATE = "late"
    ABSENT = "absent"
    EXCUSED = "excused"


ATTENDED = (Attendance.PRESENT, Attendance.LATE)


class SessionTemplate(db.Model):
    """A kind of session the centre runs again and again (courses/sessions/*.yaml): what a trainer schedules from."""

    __tablename__ = "classroom_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[SessionKind] = mapped_column(str_enum(SessionKind))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    duration_minutes: Mapped[int]
    capacity: Mapped[int]
    course_code: Mapped[str | None] = mapped_column(String(16))
    standards: Mapped[list] = mapped_column(default=list)
    drill_steps: Mapped[list] = mapped_column(default=list)
    content_hash: Mapped[str] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<SessionTemplate {self.slug}>"


class ClassroomSession(TimestampMixin, db.Model):
    __tablename__ = "classroom_sessions"
    __table_args__ = (Index("ix_classroom_sessions_starts", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(80), unique=True)  # the calendar's UID, stable for the session's life
    sequence: Mapped[int] = mapped_column(default=0)  # the calendar's SEQUENCE, one more at every change
    kind: Mapped[SessionKind] = mapped_column(str_enum(SessionKind))
    template_slug: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"), index=True)
    exam_id: Mapped[int | None] = mapped_column(ForeignKey("exams.id", ondelete="SET NULL"))  # the optional quiz
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200), default="")
    video_link: Mapped[str] = mapped_column(String(500), default="")
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    capacity: Mapped[int]
    standards: Mapped[list] = mapped_column(default=list)  # item codes the session covers
    drill_steps: Mapped[list] = mapped_column(default=list)  # item codes a drill's actions are checked against
    status: Mapped[SessionStatus] = mapped_column(str_enum(SessionStatus), default=SessionStatus.SCHEDULED)

    course: Mapped[Course | None] = relationship()
    trainer: Mapped[User | None] = relationship(foreign_keys=[trainer_id])
    seats: Mapped[list["Seat"]] = relationship(back_populates="session", order_by="Seat.id")
    drill: Mapped["DrillRecord | None"] = relationship(back_populates="session", uselist=False)

    def __repr__(self) -> str:
        return f"<ClassroomSession {self.id} {self.kind} {self.starts_at:%Y-%m-%d}>"


class Seat(db.Model):
    """One person's place in a session: enrolled, waiting (in the order they asked) or cancelled."""

    __tablename__ = "classroom_seats"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),
                      Index("ix_classroom_seats_session_status", "session_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("classroom_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[SeatStatus] = mapped_column(str_enum(SeatStatus))
    source: Mapped[SeatSource] = mapped_column(str_enum(SeatSource))
    queue_number: Mapped[int]  # the order people asked in (the waitlist is promoted in this order)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    promoted_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    attendance: Mapped[Attendance | None] = mapped_column(str_enum(Attendance))
    attendance_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]

    session: Mapped[ClassroomSession] = relationship(back_populates="seats")
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<Seat session={self.session_id} user={self.user_id} {self.status}>"


class DrillRecord(TimestampMixin, db.Model):
    """What an emergency drill practised: its scenario, the actions observed against the crisis steps
    (item code → observed or not, with a note), and the debrief."""

    __tablename__ = "classroom_drills"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("classroom_sessions.id", ondelete="CASCADE"), unique=True)
    scenario: Mapped[str] = mapped_column(Text, default="")
    observed: Mapped[dict] = mapped_column(default=dict)  # {item code: {"done": bool, "note": str}}
    debrief: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    session: Mapped[ClassroomSession] = relationship(back_populates="drill")

    def __repr__(self) -> str:
        return f"<DrillRecord session={self.session_id}>"


__all__ = ["ATTENDED", "Attendance", "ClassroomSession", "DrillRecord", "Seat", "SeatSource", "SeatStatus",
           "SessionKind", "SessionStatus", "SessionTemplate"]
