"""Onboarding: new hires are enrolled in every onboarding path's courses, due relative to their hire date."""

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role, User
from lms.courses.enrolment import enrol_users
from lms.courses.models import EnrolmentSource, OnboardingPath, OnboardingStep
from lms.db import db
from lms.timeutil import local_today


def apply_onboarding(users: list[User], today: date | None = None) -> int:
    """Enrol recently hired learners in every onboarding path, due relative to their hire date."""
    today = today or local_today()
    paths = list(db.session.scalars(select(OnboardingPath).options(
        selectinload(OnboardingPath.steps).selectinload(OnboardingStep.course))))
    created = 0
    for path in paths:
        newcomers = [u for u in users if u.is_active and u.hire_date and Role.LEARNER in u.roles
                     and (today - u.hire_date).days <= path.new_hire_days]
        if not newcomers:
            continue
        for step in path.steps:
            by_due: dict[date, list[User]] = defaultdict(list)
            for user in newcomers:
                by_due[user.hire_date + timedelta(days=step.due_days)].append(user)
            for due, group in by_due.items():
                # Never move a due date someone has already set; only add what is missing.
                created += enrol_users(step.course, group, due, EnrolmentSource.ONBOARDING, None, move_due=False)
    return created


def on_users_created(_sender, users, **_extra) -> None:
    """New accounts (one by one or imported) get the onboarding paths they qualify for."""
    apply_onboarding(users)


def recent_hires(days: int = 365) -> list[User]:
    """Active users hired within ``days`` (whom a re-run of the onboarding paths concerns)."""
    since = local_today() - timedelta(days=days)
    return list(db.session.scalars(select(User).where(User.hire_date >= since, User.is_active.is_(True))))
