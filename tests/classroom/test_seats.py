"""Places, the waiting list and its automatic promotion; enrolment by the learner, a manager and a trainer."""

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.classroom import seats as seat_service
from lms.classroom.assignment import assign_session
from lms.classroom.models import Seat, SeatSource, SeatStatus
from lms.classroom.scheduling import cancel_session, change_session
from lms.db import db
from lms.errors import DomainError
from tests.classroom.helpers import make_session, session_data


def _statuses(session):
    db.session.expire_all()
    return [(s.user_id, s.status) for s in db.session.scalars(
        select(Seat).where(Seat.session_id == session.id).order_by(Seat.queue_number))]


def test_places_fill_then_people_wait_in_order_and_move_up_when_one_cancels(make, outbox):
    trainer = make.user(Role.TRAINER)
    session = make_session(trainer, capacity=2)
    people = [make.user(Role.LEARNER) for _ in range(4)]
    for person in people:
        seat_service.enrol_self(session.id, person)
        db.session.commit()
    assert [s for _u, s in _statuses(session)] == [SeatStatus.ENROLLED] * 2 + [SeatStatus.WAITING] * 2
    outbox.clear()
    seat_service.cancel_seat(session.id, people[0])
    db.session.commit()
    statuses = dict(_statuses(session))
    assert statuses[people[0].id] == SeatStatus.CANCELLED
    assert statuses[people[2].id] == SeatStatus.ENROLLED  # the first waiting
    assert statuses[people[3].id] == SeatStatus.WAITING
    assert [m["To"] for m in outbox] == [people[2].email]
    assert "session-" in outbox[0].get_payload()[1].get_filename()


def test_enrolling_twice_keeps_the_one_place(make):
    trainer, learner = make.user(Role.TRAINER), make.user(Role.LEARNER)
    session = make_session(trainer)
    first = seat_service.enrol_self(session.id, learner)
    again = seat_service.enrol_self(session.id, learner)
    assert first.id == again.id
    assert db.session.scalar(select(db.func.count()).select_from(Seat)) == 1


def test_a_larger_room_moves_waiting_people_up(make):
    trainer = make.user(Role.TRAINER)
    session = make_session(trainer, capacity=1)
    people = [make.user(Role.LEARNER) for _ in range(3)]
    for person in people:
        seat_service.enrol_self(session.id, person)
    db.session.commit()
    change_session(session.id, trainer, session_data(capacity=2, trainer_id=trainer.id))
    db.session.commit()
    assert [s for _u, s in _statuses(session)] == [SeatStatus.ENROLLED, SeatStatus.ENROLLED, SeatStatus.WAITING]
    assert session.sequence == 1


def test_a_cancelled_session_takes_no_one_and_a_cancelled_place_can_be_taken_again(make):
    trainer, learner = make.user(Role.TRAINER), make.user(Role.LEARNER)
    session = make_session(trainer)
    seat_service.enrol_self(session.id, learner)
    seat_service.cancel_seat(session.id, learner)
    seat = seat_service.enrol_self(session.id, learner)
    assert seat.status == SeatStatus.ENROLLED and seat.queue_number == 2
    cancel_session(session.id, trainer)
    with pytest.raises(DomainError):
        seat_service.enrol_self(session.id, make.user(Role.LEARNER))
    with pytest.raises(DomainError):
        cancel_session(session.id, trainer)


def test_cancelling_without_a_place_is_refused(make):
    session = make_session(make.user(Role.TRAINER))
    with pytest.raises(DomainError):
        seat_service.cancel_seat(session.id, make.user(Role.LEARNER))


def test_a_manager_enrols_only_their_own_team(make):
    manager = make.user(Role.MANAGER)
    team, other = make.team("甲組", managers=[manager]), make.team("乙組")
    mine, theirs = make.user(Role.LEARNER, team=team), make.user(Role.LEARNER, team=other)
    session = make_session(make.user(Role.TRAINER))
    with pytest.raises(DomainError) as refused:
        seat_service.enrol_members(session.id, manager, [mine.id, theirs.id])
    assert refused.value.field == "people"
    seats = seat_service.enrol_members(session.id, manager, [mine.id])
    assert [(s.user_id, s.source) for s in seats] == [(mine.id, SeatSource.MANAGER)]
    with pytest.raises(DomainError):
        seat_service.enrol_members(session.id, manager, [])


def test_a_trainer_assigns_whole_teams_and_the_new_hires_of_a_path(make):
    from datetime import timedelta

    from lms.timeutil import local_today

    make.content()
    trainer = make.user(Role.TRAINER)
    team = make.team("丙組")
    members = [make.user(Role.LEARNER, team=team) for _ in range(2)]
    newcomer = make.user(Role.LEARNER, hire_date=local_today() - timedelta(days=3))
    make.user(Role.LEARNER, hire_date=local_today() - timedelta(days=900))  # long hired: not a new hire
    session = make_session(trainer, capacity=2)
    from lms.courses.models import OnboardingPath

    path = db.session.scalar(select(OnboardingPath))
    seats = assign_session(session.id, trainer, [team.id], path.slug)
    assert {s.user_id for s in seats} == {*(m.id for m in members), newcomer.id}
    assert sorted(s.status for s in seats) == [SeatStatus.ENROLLED, SeatStatus.ENROLLED, SeatStatus.WAITING]
    with pytest.raises(DomainError):
        assign_session(session.id, trainer, [], None)
    with pytest.raises(DomainError):
        assign_session(session.id, trainer, [], "no-such-path")


def test_a_session_that_has_started_takes_no_enrolment(make):
    from tests.classroom.helpers import start_now

    session = make_session(make.user(Role.TRAINER))
    start_now(session)
    with pytest.raises(DomainError):
        seat_service.enrol_self(session.id, make.user(Role.LEARNER))
