"""What the session pages show, put together in a fixed number of statements: the list of sessions, one
session's page (with the reader's own place and, for staff, the room's list), the attendance sheet."""

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role, User
from lms.audit.subjects import describer
from lms.classroom.labels import ATTENDANCE_LABELS, KIND_LABELS, SEAT_LABELS, SOURCE_LABELS, STATUS_LABELS
from lms.classroom.models import ClassroomSession, DrillRecord, Seat, SeatStatus, SessionStatus
from lms.classroom.notices import when_text
from lms.courses.models import Course, CourseVersion
from lms.db import db, get_row, utcnow
from lms.standards.models import StandardItem

LIST_LIMIT = 100


@dataclass
class SessionRow:
    session: ClassroomSession
    kind_label: str
    when: str
    enrolled: int
    waiting: int
    my_status: str = ""  # the reader's place, in words ("" : none)
    cancelled: bool = False

    @property
    def free(self) -> int:
        return max(0, self.session.capacity - self.enrolled)


def _counts(session_ids: list[int]) -> dict[int, dict]:
    rows = db.session.execute(select(Seat.session_id, Seat.status, func.count()).where(
        Seat.session_id.in_(session_ids)).group_by(Seat.session_id, Seat.status)).all() if session_ids else []
    counts: dict[int, dict] = {}
    for session_id, status, n in rows:
        counts.setdefault(session_id, {})[status] = n
    return counts


def _my_seats(user: User, session_ids: list[int]) -> dict[int, Seat]:
    if not session_ids:
        return {}
    return {s.session_id: s for s in db.session.scalars(
        select(Seat).where(Seat.user_id == user.id, Seat.session_id.in_(session_ids)))}


def session_rows(user: User, past: bool = False) -> list[SessionRow]:
    """Sessions still to come (or, with ``past``, those that have ended), each with its places and the
    reader's own place: three statements whatever the number of sessions."""
    now = utcnow()
    stmt = select(ClassroomSession).options(selectinload(ClassroomSession.trainer)).limit(LIST_LIMIT)
    stmt = (stmt.where(ClassroomSession.ends_at < now).order_by(ClassroomSession.starts_at.desc()) if past
            else stmt.where(ClassroomSession.ends_at >= now).order_by(ClassroomSession.starts_at))
    sessions = list(db.session.scalars(stmt))
    ids = [s.id for s in sessions]
    counts, mine = _counts(ids), _my_seats(user, ids)
    return [SessionRow(s, str(KIND_LABELS[s.kind]), when_text(s), counts.get(s.id, {}).get(SeatStatus.ENROLLED, 0),
                       counts.get(s.id, {}).get(SeatStatus.WAITING, 0),
                       str(SEAT_LABELS[mine[s.id].status]) if s.id in mine else "",
                       s.status == SessionStatus.CANCELLED) for s in sessions]


@dataclass
class RosterLine:
    seat: Seat
    name: str
    employee_no: str
    status: str
    source: str
    attendance: str
    completed: bool


@dataclass
class DrillStep:
    code: str
    title: str
    done: bool
    note: str


@dataclass
class SessionPage:
    session: ClassroomSession
    kind_label: str
    status_label: str
    when: str
    course_title: str
    enrolled: int
    waiting: int
    my_seat: Seat | None
    my_status: str
    my_position: int | None  # place on the waiting list, 1 = next
    my_attendance: str
    can_enrol: bool
    can_cancel: bool
    is_staff: bool
    roster: list[RosterLine] = field(default_factory=list)
    items: list[tuple[str, str]] = field(default_factory=list)
    drill: DrillRecord | None = None
    drill_steps: list[DrillStep] = field(default_factory=list)

    @property
    def cancelled(self) -> bool:
        return self.session.status == SessionStatus.CANCELLED


