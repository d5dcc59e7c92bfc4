"""A trainer schedules a session (from a template or from scratch), changes it and cancels it. Every change
people must put in their calendars raises the session's SEQUENCE, and they are sent the new invitation."""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.audit.services import record_event
from lms.classroom.models import ClassroomSession, SessionKind, SessionStatus, SessionTemplate
from lms.classroom.seats import lock_session, promote_waiting
from lms.classroom.signals import session_cancelled, session_changed
from lms.courses.models import Course
from lms.db import db, utcnow
from lms.errors import DomainError
from lms.exams.models import Exam

MAX_CAPACITY = 500
MAX_HOURS = 12


@dataclass
class SessionData:
    """What a trainer fills in: the fields of a session, times already read in the centre's zone."""

    kind: SessionKind
    title: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    place: str = ""
    video_link: str = ""
    description: str = ""
    course_code: str | None = None
    exam_slug: str | None = None
    trainer_id: int | None = None
    template_slug: str | None = None
    standards: list = field(default_factory=list)
    drill_steps: list = field(default_factory=list)


def template_by_slug(slug: str | None) -> SessionTemplate | None:
    return db.session.scalar(select(SessionTemplate).where(SessionTemplate.slug == slug)) if slug else None


def templates() -> list[SessionTemplate]:
    return list(db.session.scalars(select(SessionTemplate).order_by(SessionTemplate.kind, SessionTemplate.slug)))


def trainers() -> list[User]:
    return [u for u in db.session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.name))
            if u.has_role(Role.TRAINER)]


def _check_times(data: SessionData, now: datetime) -> None:
    if data.starts_at <= now:
        raise DomainError(_("The session must start in the future."), field="starts_at")
    if data.ends_at <= data.starts_at:
        raise DomainError(_("The session must end after it starts."), field="ends_at")
    if data.ends_at - data.starts_at > timedelta(hours=MAX_HOURS):
        raise DomainError(_("A session lasts at most %(hours)d hours.", hours=MAX_HOURS), field="ends_at")


def _check_fields(data: SessionData) -> None:
    if not 1 <= data.capacity <= MAX_CAPACITY:
        raise DomainError(_("The capacity is from 1 to %(max)d people.", max=MAX_CAPACITY), field="capacity")
    if not data.place.strip() and not data.video_link.strip():
        raise DomainError(_("Give a place or a video link."), field="place")
    if data.video_link and not data.video_link.startswith(("https://", "http://")):
        raise DomainError(_("A video link starts with https://."), field="video_link")


def _references(data: SessionData) -> tuple[int | None, int | None]:
    """The course and quiz ids the data names (the quiz must be an exam of that course)."""
    course_id = exam_id = None
    if data.course_code:
        course_id = db.session.scalar(select(Course.id).where(Course.code == data.course_code))
        if course_id is None:
            raise DomainError(_("There is no such course."), field="course_code")
    if data.exam_slug:
        exam = db.session.scalar(select(Exam).where(Exam.slug == data.exam_slug))
        if exam is None or course_id is None or exam.course_id != course_id:
            raise DomainError(_("The quiz must be a test of the session's course."), field="exam_slug")
        exam_id = exam.id
    return course_id, exam_id


def _apply(session: ClassroomSession, data: SessionData) -> None:
    course_id, exam_id = _references(data)
    session.kind, session.title, session.description = data.kind, data.title.strip(), data.description.strip()
    session.starts_at, session.ends_at, session.capacity = data.starts_at, data.ends_at, data.capacity
    session.place, session.video_link = data.place.strip(), data.video_link.strip()
    session.course_id, session.exam_id, session.trainer_id = course_id, exam_id, data.trainer_id


def data_from_template(template: SessionTemplate, starts_at: datetime) -> SessionData:
    """A new session's fields as the template gives them, starting at ``starts_at``."""
    return SessionData(kind=template.kind, title=template.title, description=template.description,
                       starts_at=starts_at, ends_at=starts_at + timedelta(minutes=template.duration_minutes),
                       capacity=template.capacity, course_code=template.course_code, template_slug=template.slug,
                       standards=list(template.standards), drill_steps=list(template.drill_steps))


def schedule_session(actor: User, data: SessionData) -> ClassroomSession:
    """Create a session; its calendar UID is made once and never changes."""
    _check_times(data, utcnow())
    _check_fields(data)
    template = template_by_slug(data.template_slug)
    session = ClassroomSession(uid=f"{secrets.token_hex(16)}@lms.local", sequence=0, template_slug=data.template_slug,
                               standards=list(template.standards) if template else list(data.standards),
                               drill_steps=list(template.drill_steps) if template else list(data.drill_steps))
    _apply(session, data)
    db.session.add(session)
    db.session.flush()
    record_event("classroom.scheduled", "classroom_session", session.id, actor=actor)
    return session


def change_session(session_id: int, actor: User, data: SessionData) -> ClassroomSession:
    """Change a scheduled session: SEQUENCE goes up and everyone enrolled gets the new invitation; a larger
    room moves people up from the waiting list."""
    session = lock_session(session_id)
    if session.status == SessionStatus.CANCELLED:
        raise DomainError(_("This session has been cancelled."))
    _check_times(data, utcnow())
    _check_fields(data)
    _apply(session, data)
    session.sequence += 1
    db.session.flush()
    promote_waiting(session)
    record_event("classroom.changed", "classroom_session", session.id, actor=actor)
    session_changed.send(session)
    return session


def cancel_session(session_id: int, actor: User) -> ClassroomSession:
    """Cancel the whole session: everyone enrolled or waiting is told, with a calendar cancellation."""
    session = lock_session(session_id)
    if session.status == SessionStatus.CANCELLED:
        raise DomainError(_("This session has already been cancelled."))
    if session.starts_at <= utcnow():
        raise DomainError(_("A session that has started cannot be cancelled."))
    session.status = SessionStatus.CANCELLED
    session.sequence += 1
    db.session.flush()
    record_event("classroom.cancelled", "classroom_session", session.id, actor=actor)
    session_cancelled.send(session)
    return session
