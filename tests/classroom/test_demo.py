"""The demo sessions load once, from the shipped templates, with last week's drill attended and recorded."""

from pathlib import Path

from sqlalchemy import func, select

from lms.accounts.demo import load_demo_users
from lms.classroom.demo import load_demo_sessions
from lms.classroom.models import ClassroomSession, DrillRecord, Seat
from lms.db import db

ROOT = Path(__file__).resolve().parents[2]


def test_demo_sessions_load_once(make):
    make.content(ROOT)
    load_demo_users()
    db.session.commit()
    assert load_demo_sessions() == 3
    db.session.commit()
    assert load_demo_sessions() == 0
    assert db.session.scalar(select(func.count()).select_from(ClassroomSession)) == 3
    record = db.session.scalar(select(DrillRecord))
    assert record.observed["5.2.2-e"]["done"] is False and len(record.observed) == 6
    assert db.session.scalar(select(func.count()).select_from(Seat).where(Seat.completed_at.is_not(None))) == 4
