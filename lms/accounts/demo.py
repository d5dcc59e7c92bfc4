"""The demo team and one user per role (``flask lms demo``, and the browser tests' live server)."""

from datetime import timedelta

from sqlalchemy import select

from lms.accounts.models import Role, Team, User
from lms.accounts.teams import save_team
from lms.accounts.users import UserData, create_user
from lms.db import db
from lms.timeutil import local_today

DEMO_PASSWORD = "demo-pass-2026"
DEMO_TEAM = "客服一組"
# employee number, name, e-mail, roles, days since hire
DEMO_USERS = [
    ("A0001", "周系統", "admin@example.com", {Role.ADMIN}, 900),
    ("T0001", "王培訓", "trainer@example.com", {Role.TRAINER}, 1500),
    ("M0001", "李主管", "manager@example.com", {Role.MANAGER}, 2000),
    ("L0001", "陳新人", "learner@example.com", {Role.LEARNER}, 2),
    ("L0002", "林資深", "senior@example.com", {Role.LEARNER}, 700),
    ("L0003", "黃雅婷", "yating.huang@example.com", {Role.LEARNER}, 40),
    ("L0004", "張志豪", "zhihao.zhang@example.com", {Role.LEARNER}, 120),
]


def load_demo_users() -> list[User]:
    """Create the demo team and one user per role (idempotent); return the demo users."""
    team = db.session.scalar(select(Team).where(Team.name == DEMO_TEAM))
    created = []
    today = local_today()
    for no, name, email, roles, days in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.employee_no == no))
        if user is None:
            user = create_user(UserData(
                employee_no=no, name=name, email=email, roles=roles, hire_date=today - timedelta(days=days)),
                password=DEMO_PASSWORD)
            created.append(user)
    if team is None:
        manager = db.session.scalar(select(User).where(User.employee_no == "M0001"))
        team = save_team(None, DEMO_TEAM, "示範團隊：新進與資深客服代表", [manager.id])
        for user in db.session.scalars(select(User).where(User.employee_no.in_(["L0001", "L0002", "L0003", "L0004"]))):
            user.team = team
    db.session.flush()
    return created
