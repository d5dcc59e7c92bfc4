"""A new hire whose onboarding path lists a session template gets a place in the next session of it."""

from datetime import timedelta

from sqlalchemy import select

from lms.accounts.models import Role
from lms.classroom.models import Seat, SeatSource, SeatStatus, SessionKind
from lms.courses.models import OnboardingPath
from lms.db import db
from lms.timeutil import local_today
from tests.classroom.helpers import make_session


def test_a_new_hire_is_placed_in_the_next_session_the_path_asks_for(make):
    make.content()
    path = db.session.scalar(select(OnboardingPath))
    path.session_steps = [{"template": "tst-induction", "due_days": 5}]
    trainer = make.user(Role.TRAINER)
    later = make_session(trainer, kind=SessionKind.INDUCTION, template_slug="tst-induction")
    sooner = make_session(trainer, kind=SessionKind.INDUCTION, template_slug="tst-induction", capacity=1)
    sooner.starts_at, sooner.ends_at = later.starts_at - timedelta(days=1), later.ends_at - timedelta(days=1)
    make_session(trainer, template_slug="other")
    db.session.commit()
    first = make.user(Role.LEARNER, hire_date=local_today())
    second = make.user(Role.LEARNER, hire_date=local_today() - timedelta(days=1))
    make.user(Role.LEARNER, hire_date=local_today() - timedelta(days=900))  # hired long ago: not a new hire
    make.user(Role.LEARNER)  # no hire date
    seats = list(db.session.scalars(select(Seat).order_by(Seat.id)))
    assert [(s.user_id, s.session_id, s.status, s.source) for s in seats] == [
        (first.id, sooner.id, SeatStatus.ENROLLED, SeatSource.ASSIGNED),
        (second.id, sooner.id, SeatStatus.WAITING, SeatSource.ASSIGNED)]


def test_with_no_session_scheduled_nothing_happens(make):
    make.content()
    db.session.scalar(select(OnboardingPath)).session_steps = [{"template": "tst-induction", "due_days": 5}]
    db.session.commit()
    make.user(Role.LEARNER, hire_date=local_today())
    assert db.session.scalar(select(Seat)) is None
