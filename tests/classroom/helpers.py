"""Sessions for the classroom tests, scheduled through the service as a trainer would."""

from datetime import timedelta

from lms.classroom.models import SessionKind
from lms.classroom.scheduling import SessionData, schedule_session
from lms.db import db, utcnow


def session_data(**changes) -> SessionData:
    start = utcnow().replace(microsecond=0) + timedelta(days=3)
    values = {"kind": SessionKind.WORKSHOP, "title": "投訴處理工作坊", "starts_at": start,
              "ends_at": start + timedelta(hours=3), "capacity": 10, "place": "三樓訓練教室"}
    return SessionData(**{**values, **changes})


def make_session(trainer, **changes):
    session = schedule_session(trainer, session_data(trainer_id=trainer.id, **changes))
    db.session.commit()
    return session


def start_now(session, minutes_ago: int = 5):
    """Move a session's start into the past (attendance and drills happen once it has begun)."""
    session.starts_at = utcnow() - timedelta(minutes=minutes_ago)
    session.ends_at = session.starts_at + timedelta(hours=2)
    db.session.commit()
