"""The demo shows KPI flags with recommended courses, and what followed the courses assigned for earlier flags."""

from sqlalchemy import select

from lms.accounts.demo import DEMO_PASSWORD, load_demo_users
from lms.accounts.models import User
from lms.db import db
from lms.kpi.demo import load_demo_kpis
from lms.kpi.flags import kpi_flags_for
from tests.factories import SHIPPED_CONTENT


def test_the_demo_has_flags_and_a_recovery_after_training(app, make, client, auth):
    make.content(SHIPPED_CONTENT)
    load_demo_users()
    load_demo_kpis()
    db.session.commit()
    people = {u.employee_no: u.id for u in db.session.scalars(select(User))}
    flags = kpi_flags_for(list(people.values()))
    assert 3 <= len(flags) < len(people)
    assert all(f.recommended or f.assigned for agent in flags.values() for f in agent)
    assert [c.code for f in flags[people["K0010"]] for c in f.assigned] == ["PRO-203"]  # just assigned
    auth.login(db.session.get(User, people["M0001"]), password=DEMO_PASSWORD)
    page = client.get("/kpi/flags").get_data(as_text=True)
    assert "完成課程的 1 項中有 1 項回到門檻內；共指派 1 項" in page  # complaint rate after FND-103
