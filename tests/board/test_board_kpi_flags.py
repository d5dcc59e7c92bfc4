"""The board shows each agent's KPIs below threshold with the courses that would help (issue 14)."""

import re

from tests.conftest import Auth
from tests.kpi.helpers import kpi_world


def test_flagged_agents_show_their_kpi_and_the_course_that_would_help(app, make):
    world = kpi_world(make)  # fcr threshold 70: the untrained agents (60–62) are flagged, the trained not
    client = app.test_client()
    Auth(client).login(world.manager)
    html = client.get("/board/").get_data(as_text=True)
    assert html.count("首次解決率 6") == len(world.untrained)  # the KPI's name and value, never its code
    assert "門檻 70.0%" in html and re.search(r"建議課程：[^<]*測試投訴處理", html)
    assert 'href="/kpi/flags"' in html


def test_without_kpi_data_the_board_has_no_kpi_column(app, make):
    manager = make.user("manager")
    team = make.team("無指標組", managers=[manager])
    make.user(team=team)
    client = app.test_client()
    Auth(client).login(manager)
    html = client.get("/board/").get_data(as_text=True)
    assert "KPI" not in html.split("<main", 1)[1].split("</table>", 1)[0]
