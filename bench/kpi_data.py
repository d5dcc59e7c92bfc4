"""KPIs for the benchmark organisation: monthly values of the shipped KPIs for up to 10,000 learners over
24 months, and the PRO-205 completions spread over those months, so the KPI pages and the "results"
report sections have real work to do. Written through the import's own bulk path."""

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

from lms.accounts.models import User
from lms.db import db

MAX_AGENTS = 10_000


def _months(count: int, today: date) -> list[date]:
    first = today.replace(day=1)
    return [date((first.year * 12 + first.month - 1 - back) // 12, (first.month - 1 - back) % 12 + 1, 1)
            for back in range(count, 0, -1)]


def generate_kpis(months: int = 24, seed: int = 17) -> int:
    """Write the values (and move PRO-205 completions into the window); return how many values."""
    from lms.courses.models import Course, Enrolment
    from lms.kpi.definitions import active_kpis
    from lms.kpi.imports import _insert
    from lms.kpi.models import KpiImport, PeriodKind

    rng = random.Random(seed)
    kpis = active_kpis()
    window = _months(months, datetime.now(UTC).date())
    agents = list(db.session.scalars(select(User.id).where(User.employee_no.like("BL%")).order_by(User.id)
                                      .limit(MAX_AGENTS)))
    if not kpis or not agents:
        return 0
    course_id = db.session.scalar(select(Course.id).where(Course.code == "PRO-205"))
    done = list(db.session.scalars(select(Enrolment.id).where(Enrolment.course_id == course_id,
                                                               Enrolment.completed_at.is_not(None))))
    for enrolment_id in done:
        day = window[rng.randint(months // 4, 3 * months // 4)] + timedelta(days=rng.randint(0, 27))
        db.session.execute(update(Enrolment).where(Enrolment.id == enrolment_id).values(
            completed_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC)))
    record = KpiImport(filename="bench", period_kind=PeriodKind.MONTH, first_period=window[0], last_period=window[-1],
                       rows=len(agents) * months)
    db.session.add(record)
    db.session.flush()

    def values():
        for user_id in agents:
            for kpi in kpis:
                low, high = kpi.min_value, kpi.max_value
                level = rng.uniform(low + (high - low) * .2, low + (high - low) * .6)
                for month in window:
                    value = min(high, max(low, level + rng.gauss(0, (high - low) * .02)))
                    yield user_id, month, kpi.id, round(value, kpi.decimals)

    record.values_written = _insert(values(), PeriodKind.MONTH, record.id)
    db.session.flush()
    return record.values_written
