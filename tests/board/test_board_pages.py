"""The readiness board's pages: who may see what, the filters, the sort orders, paging and the team figures."""

import re

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEvent
from lms.board.readiness import BoardFilter, PersonRow, board_page
from lms.courses.models import Enrolment
from lms.db import db
from tests.board.conftest import add_people, client_for


def _names(html: str) -> list[str]:
    """The people's names in the board's table, in order."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<a href="/board/people/\d+">([^<]+)</a>', body)


@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_learners_and_trainers_are_refused_every_board_route(app, world, role):
    client = client_for(app, world[role])
    person = world["fine"].id
    for url in ("/board/", "/board/export.csv", f"/board/people/{person}"):
        assert client.get(url).status_code == 403, url
    for url in ("/board/assign", "/board/remind"):
        assert client.post(url, data={"people": [person]}).status_code == 403, url


def test_someone_not_logged_in_is_sent_to_the_login(app, world):
    response = app.test_client().get("/board/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_manager_of_two_teams_sees_both_and_no_one_else(app, world):
    html = client_for(app, world["manager"]).get("/board/").get_data(as_text=True)
    assert sorted(_names(html)) == sorted(["王逾期", "李完成", "陳準時"])
    assert "趙他組" not in html
    assert "3 人" in html and "1 項逾期課程" in html
    # certification state in words, expiry and days left; the latest exam, call and observation scores
    assert "有效・已開放重新認證" in html and "剩 20 天" in html
    assert "92%" in html and "75%" in html and "88%" in html
    assert "KPI" not in _table(html)  # no KPI flags yet: no empty column


def _table(html: str) -> str:
    return html.split('<table class="table board-table">', 1)[1].split("</table>", 1)[0]


def test_an_administrator_sees_every_team(app, world):
    html = client_for(app, world["admin"]).get("/board/").get_data(as_text=True)
    assert "趙他組" in _names(html) and "王逾期" in _names(html)


def test_the_team_filter_never_reaches_another_managers_team(app, world):
    client = client_for(app, world["manager"])
    html = client.get(f"/board/?team={world['south'].id}").get_data(as_text=True)
    assert sorted(_names(html)) == ["李完成", "陳準時"]
    html = client.get(f"/board/?team={world['east'].id}").get_data(as_text=True)
    assert "趙他組" not in html and len(_names(html)) == 3  # not theirs: read as "all my teams"


@pytest.mark.parametrize("query,expected", [
    ("status=overdue", ["王逾期"]),
    ("status=complete", ["李完成"]),
    ("status=on_track", ["陳準時"]),
    ("expiring=30", ["陳準時"]),
    ("expiring=90", ["李完成", "陳準時"]),
    ("tier=professional", ["王逾期", "陳準時"]),
    ("tier=professional&status=overdue", []),
    ("status=nonsense&expiring=7&tier=x&team=abc&page=-3", ["李完成", "王逾期", "陳準時"]),
])
def test_filters(app, world, query, expected):
    html = client_for(app, world["manager"]).get(f"/board/?{query}").get_data(as_text=True)
    assert sorted(_names(html)) == sorted(expected)


def test_sort_orders(app, world):
    client = client_for(app, world["manager"])
    assert _names(client.get("/board/?sort=overdue").get_data(as_text=True))[0] == "王逾期"
    assert _names(client.get("/board/?sort=expiry").get_data(as_text=True))[:2] == ["陳準時", "李完成"]
    by_name = _names(client.get("/board/?sort=name").get_data(as_text=True))
    assert by_name == sorted(by_name)


def test_fifty_people_a_page(app, world):
    add_people(world["north"], 52)
    client = client_for(app, world["manager"])
    first = client.get("/board/").get_data(as_text=True)
    second = client.get("/board/?page=2").get_data(as_text=True)
    assert len(_names(first)) == 50 and len(_names(second)) == 5
    assert not set(_names(first)) & set(_names(second))
    assert "第 1 頁，共 2 頁" in first and 'rel="next"' in first
    assert len(_names(client.get("/board/?page=99").get_data(as_text=True))) == 5  # past the end: the last page


def test_the_team_section_counts_everyone_filtered(app, world):
    html = client_for(app, world["manager"]).get("/board/").get_data(as_text=True)
    section = html.split('id="team-heading"', 1)[1]
    assert "TST-101" in section and "王逾期" in section  # the overdue assignment
    assert section.count('role="img"') == 3  # completion by tier, expiry by month, score distribution
    assert "圖表數據" in section or "圖表的數據" in section


def test_a_get_writes_nothing(app, world):
    """Every GET is also checked by the write detector (tests/test_write_rule.py); the board adds no rows."""
    client = client_for(app, world["manager"])
    before = db.session.scalar(select(func.count()).select_from(Enrolment))
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    for url in ("/board/", "/board/?status=overdue&sort=expiry", "/board/?page=2"):
        assert client.get(url).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == before
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_a_row_has_room_for_kpi_flags_and_the_column_shows_only_with_flags(app, world):
    page = board_page([world["north"].id, world["south"].id], BoardFilter())
    assert all(row.kpi_flags == [] for row in page.rows) and not page.has_kpi_flags
    page.rows[0].kpi_flags.append("flag")
    assert page.has_kpi_flags
    assert PersonRow(1, "x", "E1", "t").status == "none"


def test_no_id_repeats_on_the_page(app, world):
    html = client_for(app, world["manager"]).get("/board/").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_a_kept_board_carries_each_sessions_own_form_token(app, world):
    """The board is kept per person and filters while nothing changes; its bulk form must still carry the
    form token of the session asking (another browser of the same person has another)."""
    import re

    from flask import g, session
    from flask_login import login_user

    from lms.board import views

    app.config["WTF_CSRF_ENABLED"] = True  # the bulk form renders its token
    tokens = []
    for raw in ("a" * 40, "b" * 40, "a" * 40):
        with app.test_request_context("/board/?status=overdue"):
            g.pop("csrf_token", None)  # Flask-WTF keeps a request's token in g, which the suite's requests share
            session["csrf_token"] = raw
            login_user(world["manager"])
            html = views.index()
            assert "王逾期" in html
            tokens.append(re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html.split("<main", 1)[1]).group(1))
    assert tokens[0] != tokens[1]  # each session's own
    assert tokens[2] == tokens[0]  # and kept for the first session
