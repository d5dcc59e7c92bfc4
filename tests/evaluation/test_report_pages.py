"""The report pages, their PDF and CSV, access per role, the learner's own page, and improvement actions."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.db import db
from lms.evaluation.models import ActionStatus, ImprovementAction
from lms.timeutil import local_today
from tests.conftest import Auth
from tests.evaluation.helpers import cohort, take_test


@pytest.fixture
def world(make):
    make.content()
    manager = make.user(Role.MANAGER, name="主管甲")
    team = make.team("甲組", managers=[manager])
    other = make.team("乙組")
    learners = cohort(make, team)
    return {"manager": manager, "team": team, "other": other, "learners": learners,
            "trainer": make.user(Role.TRAINER), "admin": make.user(Role.ADMIN)}


def _client(app, user):
    client = app.test_client()
    Auth(client).login(user)
    return client


def test_trainer_reads_a_course_report_with_learning_gain(app, world):
    page = _client(app, world["trainer"]).get("/evaluation/manage/reports/course/TST-101")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "學習成效" in html or "Learning (level 2)" in html
    assert 'role="img"' in html and "<figcaption>" in html  # the chart, said in words
    # The fixture's pre-test and post-test draw from different pools: the report says so.
    assert "TST-101" in html and ("不是從同一組題目" in html or "do not draw from the same questions" in html)
    assert "<style" not in html.split("<main", 1)[1]  # no inline style sheet under the CSP


def test_gain_figures_are_the_cohorts(app, world):
    from lms.evaluation.reports import read_report

    report = read_report(world["trainer"], "course", "TST-101")
    figures = report.figures
    assert figures["learning.paired"] == 5
    # pre: 1 of 3 right = 33.3 %; post: 4 of 4 right = 100 %.
    assert figures["learning.pre_mean"] == pytest.approx(100 / 3, abs=0.1)
    assert figures["learning.post_mean"] == pytest.approx(100)
    assert figures["learning.class_gain"] == pytest.approx(1.0)
    assert figures["learning.pass_rate"] == pytest.approx(100)
    assert figures["learning.attempts_to_pass"] == 1


def test_small_groups_are_not_summarised(app, make, world):
    make_team = make.team("丙組", managers=[world["manager"]])
    cohort(make, make_team, size=2)
    from lms.evaluation.reports import read_report

    report = read_report(world["manager"], "team", str(make_team.id))
    learning = next(s for s in report.sections if s.key == "learning")
    assert learning.figures["pre_mean"] is None and learning.chart_svg is None
    assert learning.figures["paired"] == 2


def test_manager_reads_only_their_teams(app, world):
    client = _client(app, world["manager"])
    assert client.get(f"/evaluation/manage/reports/team/{world['team'].id}").status_code == 200
    assert client.get(f"/evaluation/manage/reports/team/{world['other'].id}").status_code == 404
    assert client.get("/evaluation/manage/reports/course/TST-101").status_code == 404
    index = client.get("/evaluation/manage/reports/").get_data(as_text=True)
    assert "甲組" in index and "乙組" not in index


def test_learners_cannot_read_reports(app, world):
    client = _client(app, world["learners"][0])
    assert client.get(f"/evaluation/manage/reports/team/{world['team'].id}").status_code == 403


def test_unknown_reports_are_404(app, world):
    client = _client(app, world["admin"])
    for url in ("/evaluation/manage/reports/course/NOPE-1", "/evaluation/manage/reports/cohort/2026-13",
                "/evaluation/manage/reports/team/x", "/evaluation/manage/reports/weekly/1",
                "/evaluation/manage/reports/programme/nope"):
        assert client.get(url).status_code == 404, url


def test_report_as_pdf_and_csv(app, world):
    client = _client(app, world["manager"])
    base = f"/evaluation/manage/reports/team/{world['team'].id}"
    pdf = client.get(base + "/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    csv = client.get(base + "/report.csv")
    text = csv.get_data(as_text=True)
    assert csv.status_code == 200 and text.startswith("\ufeff") and "甲組" in text


def test_a_simplified_chinese_reader_gets_the_report_in_simplified_chinese(app, world, tmp_path):
    import subprocess

    from lms.accounts.models import Locale, User

    db.session.get(User, world["manager"].id).locale = Locale.ZH_HANS
    db.session.commit()
    client = _client(app, world["manager"])
    base = f"/evaluation/manage/reports/team/{world['team'].id}"
    csv = client.get(base + "/report.csv").get_data(as_text=True)
    assert "甲组" in csv and "甲組" not in csv
    (tmp_path / "r.pdf").write_bytes(client.get(base + "/report.pdf").data)
    text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "甲组" in text and "甲組" not in text


def test_csv_neutralises_formulas():
    from functools import partial

    from lms.csv_export import safe_cell

    safe_cell = partial(safe_cell, keep_numbers=True)  # as the report's CSV writes its cells
    assert safe_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-12.5") == "-12.5" and safe_cell("+3.0") == "+3.0"
    assert safe_cell("-cmd") == "'-cmd"


def test_dates_narrow_the_report(app, world):
    client = _client(app, world["trainer"])
    future = (local_today() + timedelta(days=30)).isoformat()
    html = client.get(f"/evaluation/manage/reports/course/TST-101?start={future}").get_data(as_text=True)
    assert "這份報表中還沒有人參加課前或課後測驗" in html
    assert "5 位學員完成了課前與課後兩次測驗" in client.get("/evaluation/manage/reports/course/TST-101").get_data(
        as_text=True)
    bad = client.get("/evaluation/manage/reports/course/TST-101?start=2026-05-01&end=2026-04-01")
    assert bad.status_code == 200  # an impossible pair of dates is ignored, not a 500


def test_learner_sees_own_pre_and_post(app, world):
    learner = world["learners"][0]
    html = _client(app, learner).get("/evaluation/my-learning").get_data(as_text=True)
    assert "TST-101" in html and "33.3" in html and "100" in html


def test_manager_records_an_action_and_measures_its_effect(app, make, world):
    client = _client(app, world["manager"])
    base = f"/evaluation/manage/reports/team/{world['team'].id}"
    due = (local_today() + timedelta(days=30)).isoformat()
    response = client.post(base + "/actions", data={
        "finding": "課前測驗平均只有三成", "action": "加開一堂投訴處理演練", "owner": world["manager"].id, "due_on": due})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    action = db.session.scalar(select(ImprovementAction))
    assert action.report_kind == "team" and action.report_params["key"] == str(world["team"].id)
    assert action.baseline["learning.paired"] == 5 and action.status == ActionStatus.OPEN
    # More learners of the team take the tests afterwards, doing better before the course.
    for learner in [make.user(team=world["team"]) for _ in range(5)]:
        take_test(learner, "tst-101-pre", 2)
        take_test(learner, "tst-101-post", 4)
    assert client.post(f"/evaluation/manage/actions/{action.id}/measure").status_code == 302
    db.session.expire_all()
    action = db.session.get(ImprovementAction, action.id)
    assert action.effect["learning.paired"] == 10  # measured over the days since it was recorded
    page = client.get(f"/evaluation/manage/actions/{action.id}").get_data(as_text=True)
    assert "加開一堂投訴處理演練" in page
    assert client.post(f"/evaluation/manage/actions/{action.id}", data={"status": "done"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(ImprovementAction, action.id).status == ActionStatus.DONE


def test_action_form_refuses_bad_input_and_writes_nothing(app, world):
    client = _client(app, world["manager"])
    base = f"/evaluation/manage/reports/team/{world['team'].id}"
    past = (local_today() - timedelta(days=1)).isoformat()
    learner = world["learners"][0]
    for data in ({"finding": "", "action": "x", "owner": world["manager"].id, "due_on": past},
                 {"finding": "f", "action": "a", "owner": world["manager"].id, "due_on": past},
                 {"finding": "f", "action": "a", "owner": learner.id, "due_on": "2099-01-01"},
                 {"finding": "f", "action": "a", "owner": "x", "due_on": "not a date"}):
        response = client.post(base + "/actions", data=data)
        assert response.status_code == 200
        assert 'class="error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(ImprovementAction)) is None


def test_managers_see_only_actions_of_their_teams(app, make, world):
    trainer_client = _client(app, world["trainer"])
    due = (local_today() + timedelta(days=3)).isoformat()
    response = trainer_client.post("/evaluation/manage/reports/course/TST-101/actions", data={
        "finding": "講師自己的發現", "action": "a", "owner": world["trainer"].id, "due_on": due})
    assert response.status_code == 302
    action = db.session.scalar(select(ImprovementAction))
    manager_client = _client(app, world["manager"])
    assert manager_client.get(f"/evaluation/manage/actions/{action.id}").status_code == 404
    assert "講師自己的發現" not in manager_client.get("/evaluation/manage/actions/").get_data(as_text=True)
    assert "講師自己的發現" in trainer_client.get("/evaluation/manage/actions/").get_data(as_text=True)


def test_pdf_charts_use_the_embedded_chinese_face(app, world):
    from lms.evaluation.report_pdf import report_html
    from lms.evaluation.reports import read_report

    with app.test_request_context("/"):
        html = report_html(read_report(world["trainer"], "course", "TST-101"))
    assert "<svg" in html, html[html.find("<body"):][:3000]
    assert 'font-family="&quot;CertTC' in html
    assert 'font-family="&quot;Noto Sans CJK TC' not in html  # the system collection is never loaded


def test_learners_find_their_learning_page_from_their_courses(app, world):
    html = _client(app, world["learners"][0]).get("/courses/mine").get_data(as_text=True)
    assert 'href="/evaluation/my-learning"' in html


def test_summed_reports_match_the_per_learner_figures(app, make, world):
    """A programme or period report adds cohorts up in SQL; a course report computes them per learner:
    over the same learners they agree (here: one course, one more learner who failed twice, then passed)."""
    from lms.evaluation.learning_data import cohort_sums_by_course, course_tests
    from lms.evaluation.learning_section import _cohorts
    from lms.evaluation.report_sections import ReportScope

    late = make.user(team=world["team"])
    take_test(late, "tst-101-pre", 3)  # a perfect pre-test: an undefined gain
    for _ in range(2):
        take_test(late, "tst-101-post", 1)
    take_test(late, "tst-101-post", 4)
    with app.test_request_context("/"):
        _courses, by_course, per_learner = _cohorts(ReportScope("course", "TST-101"))
        scope = ReportScope("period", "")
        summed = cohort_sums_by_course(scope, course_tests(scope))
    from lms.evaluation.learning import cohort_from_sums

    total = cohort_from_sums(next(iter(summed.values())))
    assert (total.learners, total.paired, total.undefined_gains, total.passed) == (6, 6, 1, 6)
    for name in ("pre_mean", "post_mean", "class_gain", "mean_gain", "pass_rate", "attempts_to_pass_mean"):
        assert getattr(total, name) == pytest.approx(getattr(per_learner, name)), name
    assert total.attempts_to_pass_mean == pytest.approx((5 + 3) / 6)


def test_owners_offered_are_the_reader_trainers_admins_and_the_teams_managers(app, make, world):
    stranger = make.user(Role.MANAGER, name="別組主管")
    make.team("丁組", managers=[stranger])
    html = _client(app, world["manager"]).get(f"/evaluation/manage/reports/team/{world['team'].id}").get_data(
        as_text=True)
    form = html.split('id="owner"', 1)[1].split("</select>", 1)[0]
    assert "主管甲" in form and world["trainer"].employee_no in form and world["admin"].employee_no in form
    assert "別組主管" not in form  # a manager of another team is not offered (nor are a thousand of them)


def test_a_large_course_lists_only_the_learners_still_to_pass(app, make, world, monkeypatch):
    from lms.evaluation import learning_section
    from lms.evaluation.reports import read_report
    from lms.generations import clear_caches

    struggling = make.user(team=world["team"], name="還沒通過")
    take_test(struggling, "tst-101-pre", 0)
    take_test(struggling, "tst-101-post", 1)

    def learners_section():
        with app.test_request_context("/"):
            return next(s for s in read_report(world["trainer"], "course", "TST-101").sections
                        if s.key == "learning_learners")

    assert len(learners_section().table.rows) == 6 and not learners_section().cautions
    monkeypatch.setattr(learning_section, "LEARNER_ROWS", 3)
    clear_caches()  # the same data, built differently
    section = learners_section()
    assert [row[0].split(" ")[0] for row in section.table.rows] == ["還沒通過"] and section.cautions


def test_a_sections_raw_pygal_chart_is_made_safe_for_the_page(app, world, monkeypatch):
    """Another domain's section may hand over pygal's SVG as rendered (style sheet, script): the report
    applies the sheet as attributes, since the page's policy blocks inline sheets (lines then fill black)."""
    import pygal

    from lms.evaluation import report_sections
    from lms.evaluation.report_sections import Section, SectionKind
    from lms.evaluation.reports import read_report

    def raw(scope):
        chart = pygal.Line(js=[], disable_xml_declaration=True)
        chart.add("甲", [1, 3, 2])
        return Section("raw", "原始圖表", "摘要", chart_svg=chart.render(is_unicode=True), chart_alt="折線")

    monkeypatch.setitem(report_sections.SECTION_KINDS, "raw", SectionKind("raw", 99, ("course",), raw))
    with app.test_request_context("/"):
        section = next(s for s in read_report(world["trainer"], "course", "TST-101").sections if s.key == "raw")
    svg = str(section.chart_svg)
    assert "<style" not in svg and "<script" not in svg and 'aria-label="折線"' in svg
    assert 'fill="none"' in svg  # the line's path is not filled black


def test_a_kept_report_page_carries_each_sessions_own_form_token(app, world):
    """The report page as first shown is kept per person while nothing changes; its action form must still
    carry the form token of the session asking (another browser of the same person has another)."""
    from flask import g, session
    from flask_login import login_user

    from lms.evaluation import report_views

    app.config["WTF_CSRF_ENABLED"] = True  # the action form renders its token
    tokens = []
    for raw in ("a" * 40, "b" * 40, "a" * 40):
        with app.test_request_context(f"/evaluation/manage/reports/team/{world['team'].id}"):
            g.pop("csrf_token", None)  # Flask-WTF keeps a request's token in g, which the suite's requests share
            session["csrf_token"] = raw
            login_user(world["manager"])
            html = report_views.render_report(*report_views._report("team", str(world["team"].id)))
            form = html.split('id="record-action"', 1)[1]
            tokens.append(re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1))
    assert tokens[0] != tokens[1]  # each session's own
    assert tokens[2] == tokens[0]  # and kept for the first session
