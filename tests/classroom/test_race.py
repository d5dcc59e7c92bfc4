"""Fifty people enrol at the same moment in a ten-seat session: never more than ten places, nobody lost, the
waiting list in the order the requests were served (each in its own thread, connection and transaction; the
session row is locked FOR UPDATE on PostgreSQL, SQLite serialises write transactions)."""

import threading

from flask import current_app
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.classroom import seats as seat_service
from lms.classroom.models import Seat, SeatStatus
from lms.db import db
from tests.classroom.helpers import make_session

PEOPLE = 50
SEATS = 10


def _enrol_in_parallel(app, session_id: int, user_ids: list[int]) -> list[BaseException]:
    barrier, errors = threading.Barrier(len(user_ids)), []

    def enrol(user_id: int) -> None:
        try:
            with app.app_context():
                user = db.session.get(User, user_id)
                db.session.rollback()  # the read above is not part of the enrolling transaction
                barrier.wait(timeout=30)
                seat_service.enrol_self(session_id, user)
                db.session.commit()
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=enrol, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_fifty_parallel_enrolments_in_ten_seats(make):
    app = current_app._get_current_object()
    trainer = make.user(Role.TRAINER)
    session = make_session(trainer, capacity=SEATS)
    user_ids = [make.user(Role.LEARNER).id for _ in range(PEOPLE)]
    session_id = session.id
    db.session.commit()
    errors = _enrol_in_parallel(app, session_id, user_ids)
    assert errors == []
    db.session.expire_all()
    seats = list(db.session.scalars(select(Seat).where(Seat.session_id == session_id).order_by(Seat.queue_number)))
    assert sorted(s.user_id for s in seats) == sorted(user_ids)  # nobody lost, nobody twice
    assert [s.queue_number for s in seats] == list(range(1, PEOPLE + 1))  # one queue, no number given twice
    assert [s.status for s in seats] == [SeatStatus.ENROLLED] * SEATS + [SeatStatus.WAITING] * (PEOPLE - SEATS)
    # The waiting list moves up in its order when places free.
    first_waiting = [s.user_id for s in seats[SEATS:SEATS + 3]]
    for seat in seats[:3]:
        seat_service.cancel_seat(session_id, db.session.get(User, seat.user_id))
    db.session.commit()
    db.session.expire_all()
    enrolled = set(db.session.scalars(select(Seat.user_id).where(Seat.session_id == session_id,
                                                                 Seat.status == SeatStatus.ENROLLED)))
    assert len(enrolled) == SEATS and set(first_waiting) <= enrolled
