"""Hires enrolled after their hire date do not start overdue: an onboarding course is due on the plan's date
(hire date + days) but never sooner than ONBOARDING_MIN_DAYS (or the plan's days, if fewer) from the
enrolment; the learner's and the manager's pages say why the date is later than the plan."""

import io
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from lms.accounts.models import Role, User
from lms.courses.models import Enrolment
from lms.courses.onboarding import onboarding_due
from lms.db import db
from lms.timeutil import local_today

EXPLAINED = "期限由選課日起算"


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 400),
       st.integers(0, 400), st.integers(0, 30))
def test_the_floor_never_comes_before_the_plan_nor_too_soon_after_the_enrolment(hire, late, due_days, min_days):
    today = hire + timedelta(days=late)
    due, floored = onboarding_due(hire, due_days, today, min_days)
    planned = hire + timedelta(days=due_days)
    if min_days == 0:
        assert (due, floored) == (planned, False)  # the setting at 0 turns the floor off
        return
    assert due >= planned and due >= today + timedelta(days=min(min_days, due_days))
    assert due == max(planned, today + timedelta(days=min(min_days, due_days)))
    assert floored == (due != planned)
    if late == 0:
        assert not floored  # an on-time hire keeps the plan as written


def _enrolments(user):
    return {e.course.code: e for e in db.session.scalars(select(Enrolment).where(Enrolment.user_id == user.id))}


def _import_hire(client, hired: date) -> User:
    data = f"employee_no,name,email,hire_date,team\nL1,晚到新人,l1@example.com,{hired.isoformat()},甲組\n".encode()
    client.post("/admin/users/import", data={"file": (io.BytesIO(data), "u.csv")}, content_type="multipart/form-data")
    return db.session.scalar(select(User).where(User.employee_no == "L1"))


def test_a_hire_imported_a_month_late_starts_with_nothing_overdue_and_both_pages_say_why(client, auth, make):
    make.content()
    manager = make.user(Role.MANAGER)
    make.team("甲組", managers=[manager])
    auth.login(make.user(Role.ADMIN))
    hire = _import_hire(client, local_today() - timedelta(days=30))
    enrolments = _enrolments(hire)
    assert {code: e.due_date for code, e in enrolments.items()} == {
        "TST-101": local_today() + timedelta(days=7), "TST-201": local_today() + timedelta(days=7)}
    assert all(e.due_floored and not e.is_overdue(local_today()) for e in enrolments.values())
    hire.password_hash = generate_password_hash(make.PASSWORD)
    db.session.commit()
    auth.logout()
    auth.login(hire)
    assert EXPLAINED in client.get("/").get_data(as_text=True)
    assert EXPLAINED in client.get("/courses/TST-101").get_data(as_text=True)
    auth.logout()
    auth.login(manager)
    team_page = client.get("/courses/team").get_data(as_text=True)
    assert "晚到新人" in team_page and EXPLAINED in team_page and "tag--bad" not in team_page


def test_the_floor_is_a_setting(app, client, auth, make):
    app.config["ONBOARDING_MIN_DAYS"] = 0
    make.content()
    make.team("甲組")
    auth.login(make.user(Role.ADMIN))
    enrolments = _enrolments(_import_hire(client, local_today() - timedelta(days=30)))
    assert len(enrolments) == 2
    assert all(e.is_overdue(local_today()) and not e.due_floored for e in enrolments.values())
