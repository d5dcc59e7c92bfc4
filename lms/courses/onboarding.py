"""Onboarding: new hires are enrolled in every onboarding path's courses, due relative to their hire date."""

from collections import defaultdict
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role, User
from lms.courses.enrolment import enrol_users, new_assignment_batch
from lms.courses.models import EnrolmentSource, OnboardingPath, OnboardingStep
from lms.db import db
from lms.timeutil import local_today


def onboarding_due(hire_date: date, due_days: int, today: date, min_days: int) -> tuple[date, bool]:
    """A step's due date and whether the floor set it: the plan's date (hire date + ``due_days``), but never
    sooner than ``min(min_days, due_days)`` days from the enrolment (``today``), so someone enrolled after
    their hire date does not start overdue, and an on-time hire keeps the plan as written. 0 days: no floor."""
    planned = hire_date + timedelta(days=due_days)
    if min_days <= 0:
        return planned, False
    floor = today + timedelta(days=min(min_days, due_days))
    return (floor, True) if planned < floor else (planned, False)


def apply_onboarding(users: list[User], today: date | None = None) -> int:
    """Enrol recently hired learners in every onboarding path, due relative to their hire date (with the
    floor of ``ONBOARDING_MIN_DAYS`` from the enrolment)."""
    today = today or local_today()
    min_days = int(current_app.config.get("ONBOARDING_MIN_DAYS", 7))
    paths = list(db.session.scalars(select(OnboardingPath).options(
        selectinload(OnboardingPath.steps).selectinload(OnboardingStep.course))))
    created, batch = 0, new_assignment_batch()  # one run: each new hire hears of all their courses at once
    for path in paths:
        newcomers = [u for u in users if u.is_active and u.hire_date and Role.LEARNER in u.roles
                     and (today - u.hire_date).days <= path.new_hire_days]
        if not newcomers:
            continue
        for step in path.steps:
            by_due: dict[tuple[date, bool], list[User]] = defaultdict(list)
            for user in newcomers:
                by_due[onboarding_due(user.hire_date, step.due_days, today, min_days)].append(user)
            for (due, floored), group in by_due.items():
                # Never move a due date someone has already set; only add what is missing.
                created += enrol_users(step.course, group, due, EnrolmentSource.ONBOARDING, None, move_due=False,
                                       due_floored=floored, batch=batch)
    return created


def on_users_created(_sender, users, **_extra) -> None:
    """New accounts (one by one or imported) get the onboarding paths they qualify for."""
    apply_onboarding(users)


def recent_hires(days: int = 365) -> list[User]:
    """Active users hired within ``days`` (whom a re-run of the onboarding paths concerns)."""
    since = local_today() - timedelta(days=days)
    return list(db.session.scalars(select(User).where(User.hire_date >= since, User.is_active.is_(True))))
