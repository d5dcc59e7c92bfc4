"""The KPI pages by role: the import refuses a bad file with every problem and writes nothing, replaces a
re-imported period with an audit entry; the team page shows the effect with group sizes; trainers keep
the standard items of each KPI."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEvent
from lms.db import db
from lms.kpi.models import KpiDefinition, KpiImport, KpiItem, KpiRecord
from tests.conftest import Auth
from tests.kpi.helpers import kpi_world


@pytest.fixture
def world(make):
    return kpi_world(make)


def _upload(client, text: str, name: str = "kpi.csv"):
    return client.post("/kpi/import", data={"file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def _records() -> int:
    return db.session.scalar(select(func.count()).select_from(KpiRecord))


def test_a_bad_file_lists_every_problem_and_imports_nothing(app, world):
    client = app.test_client()
    Auth(client).login(world.manager)
    before = _records()
    a, b = world.trained[0].employee_no, world.untrained[0].employee_no
    text = ("employee_number,period,fcr,平均處理時間\n"
            f"{a},2026-13,80,300\n"          # row 2: bad period
            "Z9999,2026-01,80,300\n"         # row 3: unknown employee
            f"{world.outsider.employee_no},2026-01,80,300\n"  # row 4: not in the manager's teams
            f"{b},2026-01,八十,300\n"         # row 5: not a number
            f"{b},2026-02,180,300\n"         # row 6: out of range
            f"{a},2026-03,70,300\n"
            f"{a},2026-03,71,301\n")         # row 8: duplicate of row 7
    response = _upload(client, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "發現 6 個問題" in page
    for row, column in ((2, "period"), (3, "employee_number"), (4, "employee_number"), (5, "fcr"), (6, "fcr"),
                        (8, "period")):
        assert f"<tr><td>{row}</td><td>{column}</td>" in page
    for needle in ("2026-13", "Z9999", world.outsider.employee_no, "八十", "180"):
        assert needle in page
    assert _records() == before
    assert db.session.scalar(select(func.count()).select_from(KpiImport)) == 0


def test_a_misspelt_or_missing_header_is_refused(app, world):
    client = app.test_client()
    Auth(client).login(world.manager)
    page = _upload(client, f"employee_number,fcrr\n{world.trained[0].employee_no},80\n").get_data(as_text=True)
    assert "fcrr" in page and "period" in page
    assert db.session.scalar(select(func.count()).select_from(KpiImport)) == 0


def test_a_good_file_imports_and_a_reimport_replaces_with_an_audit_entry(app, world):
    client = app.test_client()
    Auth(client).login(world.manager)
    a, b = world.trained[0], world.untrained[0]
    text = f"工號,期間,首次解決率,aht\n{a.employee_no},2027-01,81.26,300\n{b.employee_no},2027-01,,280\n"
    assert _upload(client, text).status_code == 302
    assert _records() == 12 * 12 + 3
    fcr = db.session.scalar(select(KpiDefinition).where(KpiDefinition.code == "fcr"))
    value = db.session.scalar(select(KpiRecord.value).where(KpiRecord.user_id == a.id, KpiRecord.kpi_id == fcr.id,
                                                            KpiRecord.period_start == date(2027, 1, 1)))
    assert value == 81.3  # rounded to the KPI's one decimal
    assert _upload(client, f"employee_number,period,fcr\n{a.employee_no},2027-01,75\n").status_code == 302
    assert _records() == 12 * 12 + 3
    replaced = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "kpi.replaced"))
    assert replaced is not None and replaced.before == {"values": 1}
    latest = db.session.scalar(select(KpiImport).order_by(KpiImport.id.desc()))
    assert (latest.values_written, latest.values_replaced) == (1, 1)
    page = client.get("/kpi/import").get_data(as_text=True)
    assert "2027-01" in page


def test_the_team_page_shows_the_effect_with_group_sizes(app, world):
    client = app.test_client()
    Auth(client).login(world.manager)
    page = client.get("/kpi/team?course=TST-101").get_data(as_text=True)
    assert 'id="effect-table"' in page and "data:image/svg+xml;base64," in page
    row = page[page.index('id="effect-table"'):]
    row = row[row.index("首次解決率"):row.index("</tr>", row.index("首次解決率"))]
    # 6 trained agents rise by 10 points; 6 peers stay flat
    assert ">6<" in row and "+10.0%" in row and "±0.0%" in row
    assert "2026-07" in page  # the chart's data table
    agents = page[page.index('id="agents-table"'):page.index("</table>", page.index('id="agents-table"'))]
    assert agents.count('scope="row"') == 6 and agents.count("+10.0%") == 6  # each trained agent: 10 points above peers
    assert world.trained[0].name in agents and world.untrained[0].name not in agents


def test_a_manager_sees_only_their_teams(app, world):
    client = app.test_client()
    Auth(client).login(world.manager)
    assert client.get(f"/kpi/team?team_id={world.outsider.team_id}").status_code == 404


def test_trainers_keep_the_standard_items_and_managers_may_not(app, world):
    client = app.test_client()
    Auth(client).login(world.trainer)
    assert "4.1.1-a" in client.get("/kpi/").get_data(as_text=True)
    assert client.post("/kpi/fcr/items", data={"items": "5.2.1-a, 5.2.1-b"}).status_code == 302
    fcr = db.session.scalar(select(KpiDefinition).where(KpiDefinition.code == "fcr"))
    assert sorted(db.session.scalars(select(KpiItem.item_code).where(KpiItem.kpi_id == fcr.id))) == ["5.2.1-a", "5.2.1-b"]
    response = client.post("/kpi/fcr/items", data={"items": "5.2.1-a 9.9.9-q"})
    assert response.status_code == 200 and "9.9.9-q" in response.get_data(as_text=True)
    assert client.get("/kpi/nope/items").status_code == 404
    manager = app.test_client()
    Auth(manager).login(world.manager)
    assert manager.post("/kpi/fcr/items", data={"items": "4.1.1-a"}).status_code == 403
    assert manager.get("/kpi/import/example.csv").get_data(as_text=True).startswith("\ufeffemployee_number,period,fcr")


def test_the_results_section_reports_the_course_effect(app, world):
    from lms.evaluation.report_sections import ReportScope, build_sections

    with app.test_request_context("/"):
        sections = {s.key: s for s in build_sections(ReportScope("course", "TST-101"))}
        results = sections["results"]
        assert results.table.rows[0][:2] == ["首次解決率", "6"] and results.chart_svg.startswith("<svg")
        # styled without a <style> element (the content-security policy forbids inline sheets), named for readers
        assert "<style" not in results.chart_svg and 'role="img"' in results.chart_svg
        assert 'fill="#0b5cad"' in results.chart_svg or "#0b5cad" in results.chart_svg
        assert results.figures["did_fcr"] == pytest.approx(10)
        team = {s.key: s for s in build_sections(ReportScope("team", str(world.team.id)))}["results"]
        assert team.figures["did_fcr"] == pytest.approx(10)
        small = {s.key: s for s in build_sections(ReportScope("course", "TST-101", minimum_group=7))}["results"]
        assert small.figures["did_fcr"] is None and small.cautions


def test_the_results_section_for_a_programme_says_when_nobody_is_certified(app, world):
    from lms.evaluation.report_sections import ReportScope, build_sections

    with app.test_request_context("/"):
        section = {s.key: s for s in build_sections(ReportScope("programme", "tst-cert"))}["results"]
        assert section.figures == {} and section.table is None and "沒有人" in section.summary
        assert "results" not in {s.key for s in build_sections(ReportScope("programme", "no-such-programme"))}
        assert "results" not in {s.key for s in build_sections(ReportScope("cohort", "2026-01"))}
        from lms.kpi.report_section import results_section

        assert results_section(ReportScope("team", "not-a-team")) is None


def test_course_results_are_reused_until_the_data_changes(app, world):
    from lms.evaluation.report_sections import ReportScope
    from lms.kpi.imports import import_kpis
    from lms.kpi.report_section import results_section
    from tests.test_query_counts import counting

    scope = ReportScope("course", "TST-101")
    with app.test_request_context("/"):
        first = results_section(scope)
        with counting() as statements:
            assert results_section(scope) is first
        assert len(statements) == 1  # the data version only
        rows = "".join(f"{u.employee_no},2027-01,{99 if u in world.trained else 1}\n" for u in world.trained + world.untrained)
        assert import_kpis(f"employee_number,period,fcr\n{rows}".encode(), "x.csv", world.admin).record
        again = results_section(scope)
        assert again is not first and again.figures["did_fcr"] > first.figures["did_fcr"]


def test_a_team_with_weekly_values_is_shown_by_week(app, make):
    from lms.accounts.models import Role

    make.content()
    manager = make.user(Role.MANAGER)
    team = make.team(managers=[manager])
    agents = [make.user(team=team) for _ in range(5)]
    client = app.test_client()
    Auth(client).login(manager)
    rows = "".join(f"{a.employee_no},2026-W{w:02d},{70 + w}\n" for a in agents for w in (10, 11, 12))
    assert _upload(client, f"employee_number,period,fcr\n{rows}").status_code == 302
    page = client.get("/kpi/team").get_data(as_text=True)
    assert "2026-W10" in page and "2026-W12" in page and "2026-03" not in page


def test_team_results_are_recomputed_when_a_member_completes_the_course(app, world):
    from datetime import UTC, datetime

    from lms.courses.models import Course, Enrolment, EnrolmentSource
    from lms.evaluation.report_sections import ReportScope
    from lms.kpi.report_section import results_section

    scope = ReportScope("team", str(world.team.id), minimum_group=1)
    with app.test_request_context("/"):
        first = results_section(scope)
        assert results_section(scope) is first
        course = db.session.scalar(select(Course).where(Course.code == "TST-101"))
        db.session.add(Enrolment(user_id=world.untrained[0].id, course_id=course.id, source=EnrolmentSource.ASSIGNED,
                                 completed_at=datetime(2026, 6, 20, 12, tzinfo=UTC)))
        db.session.flush()
        again = results_section(scope)
        assert again is not first and again.figures["trained_fcr"] == first.figures["trained_fcr"] + 1
