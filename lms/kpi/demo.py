"""Demo KPIs (for ``flask lms demo`` and the browser tests): fourteen months of monthly values for the demo
team, now with fourteen more agents. Half of the new agents complete the complaint-handling course
(PRO-205) during the year and improve on the KPIs it teaches; their untrained peers do not. Seeded, so
every run writes the same values (relative to today's month).

Some agents end on the wrong side of a KPI threshold (the flags page and the readiness board show them);
two have a history of courses assigned for a flag: one completed it and recovered, one has just been
assigned it."""

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select, update

from lms.accounts.demo import DEMO_PASSWORD, DEMO_TEAM
from lms.accounts.models import Team, User
from lms.accounts.users import UserData, create_user
from lms.courses.models import Course, Enrolment, EnrolmentSource
from lms.db import db
from lms.kpi.definitions import active_kpis
from lms.kpi.models import KpiFlagAssignment, KpiImport, KpiRecord, PeriodKind
from lms.timeutil import local_today

COURSE = "PRO-205"
MONTHS = 14
AGENTS = ["吳佳蓉", "蔡明哲", "許雅雯", "鄭宇翔", "謝淑芬", "郭建宏", "洪詩涵",
          "曾冠宇", "邱美玲", "廖家豪", "賴怡君", "周承恩", "葉欣怡", "蘇俊傑"]
TRAINED = 7  # the first seven complete the course
# code: (typical level, spread between agents, month-to-month noise, change after the course)
PROFILE = {
    "frt": (24.0, 5.0, 2.5, -3.0),
    "fcr": (68.0, 5.0, 2.0, 6.0),
    "csat": (82.0, 4.0, 1.5, 5.0),
    "aht": (330.0, 30.0, 12.0, 12.0),  # complaint handling done fully takes a little longer
    "complaint_rate": (1.6, 0.4, 0.15, -0.6),
    "quality_score": (84.0, 4.0, 1.5, 4.0),
    "compliance_findings": (1.2, 0.6, 0.8, -0.5),
}


def _months(today: date) -> list[date]:
    first = date(today.year, today.month, 1)
    months = []
    for back in range(MONTHS, 0, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        months.append(date(year, month + 1, 1))
    return months


def _agents(team: Team, today: date) -> list[User]:
    agents = []
    for n, name in enumerate(AGENTS, start=1):
        number = f"K{n:04d}"
        user = db.session.scalar(select(User).where(User.employee_no == number))
        if user is None:
            user = create_user(UserData(employee_no=number, name=name, email=f"agent{n:02d}@example.com",
                                        hire_date=today - timedelta(days=500 + 37 * n), team_id=team.id),
                               password=DEMO_PASSWORD)
        agents.append(user)
    return agents


def _complete_course(agents: list[User], months: list[date], rng: random.Random) -> dict[int, date]:
    course = db.session.scalar(select(Course).where(Course.code == COURSE))
    if course is None:
        return {}
    trained = {}
    for i, agent in enumerate(agents[:TRAINED]):
        month = months[4 + i % 4]  # completions spread over four months in the first half of the year
        day = month + timedelta(days=rng.randint(3, 24))
        done = datetime.combine(day, time(15), tzinfo=UTC)
        db.session.add(Enrolment(user_id=agent.id, course_id=course.id, source=EnrolmentSource.ASSIGNED,
                                 enrolled_at=done - timedelta(days=12), completed_at=done))
        trained[agent.id] = month
    return trained


def _value(kpi, level: float, noise: float, rng: random.Random) -> float:
    value = max(kpi.min_value, min(kpi.max_value, level + rng.gauss(0, noise)))
    return round(value if kpi.unit != "count" else max(0, round(value)), kpi.decimals)


# (agent index, KPI, course, months back of the flagged value, value, completed the month after?)
FLAG_HISTORY = [(12, "complaint_rate", "FND-103", 6, 2.9, True), (9, "frt", "PRO-203", 2, 33.0, False)]


def _flag_history(agents: list[User], months: list[date], kpis: dict) -> None:
    """Courses assigned for earlier flags: the flagged value, the enrolment, the record of the flag."""
    manager = db.session.scalar(select(User).where(User.employee_no == "M0001"))
    for index, code, course_code, back, value, completed in FLAG_HISTORY:
        course = db.session.scalar(select(Course).where(Course.code == course_code))
        if course is None or code not in kpis:
            continue
        agent, period = agents[index], months[-back]
        db.session.execute(update(KpiRecord).where(KpiRecord.user_id == agent.id, KpiRecord.kpi_id == kpis[code].id,
                                                   KpiRecord.period_start == period).values(value=value))
        assigned = datetime.combine(months[-back + 1] + timedelta(days=4), time(9), tzinfo=UTC)
        enrolment = Enrolment(user_id=agent.id, course_id=course.id, source=EnrolmentSource.ASSIGNED,
                              enrolled_at=assigned, due_date=(assigned + timedelta(days=21)).date(),
                              assigned_by_id=manager.id if manager else None,
                              completed_at=assigned + timedelta(days=12) if completed else None)
        db.session.add(enrolment)
        db.session.flush()
        db.session.add(KpiFlagAssignment(user_id=agent.id, kpi_id=kpis[code].id, course_id=course.id,
                                         enrolment_id=enrolment.id, value=value, threshold=kpis[code].threshold or value,
                                         period_kind=PeriodKind.MONTH, period_start=period,
                                         assigned_by_id=manager.id if manager else None, assigned_at=assigned))


# The demo's values read as one imported file in the import history ("demo" before: a bare word, not a file).
DEMO_FILENAME = "demo-kpis.csv"


def load_demo_kpis() -> int:
    """Write the demo KPIs once; return how many values were written (0 when they were already there)."""
    team = db.session.scalar(select(Team).where(Team.name == DEMO_TEAM))
    kpis = {k.code: k for k in active_kpis()}
    if team is None or not kpis or db.session.scalar(select(KpiImport.id).where(
            KpiImport.filename.in_((DEMO_FILENAME, "demo")))):
        return 0
    today, rng = local_today(), random.Random(2026)
    months = _months(today)
    agents = _agents(team, today)
    trained = _complete_course(agents, months, rng)
    people = agents + list(db.session.scalars(select(User).where(User.team_id == team.id, User.employee_no.like("L%"))))
    record = KpiImport(filename=DEMO_FILENAME, period_kind=PeriodKind.MONTH, first_period=months[0], last_period=months[-1])
    db.session.add(record)
    db.session.flush()
    rows = []
    for user in people:
        hired = user.hire_date or months[0]
        for code, (typical, spread, noise, change) in PROFILE.items():
            if code not in kpis:
                continue
            level = typical + rng.gauss(0, spread)
            for index, month in enumerate(months):
                if month < date(hired.year, hired.month, 1):
                    continue
                # every agent is a little worse in the busy months: peers show what would have happened anyway
                season = noise * (1 if index % 12 in (0, 1, 11) else 0) * (-1 if kpis[code].direction == "higher" else 1)
                lift = change if user.id in trained and month > trained[user.id] else 0.0
                rows.append({"user_id": user.id, "kpi_id": kpis[code].id, "period_kind": PeriodKind.MONTH,
                             "period_start": month, "import_id": record.id,
                             "value": _value(kpis[code], level + lift + season, noise, rng)})
    db.session.execute(KpiRecord.__table__.insert(), rows)
    record.rows, record.values_written = len(people) * len(months), len(rows)
    _flag_history(agents, months, kpis)
    db.session.flush()
    return len(rows)
