"""The audit log page: filters (who, what, when), summaries in words in every language, failed-login bursts,
and the CSV export (issue 12, items 10, 16 and 17)."""

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from lms.accounts.models import Role
from lms.audit.labels import ACTIONS
from lms.audit.models import AuditEvent
from lms.audit.reading import AuditFilter, iter_events
from lms.calls import playing
from lms.csv_export import FORMULA_STARTS, safe_cell
from lms.db import db
from tests.factories import Factory


@pytest.fixture
def admin(make, auth):
    user = make.user(Role.ADMIN, name="管理員甲", employee_no="ADM01")
    auth.login(user)
    return user


def _visible_text(html: str) -> str:
    """What a person reads: the text between tags, without scripts, styles and attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _fail_login(app, identifier: str) -> None:
    """A failed login from another browser (the admin's own is logged in)."""
    response = app.test_client().post("/login", data={"identifier": identifier, "password": "wrong-password"})
    assert response.status_code in (200, 429)


def _rows(client, query: str = "") -> list[str]:
    html = client.get(f"/admin/audit/?{query}").get_data(as_text=True)
    body = html.split("<tbody>")[-1].split("</tbody>")[0]
    rows = [_visible_text(r).strip() for r in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]
    return [] if rows == ["沒有符合條件的紀錄。"] else rows


def test_filters_by_who_what_and_local_dates(client, make, admin):
    learner = make.user(name="新人乙", employee_no="L0900")
    client.post(f"/admin/users/{learner.id}/deactivate")
    client.post(f"/admin/users/{learner.id}/activate")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.in_(["user.deactivated", "user.activated"])).order_by(AuditEvent.id)).all()
    # 23:30 UTC on 5 December is 07:30 on 6 December in the centre's zone (Asia/Taipei).
    db.session.execute(update(AuditEvent).where(AuditEvent.id == events[0].id)
                       .values(at=datetime(2026, 12, 5, 23, 30, tzinfo=UTC)))
    db.session.execute(update(AuditEvent).where(AuditEvent.id == events[1].id)
                       .values(at=datetime(2026, 12, 1, 3, 0, tzinfo=UTC)))
    db.session.commit()
    assert len(_rows(client, "action=user.deactivated")) == 1
    assert "新人乙" in _rows(client, "action=user.deactivated")[0]
    assert len(_rows(client, "date_from=2026-12-06&date_to=2026-12-06&who=ADM01")) == 1
    assert _rows(client, "date_from=2026-12-02&date_to=2026-12-05&action=user.deactivated") == []
    assert len(_rows(client, "date_to=2026-12-01&who=管理員")) == 1  # part of the name
    assert _rows(client, "who=L0900") == []  # the learner did nothing; the admin did it to them


def test_bad_filter_values_are_named_not_errors(client, admin):
    response = client.get("/admin/audit/?date_from=2026-13-40&date_to=x&action=nope.nope&page=abc")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="date_from-error"' in html and 'id="action-error"' in html
    response = client.get("/admin/audit/?date_from=2026-12-06&date_to=2026-12-01")
    assert 'id="date_to-error"' in response.get_data(as_text=True)


@pytest.mark.parametrize("locale", ["zh_Hant", "zh_Hans", "en"])
def test_events_read_as_words_in_every_language(app, client, make, admin, locale):
    make.content()
    learner = make.user(name="新人丙", employee_no="L0901")
    client.post(f"/admin/users/{learner.id}/deactivate")
    _fail_login(app, "=cmd|' /C calc'!A0")
    # An assessed call whose typed reply waits for a trainer.
    attempt = playing.start_call(learner, "tst-call", "assessment")
    db.session.commit()
    for reply in ({"option": 0}, {"option": 0}, {"option": 0}, {"text": "好的"}, {"option": 0}):
        playing.take_turn(attempt.id, learner, **reply)
        db.session.commit()
    client.post("/locale", data={"locale": locale, "next": "/"})
    html = client.get("/admin/audit/").get_data(as_text=True)
    text = _visible_text(html)
    for code in ACTIONS:
        assert code not in text, code
    assert "None" not in text and "call_attempt" not in text and "tst-call" not in text
    call = "测试投诉电话" if locale == "zh_Hans" else "測試投訴電話"  # content in the reader's script
    assert "新人丙" in text and "L0901" in text and call in text
    words = {"zh_Hant": ("帳號已停用", "模擬通話"), "zh_Hans": ("账号已停用", "模拟通话"),
             "en": ("Account deactivated", "Assessed call scored")}[locale]
    assert all(w in text for w in words), words