def _item_titles(codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    return dict(db.session.execute(select(StandardItem.code, StandardItem.title)
                                   .where(StandardItem.code.in_(codes))).all())


def _roster(seats: list[Seat]) -> list[RosterLine]:
    order = {SeatStatus.ENROLLED: 0, SeatStatus.WAITING: 1, SeatStatus.CANCELLED: 2}
    return [RosterLine(s, s.user.name, s.user.employee_no, str(SEAT_LABELS[s.status]), str(SOURCE_LABELS[s.source]),
                       str(ATTENDANCE_LABELS[s.attendance]) if s.attendance else "", s.completed_at is not None)
            for s in sorted(seats, key=lambda s: (order[s.status], s.queue_number))]


def _drill_steps(session: ClassroomSession, titles: dict[str, str]) -> list[DrillStep]:
    observed = session.drill.observed if session.drill else {}
    return [DrillStep(code, titles.get(code, code), bool(observed.get(code, {}).get("done")),
                      observed.get(code, {}).get("note", "")) for code in session.drill_steps]


def session_page(session_id: int, user: User) -> SessionPage:
    """One session for its page: details, the reader's place, and for staff every place."""
    session = get_row(ClassroomSession, session_id, options=(
        selectinload(ClassroomSession.trainer), selectinload(ClassroomSession.drill),
        selectinload(ClassroomSession.seats).selectinload(Seat.user)))
    course_title = ""
    if session.course_id is not None:
        row = db.session.execute(select(Course.code, CourseVersion.title).join(
            CourseVersion, CourseVersion.id == Course.published_version_id).where(Course.id == session.course_id)).first()
        course_title = f"{row[0]} {row[1]}" if row else ""
    seats = session.seats
    mine = next((s for s in seats if s.user_id == user.id), None)
    waiting = sorted((s for s in seats if s.status == SeatStatus.WAITING), key=lambda s: s.queue_number)
    position = next((i for i, s in enumerate(waiting, start=1) if mine is not None and s.id == mine.id), None)
    open_ = session.status == SessionStatus.SCHEDULED and session.starts_at > utcnow()
    active = mine is not None and mine.status != SeatStatus.CANCELLED
    staff = user.has_role(Role.TRAINER, Role.ADMIN)
    titles = _item_titles([*session.standards, *session.drill_steps])
    return SessionPage(
        session, str(KIND_LABELS[session.kind]), str(STATUS_LABELS[session.status]), when_text(session), course_title,
        sum(1 for s in seats if s.status == SeatStatus.ENROLLED), len(waiting), mine,
        str(SEAT_LABELS[mine.status]) if mine else "", position,
        str(ATTENDANCE_LABELS[mine.attendance]) if mine and mine.attendance else "",
        can_enrol=open_ and not active and user.has_role(Role.LEARNER),
        can_cancel=open_ and active and mine.attendance is None, is_staff=staff,
        roster=_roster(seats) if staff else [], items=[(c, titles.get(c, c)) for c in session.standards],
        drill=session.drill, drill_steps=_drill_steps(session, titles))


def attendance_sheet(session_id: int) -> tuple[ClassroomSession, list[Seat]]:
    """The session and its enrolled people, by name (the trainer's phone page)."""
    session = get_row(ClassroomSession, session_id)
    seats = list(db.session.scalars(select(Seat).join(User, User.id == Seat.user_id).where(
        Seat.session_id == session.id, Seat.status == SeatStatus.ENROLLED).order_by(User.name, User.id)
        .options(selectinload(Seat.user))))
    return session, seats


@describer("classroom_session")
def session_names(ids: set[int]) -> dict[int, str]:
    """Sessions in the audit log: title and start."""
    if not ids:
        return {}
    return {s.id: f"{s.title} ({when_text(s)})" for s in db.session.scalars(
        select(ClassroomSession).where(ClassroomSession.id.in_({int(i) for i in ids})))}


def session_attendance(user_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Each person's sessions held so far (a place in a session that has begun) and how many they attended
    (present or late): one statement for a page of people (the readiness board)."""
    if not user_ids:
        return {}
    from lms.classroom.models import ATTENDED

    rows = db.session.execute(
        select(Seat.user_id, func.count(), func.count().filter(Seat.attendance.in_(ATTENDED)))
        .join(ClassroomSession, ClassroomSession.id == Seat.session_id)
        .where(Seat.user_id.in_(user_ids), Seat.status == SeatStatus.ENROLLED,
               ClassroomSession.status == SessionStatus.SCHEDULED, ClassroomSession.starts_at <= utcnow())
        .group_by(Seat.user_id)).all()
    return {user_id: (attended, held) for user_id, held, attended in rows}
