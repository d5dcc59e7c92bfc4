"""A team with a year of monthly KPIs: half its agents complete TST-101 in the middle and improve."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from lms.accounts.models import Role, Team, User
from lms.courses.models import Course, Enrolment, EnrolmentSource
from lms.db import db
from lms.kpi.models import KpiDefinition, KpiRecord, PeriodKind

MONTHS = [datetime(2026, m, 1).date() for m in range(1, 13)]


@dataclass
class KpiWorld:
    manager: User
    trainer: User
    admin: User
    team: Team
    trained: list[User]
    untrained: list[User]
    outsider: User


def kpi_world(make, per_group: int = 6) -> KpiWorld:
    make.content()
    manager = make.user(Role.MANAGER, name="KPI主管")
    team = make.team("KPI組", managers=[manager])
    trained = [make.user(team=team) for _ in range(per_group)]
    untrained = [make.user(team=team) for _ in range(per_group)]
    outsider = make.user(team=make.team("別組"))
    course = db.session.scalar(select(Course).where(Course.code == "TST-101"))
    for i, user in enumerate(trained):
        db.session.add(Enrolment(user_id=user.id, course_id=course.id, source=EnrolmentSource.ASSIGNED,
                                 completed_at=datetime(2026, 6, 10 + i, 12, tzinfo=UTC)))
    fcr = db.session.scalar(select(KpiDefinition).where(KpiDefinition.code == "fcr"))
    for i, user in enumerate(trained + untrained):
        for month in MONTHS:
            lift = 10 if user in trained and month.month > 6 else 0
            db.session.add(KpiRecord(user_id=user.id, kpi_id=fcr.id, period_kind=PeriodKind.MONTH,
                                     period_start=month, value=60 + i % 3 + lift))
    db.session.commit()
    return KpiWorld(manager, make.user(Role.TRAINER), make.user(Role.ADMIN), team, trained, untrained, outsider)