def test_failed_login_bursts_are_shown_to_admins(app, client, make, admin):
    make.user(employee_no="L0777")
    for _ in range(app.config["LOGIN_BURST_FAILURES"]):
        _fail_login(app, "L0777")
    _fail_login(app, "ONCE01")
    html = client.get("/admin/audit/").get_data(as_text=True)
    panel = html.split('id="bursts-title"')[1].split("</section>")[0]
    assert "l0777" in panel and "once01" not in panel
    assert "/admin/audit/?object_type=account&amp;object_id=l0777" in panel
    assert "127.0.0.1" in panel  # every failure came from one address
    # The panel's link lists that name's failures.
    assert len(_rows(client, "object_type=account&object_id=l0777")) == app.config["LOGIN_BURST_FAILURES"]


def test_no_burst_panel_below_the_threshold(app, client, make, admin):
    _fail_login(app, "X1")
    assert 'id="bursts-title"' not in client.get("/admin/audit/").get_data(as_text=True)


def test_csv_export_streams_the_filtered_log_with_formulas_defused(app, client, make, admin):
    make.user(employee_no="L0902")
    for identifier in ("=HYPERLINK(\"http://evil\")", "+1+1", "-2", "@SUM(A1)", "plain01"):
        _fail_login(app, identifier)
    response = client.get("/admin/audit/export.csv?action=login.failed")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:4] == ["時間", "操作者", "工號", "動作"]
    assert len(rows) == 6 and all(r[3] == "登入失敗" and r[1] == "訪客（未登入）" for r in rows[1:])
    for row in rows[1:]:
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row), row
    assert any(cell.startswith("'=hyperlink") for row in rows for cell in row)  # what was typed, folded
    # The export itself is audited (by the task queue: the page only reads).
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.exported")).actor_id == admin.id


def test_the_export_reads_in_batches_newest_first(app, client, make, admin):
    for n in range(5):
        _fail_login(app, f"N{n}")
    ids = [row.event.id for row in iter_events(AuditFilter(action="login.failed"), batch=2)]
    assert len(ids) == 5 and ids == sorted(ids, reverse=True)


def test_only_admins_see_or_export_the_log(client, make, auth):
    auth.login(make.user(Role.TRAINER))
    assert client.get("/admin/audit/").status_code == 403
    assert client.get("/admin/audit/export.csv").status_code == 403


@given(st.text(max_size=50))
def test_a_csv_cell_never_starts_a_formula(text):
    cell = safe_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell == text or cell == "'" + text


def test_password_is_never_in_a_summary(app, client, make, admin):
    app.test_client().post("/login", data={"identifier": "someone", "password": Factory.PASSWORD})
    body = client.get("/admin/audit/export.csv").get_data(as_text=True)
    assert Factory.PASSWORD not in body


def test_pages_keep_the_filter(client, make, admin):
    from lms.audit.services import record_event

    for _ in range(55):
        record_event("user.updated", "user", admin.id, actor=admin)
    record_event("team.created", "team", 1, actor=admin)
    db.session.commit()
    html = client.get("/admin/audit/?action=user.updated").get_data(as_text=True)
    assert len(_rows(client, "action=user.updated")) == 50
    assert 'href="/admin/audit/?action=user.updated&amp;page=2"' in html
    assert len(_rows(client, "action=user.updated&page=2")) == 5


def test_the_count_has_english_plurals(client, make, admin):
    client.post("/locale", data={"locale": "en", "next": "/"})
    text = _visible_text(client.get("/admin/audit/?action=login.succeeded").get_data(as_text=True))
    assert "1 event " in text
    make.user()
    text = _visible_text(client.get("/admin/audit/?action=user.created").get_data(as_text=True))
    assert "2 events" in text  # the admin's account and this one


def test_a_teams_name_is_labelled_as_such_and_its_id_as_its_name(client, make, admin):
    team = make.team("客服一組")
    learner = make.user(team=team)
    client.post(f"/admin/users/{learner.id}", data={
        "employee_no": learner.employee_no, "name": learner.name, "email": learner.email, "locale": "zh_Hant",
        "team_name": "", "roles": ["learner"], "is_active": "y"})
    html = client.get("/admin/audit/").get_data(as_text=True)
    assert "<dt>團隊</dt><dd>客服一組 → —</dd>" in html  # the user left the team: named, not numbered
    assert "<dt>團隊名稱</dt><dd>客服一組</dd>" in html  # the team's own creation


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["who", "action", "date_from", "date_to", "ip", "object_type", "object_id",
                                        "page"]), st.text(max_size=80)))
def test_any_filter_answers_a_page_never_an_error(client, admin, query):
    for path in ("/admin/audit/", "/admin/audit/export.csv"):
        assert client.get(path, query_string=query).status_code == 200


def test_control_characters_in_a_filter_are_named_not_errors(client, admin):
    for key in ("who", "ip", "object_id", "object_type"):
        for value in ("a\x00b", "ab\n"):
            response = client.get("/admin/audit/", query_string={key: value})
            assert response.status_code == 200, key
            assert client.get("/admin/audit/export.csv", query_string={key: value}).status_code == 200
    html = client.get("/admin/audit/", query_string={"who": "ab\n"}).get_data(as_text=True)
    assert 'id="who-error"' in html and "請移除控制字元。" in html
