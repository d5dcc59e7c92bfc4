"""Assigning several courses in one action (a programme's courses): new enrolments share one batch; a course
someone is enrolled in or has completed is left as it was, its due date too; refusals name the field and
write nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.courses.enrolment import assign_courses
from lms.courses.models import Course, CourseAssignment, Enrolment
from lms.db import db, utcnow
from lms.errors import DomainError
from lms.timeutil import local_today


def _courses(*codes):
    return list(db.session.scalars(select(Course).where(Course.code.in_(codes)).order_by(Course.code)))


def _due_dates(user) -> dict[str, object]:
    return dict(db.session.execute(select(Course.code, Enrolment.due_date).join(Enrolment)
                                   .where(Enrolment.user_id == user.id)).all())


@pytest.fixture
def world(make):
    make.content()
    manager = make.user(Role.MANAGER)
    team = make.team(managers=[manager])
    today = local_today()
    started, finished, new = make.user(team=team), make.user(team=team), make.user(team=team)
    make.enrol(started, "TST-101", due=today + timedelta(days=3))
    make.enrol(finished, "TST-201", due=today - timedelta(days=30)).completed_at = utcnow()
    db.session.commit()
    return {"manager": manager, "started": started, "finished": finished, "new": new,
            "outsider": make.user(team=make.team()), "trainer": make.user(Role.TRAINER)}


def test_new_courses_are_assigned_and_existing_ones_left_as_they_were(world):
    due = local_today() + timedelta(days=10)
    people = [world["started"], world["finished"], world["new"]]
    done = assign_courses(world["manager"], _courses("TST-101", "TST-201", "TST-301"), people, due)
    assert (done.people, done.courses, done.created, done.skipped, done.reached) == (3, 3, 7, 2, 3)
    assert _due_dates(world["started"]) == {"TST-101": local_today() + timedelta(days=3), "TST-201": due,
                                            "TST-301": due}
    assert _due_dates(world["finished"])["TST-201"] == local_today() - timedelta(days=30)
    assert _due_dates(world["new"]) == {"TST-101": due, "TST-201": due, "TST-301": due}
    batches = set(db.session.scalars(select(Enrolment.assignment_batch).where(Enrolment.due_date == due)))
    assert len(batches) == 1 and None not in batches  # one action, one batch
    assert db.session.scalar(select(func.count()).select_from(CourseAssignment)) == 7


def test_nothing_left_to_assign_is_not_an_error(world):
    done = assign_courses(world["manager"], _courses("TST-101"), [world["started"]], None)
    assert (done.created, done.skipped, done.reached) == (0, 1, 0)


def test_a_past_due_date_and_someone_outside_the_teams_are_refused_naming_the_field(world):
    before = db.session.scalar(select(func.count()).select_from(Enrolment))
    with pytest.raises(DomainError) as past:
        assign_courses(world["manager"], _courses("TST-301"), [world["new"]], local_today() - timedelta(days=1))
    assert past.value.field == "due_date"
    with pytest.raises(DomainError) as outside:
        assign_courses(world["manager"], _courses("TST-301"), [world["new"], world["outsider"]], None)
    assert outside.value.field == "people"
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == before
    # A trainer assigns to anyone, as with one course.
    assert assign_courses(world["trainer"], _courses("TST-301"), [world["outsider"]], None).created == 1
