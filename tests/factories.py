"""Rows for tests, built through the same services the app uses."""

import itertools
from datetime import date

from lms.accounts import services as accounts
from lms.accounts.models import Role, Team, User
from lms.db import db

_seq = itertools.count(1)


class Factory:
    PASSWORD = "correct-horse-battery"

    def user(self, *roles, team: Team | None = None, password: str | None = PASSWORD, name: str | None = None,
             hire_date: date | None = None, active: bool = True, **extra) -> User:
        n = next(_seq)
        user = accounts.create_user(accounts.UserData(
            employee_no=extra.pop("employee_no", f"E{n:05d}"), name=name or f"測試員{n}",
            email=extra.pop("email", f"user{n}@example.com"), hire_date=hire_date,
            team_id=team.id if team else None, roles=set(roles) or {Role.LEARNER}, is_active=active,
            **extra), password=password)
        db.session.commit()
        return user

    def team(self, name: str | None = None, managers=()) -> Team:
        team = accounts.save_team(None, name or f"團隊{next(_seq)}", "", [m.id for m in managers])
        db.session.commit()
        return team
