"""A manager of two teams opens the readiness board, keeps the people whose certificate expires within 30
days, ticks them, assigns them a refresher course with a due date in one action, then a certification
programme's courses in another, and exports the board as
CSV (UTF-8 with a byte-order mark). axe-core clean throughout; the board and a person's record are
screenshot at 1366 px in traditional Chinese and English."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.accounts.models import Role, Team, User
from lms.accounts.teams import save_team
from lms.accounts.users import UserData, create_user
from lms.certification.models import Certificate, Programme
from lms.courses.models import Course, Enrolment
from lms.db import db, utcnow
from lms.timeutil import local_today
from tests.browser.conftest import check_a11y, login, nav_link

pytestmark = pytest.mark.browser

SECOND_TEAM = "客服二組"


def _second_team_with_certificates_expiring(live_app) -> list[str]:
    """M0001 also manages a second team, two of whose agents' certificates expire within 30 days."""
    with live_app.app_context():
        if db.session.scalar(select(Team).where(Team.name == SECOND_TEAM)) is None:
            manager = db.session.scalar(select(User).where(User.employee_no == "M0001"))
            team = save_team(None, SECOND_TEAM, "", [manager.id])
            programme = db.session.scalar(select(Programme).order_by(Programme.id))
            now = utcnow()
            for no, name, days in (("B0001", "吳即將", 12), ("B0002", "鄭快到", 25), ("B0003", "蔡還早", 200)):
                agent = create_user(UserData(employee_no=no, name=name, email=f"{no.lower()}@example.com",
                                             team_id=team.id, roles={Role.LEARNER}))
                expires = now + timedelta(days=days)
                db.session.add(Certificate(
                    public_id=f"board-{no}", user_id=agent.id, programme_id=programme.id, holder_name=name,
                    programme_title=programme.title, issuer_name="客戶服務中心", issued_at=expires - timedelta(days=730),
                    expires_at=expires, renew_from=expires - timedelta(days=90),
                    grace_until=expires + timedelta(days=60)))
            db.session.commit()
        db.session.remove()
    return ["吳即將", "鄭快到"]


def _enrolled(live_app, code: str) -> dict[str, object]:
    with live_app.app_context():
        rows = db.session.execute(select(User.name, Enrolment.due_date).join(Enrolment, Enrolment.user_id == User.id)
                                  .join(Course, Course.id == Enrolment.course_id).where(Course.code == code)).all()
        db.session.remove()
        return dict(rows)


def test_a_manager_of_two_teams_assigns_a_refresher_to_those_whose_certificates_expire(page, live_app, tmp_path):
    expiring = _second_team_with_certificates_expiring(live_app)
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "M0001")
    nav_link(page, "我的團隊").click()
    expect(page.get_by_role("heading", name="準備度看板", exact=True)).to_be_visible()
    table = page.locator("table.board-table")
    expect(table.get_by_role("link", name="陳新人")).to_be_visible()  # the first team
    expect(table.get_by_role("link", name="蔡還早")).to_be_visible()  # and the second
    check_a11y(page, "board-zh-Hant")

    page.get_by_label("證書到期").select_option(label="30 天內")
    page.get_by_role("button", name="顯示").click()
    page.wait_for_url("**expiring=30**")  # the filtered board, not the one the click left
    rows = table.locator("tbody th a")
    expect(rows).to_have_count(len(expiring))
    assert sorted(rows.all_inner_texts()) == sorted(expiring)
    check_a11y(page, "board-expiring-30")

    page.get_by_label("選取本頁所有同仁").check()  # everyone the filter kept, in one tick
    for name in expiring:
        expect(page.get_by_label(f"選取 {name}")).to_be_checked()
    with live_app.app_context():
        due = local_today() + timedelta(days=21)
    page.get_by_label("要指派的課程").select_option("PRO-205")
    page.get_by_label("完成期限").fill(due.isoformat())
    page.get_by_role("button", name="指派此課程").click()
    expect(page.locator(".flash--success")).to_contain_text("已建立或更新 2 筆選課")
    assert "expiring=30" in page.url  # back to the board as it was filtered
    enrolled = _enrolled(live_app, "PRO-205")
    assert all(enrolled.get(name) == due for name in expiring) and "蔡還早" not in enrolled
    check_a11y(page, "board-assigned")

    # The same people get a whole certification programme's courses in one action.
    page.get_by_label("選取本頁所有同仁").check()
    page.get_by_label("要指派的認證方案").select_option(label="客服專員一級認證")
    page.get_by_label("完成期限").fill((due + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="指派此認證方案的課程").click()
    flash = page.locator(".flash--success")
    expect(flash).to_contain_text("客服專員一級認證：")
    expect(flash).to_contain_text("指派給 2 人")
    expect(flash).to_contain_text("2 項已選修或已完成")  # PRO-205, just assigned to both
    assert all(_enrolled(live_app, "FND-101").get(name) == due + timedelta(days=30) for name in expiring)
    assert _enrolled(live_app, "PRO-205") == enrolled  # left as it was, its due date too
    check_a11y(page, "board-programme-assigned")

    with page.expect_download() as download:
        page.get_by_role("link", name="匯出 CSV").click()
    path = tmp_path / "board.csv"
    download.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("工號,姓名,團隊,狀態")
    assert all(name in text for name in expiring) and "蔡還早" not in text  # the filter applies

    table.get_by_role("link", name=expiring[0]).click()
    expect(page.get_by_role("heading", name=expiring[0])).to_be_visible()
    expect(page.get_by_text("PRO-205")).to_be_visible()
    check_a11y(page, "board-person-zh-Hant")


def _switch_language(page, label, button):
    page.locator(".user-link").click()
    page.locator("#locale-select").select_option(label=label)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_the_board_and_a_record_in_english(page, live_app):
    _second_team_with_certificates_expiring(live_app)
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "M0001")
    page.goto("/board/")
    _switch_language(page, "English", "切換")
    try:
        expect(page.get_by_role("heading", name="Readiness board", exact=True)).to_be_visible()
        check_a11y(page, "board-en")
        page.locator("table.board-table").get_by_role("link", name="林資深").click()
        expect(page.get_by_role("heading", name="Certificates")).to_be_visible()
        check_a11y(page, "board-person-en")
    finally:
        _switch_language(page, "繁體中文", "Switch")
