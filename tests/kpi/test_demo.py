"""The demo KPIs tell the story the reports are for: agents who took the complaint-handling course do
better afterwards than their untrained peers; loading twice writes nothing more."""

from sqlalchemy import func, select

from lms.accounts.demo import load_demo_users
from lms.db import db
from lms.kpi.demo import TRAINED, load_demo_kpis
from lms.kpi.models import KpiRecord
from tests.factories import SHIPPED_CONTENT


def test_demo_kpis_show_the_course_working(app, make):
    from lms.evaluation.report_sections import ReportScope
    from lms.kpi.report_section import results_section

    make.content(SHIPPED_CONTENT)
    load_demo_users()
    written = load_demo_kpis()
    db.session.commit()
    assert written > 0 and load_demo_kpis() == 0
    assert db.session.scalar(select(func.count()).select_from(KpiRecord)) == written
    with app.test_request_context("/"):
        from lms.accounts.models import Team

        team = db.session.scalar(select(Team).where(Team.name == "客服一組"))
        section = results_section(ReportScope("team", str(team.id)))
    assert section.figures["trained_complaint_rate"] >= TRAINED
    for code in ("fcr", "csat", "quality_score"):
        assert section.figures[f"did_{code}"] > 0, code
    assert section.figures["did_complaint_rate"] < 0  # lower is better: the rate fell more than the peers'


def test_the_demo_import_is_listed_as_a_file(app, make, client, auth):
    """The import history names each import by its file; the demo's read "demo", a bare English word."""
    from lms.accounts.models import Role

    make.content(SHIPPED_CONTENT)
    load_demo_users()
    load_demo_kpis()
    db.session.commit()
    auth.login(make.user(Role.ADMIN))
    html = client.get("/kpi/import").get_data(as_text=True)
    assert "<td>demo-kpis.csv</td>" in html and "<td>demo</td>" not in html
