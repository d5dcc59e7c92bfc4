"""Rows for tests, built through the same services the app uses."""

import itertools
from datetime import date
from pathlib import Path

from lms.accounts.models import Role, Team, User
from lms.accounts.teams import save_team
from lms.accounts.users import UserData, create_user
from lms.db import db

_seq = itertools.count(1)
FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
SHIPPED_CONTENT = Path(__file__).parent.parent


class Factory:
    PASSWORD = "correct-horse-battery"

    def user(self, *roles, team: Team | None = None, password: str | None = PASSWORD, name: str | None = None,
             hire_date: date | None = None, active: bool = True, **extra) -> User:
        n = next(_seq)
        user = create_user(UserData(
            employee_no=extra.pop("employee_no", f"E{n:05d}"), name=name or f"測試員{n}",
            email=extra.pop("email", f"user{n}@example.com"), hire_date=hire_date,
            team_id=team.id if team else None, roles=set(roles) or {Role.LEARNER}, is_active=active,
            **extra), password=password)
        db.session.commit()
        return user

    def team(self, name: str | None = None, managers=()) -> Team:
        team = save_team(None, name or f"團隊{next(_seq)}", "", [m.id for m in managers])
        db.session.commit()
        return team

    def content(self, root: Path = FIXTURE_CONTENT):
        """Import a content tree (the small test curriculum by default) and commit."""
        from flask import current_app

        from lms.curriculum.importer import import_tree

        with current_app.test_request_context("/"):
            report = import_tree(root)
        db.session.commit()
        return report

    def enrol(self, user: User, code: str, due: date | None = None):
        from sqlalchemy import select

        from lms.courses.models import Course, Enrolment, EnrolmentSource

        course = db.session.scalar(select(Course).where(Course.code == code))
        enrolment = Enrolment(user_id=user.id, course_id=course.id, source=EnrolmentSource.ASSIGNED, due_date=due)
        db.session.add(enrolment)
        db.session.commit()
        return enrolment
