"""Every figure an improvement action compares is named in the reader's language, never by its code
("results.did_fcr", "reaction.responded" were printed as they are: issue 12, item 16)."""

import re
from datetime import timedelta

from sqlalchemy import select

from lms.db import db
from lms.evaluation.labels_reports import figure_label
from lms.evaluation.models import ImprovementAction
from lms.timeutil import local_today
from tests.conftest import Auth
from tests.kpi.helpers import kpi_world

FIGURE_CODE = re.compile(r"\b(?:reaction|behaviour|results|learning|completion)\.[a-z_]+|\b(?:did|trained)_[a-z_]+")


def test_figures_of_every_section_have_labels(app, make):
    make.content()
    names = ["reaction.responded", "reaction.response_rate", "reaction.mean", "reaction.nps", "behaviour.observed",
             "behaviour.mean_percent", "results.did_fcr", "results.trained_fcr"]
    with app.test_request_context("/"):
        labels = {name: figure_label(name) for name in names}
    assert [name for name, label in labels.items() if FIGURE_CODE.search(label)] == []
    assert labels["results.did_fcr"] == "首次解決率：差異中的差異"
    assert labels["results.trained_fcr"] == "首次解決率：受訓人數"


def test_action_page_names_the_kpi_figures(app, make):
    world = kpi_world(make)
    client = app.test_client()
    Auth(client).login(world.trainer)
    due = (local_today() + timedelta(days=30)).isoformat()
    response = client.post("/evaluation/manage/reports/course/TST-101/actions", data={
        "finding": "首次解決率偏低", "action": "加開演練", "owner": world.trainer.id, "due_on": due})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    action = db.session.scalar(select(ImprovementAction))
    assert "results.did_fcr" in action.baseline  # the report's KPI section was measured
    action.baseline = {**action.baseline, "reaction.responded": 3.0, "behaviour.observed": 2.0}
    db.session.commit()
    html = client.get(f"/evaluation/manage/actions/{action.id}").get_data(as_text=True)
    assert FIGURE_CODE.findall(html) == []
    assert "首次解決率：差異中的差異" in html and "問卷回覆數" in html and "觀察通數" in html
