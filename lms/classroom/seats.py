"""Places in a session: enrolment by the learner, by a manager (their team members) and by assignment (teams,
new hires on an onboarding path); the waiting list, promoted automatically in the order people asked when a
place frees or the capacity grows; cancellation of one's own place.

Every change to a session's places first locks the session row (FOR UPDATE on PostgreSQL; SQLite's write
transactions begin IMMEDIATE and are serialised anyway), so parallel enrolments never fill more places than
the capacity and nobody's request is lost."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from lms.accounts.models import Role, User
from lms.audit.services import record_event
from lms.classroom.models import ClassroomSession, Seat, SeatSource, SeatStatus, SessionStatus
from lms.classroom.signals import seats_given
from lms.db import db, get_row, utcnow
from lms.errors import DomainError


def lock_session(session_id: int) -> ClassroomSession:
    """The session, locked for changing its places (and fresh from the database)."""
    return get_row(ClassroomSession, session_id, lock=True)


def _check_open(session: ClassroomSession) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise DomainError(_("This session has been cancelled."))
    if session.starts_at <= utcnow():
        raise DomainError(_("This session has already started; enrolment is closed."))


def _counts(session: ClassroomSession) -> tuple[int, int]:
    """(places taken, the last queue number) of a locked session."""
    taken, last = db.session.execute(
        select(func.count(Seat.id).filter(Seat.status == SeatStatus.ENROLLED), func.max(Seat.queue_number))
        .where(Seat.session_id == session.id)).one()
    return taken or 0, last or 0


def _place(session: ClassroomSession, users: list[User], source: SeatSource, actor: User | None) -> list[Seat]:
    """Give each user a place, or a place on the waiting list once the room is full; a person already
    enrolled or waiting keeps what they have. Returns the seats made or renewed."""
    taken, last = _counts(session)
    existing = {s.user_id: s for s in db.session.scalars(
        select(Seat).where(Seat.session_id == session.id, Seat.user_id.in_([u.id for u in users])))}
    changed, now = [], utcnow()
    for user in users:
        seat = existing.get(user.id)
        if seat is not None and seat.status != SeatStatus.CANCELLED:
            continue
        last += 1
        status = SeatStatus.ENROLLED if taken < session.capacity else SeatStatus.WAITING
        taken += status == SeatStatus.ENROLLED
        if seat is None:
            seat = Seat(session_id=session.id, user_id=user.id)
            db.session.add(seat)
        seat.status, seat.source, seat.queue_number, seat.requested_at = status, source, last, now
        seat.enrolled_by_id = actor.id if actor and actor.id != user.id else None
        seat.cancelled_at = seat.promoted_at = None
        changed.append(seat)
    db.session.flush()
    given = [s for s in changed if s.status == SeatStatus.ENROLLED]
    if given:
        seats_given.send(session, seats=given, promoted=False)
    return changed


def enrol_self(session_id: int, user: User) -> Seat:
    """The learner takes a place (or a place on the waiting list)."""
    session = lock_session(session_id)
    _check_open(session)
    _place(session, [user], SeatSource.SELF, user)
    seat = db.session.scalar(select(Seat).where(Seat.session_id == session.id, Seat.user_id == user.id))
    record_event("classroom.enrolled", "classroom_session", session.id, summary=user.employee_no,
                 actor=user)
    return seat


def team_members(manager: User) -> list[User]:
    """The active people of the manager's teams (an administrator: everyone active)."""
    stmt = select(User).where(User.is_active.is_(True)).order_by(User.name)
    if not manager.has_role(Role.ADMIN):
        stmt = stmt.where(User.team_id.in_([t.id for t in manager.managed_teams]))
    return list(db.session.scalars(stmt))


def enrol_members(session_id: int, manager: User, user_ids: list[int]) -> list[Seat]:
    """A manager enrols members of their own teams."""
    allowed = {u.id: u for u in team_members(manager)}
    if not user_ids:
        raise DomainError(_("Choose at least one person."), field="people")
    if any(i not in allowed for i in user_ids):
        raise DomainError(_("You can only enrol active members of your own teams."), field="people")
    session = lock_session(session_id)
    _check_open(session)
    seats = _place(session, [allowed[i] for i in user_ids], SeatSource.MANAGER, manager)
    record_event("classroom.enrolled", "classroom_session", session.id, summary=_numbers(seats),
                 actor=manager)
    return seats


def assign_people(session_id: int, actor: User, users: list[User]) -> list[Seat]:
    """A trainer assigns people (whole teams, the new hires of an onboarding path) to the session."""
    if not users:
        raise DomainError(_("Nobody to assign: choose a team or an onboarding path with people in it."),
                          field="teams")
    session = lock_session(session_id)
    _check_open(session)
    seats = _place(session, users, SeatSource.ASSIGNED, actor)
    record_event("classroom.assigned", "classroom_session", session.id, summary=_numbers(seats), actor=actor)
    return seats


def _numbers(seats: list[Seat]) -> str:
    return "、".join(sorted(s.user.employee_no for s in seats))


def promote_waiting(session: ClassroomSession) -> list[Seat]:
    """Fill free places from the waiting list, first asked first served (the session is locked)."""
    taken, _last = _counts(session)
    free = session.capacity - taken
    if free <= 0 or session.status == SessionStatus.CANCELLED:
        return []
    promoted = list(db.session.scalars(
        select(Seat).where(Seat.session_id == session.id, Seat.status == SeatStatus.WAITING)
        .order_by(Seat.queue_number).limit(free)))
    now = utcnow()
    for seat in promoted:
        seat.status, seat.promoted_at = SeatStatus.ENROLLED, now
    db.session.flush()
    if promoted:
        seats_given.send(session, seats=promoted, promoted=True)
    return promoted


def cancel_seat(session_id: int, user: User) -> Seat:
    """The learner gives up their place (or their place on the waiting list); the first waiting moves up."""
    session = lock_session(session_id)
    seat = db.session.scalar(select(Seat).where(Seat.session_id == session.id, Seat.user_id == user.id,
                                                Seat.status != SeatStatus.CANCELLED))
    if seat is None:
        raise DomainError(_("You are not enrolled in this session."))
    if seat.attendance is not None:
        raise DomainError(_("Your attendance has been taken; the place can no longer be cancelled."))
    seat.status, seat.cancelled_at = SeatStatus.CANCELLED, utcnow()
    db.session.flush()
    promote_waiting(session)
    record_event("classroom.seat_cancelled", "classroom_session", session.id, summary=user.employee_no, actor=user)
    return seat
