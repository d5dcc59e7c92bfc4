from sqlalchemy import select

from lms.accounts.models import Role, Team, User
from lms.audit.models import AuditEvent
from lms.db import db


def _user_form(**overrides):
    data = {"employee_no": "N001", "name": "新同事", "email": "new@example.com", "hire_date": "2026-11-01",
            "team_name": "", "roles": ["learner"], "locale": "zh_Hant", "is_active": "y", "send_invitation": "y"}
    data.update(overrides)
    return data


def test_admin_creates_user_with_invitation(client, auth, make, outbox):
    auth.login(make.user(Role.ADMIN))
    response = client.post("/admin/users/new", data=_user_form())
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.employee_no == "N001"))
    assert user.roles == {Role.LEARNER} and user.password_hash is None
    assert outbox and outbox[-1]["To"] == "new@example.com"
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "user.created", AuditEvent.object_id == str(user.id))) is not None


def test_duplicate_employee_number_is_a_field_error(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    make.user(employee_no="N001")
    response = client.post("/admin/users/new", data=_user_form(email="other@example.com"))
    assert response.status_code == 200
    assert "N001" in response.get_data(as_text=True) and b'aria-invalid="true"' in response.data


def test_invalid_email_and_missing_role_are_refused(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    response = client.post("/admin/users/new", data=_user_form(email="nope", roles=[]))
    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.employee_no == "N001")) is None


def test_role_change_is_audited_with_before_and_after(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    learner = make.user()
    team = make.team()
    response = client.post(f"/admin/users/{learner.id}", data=_user_form(
        employee_no=learner.employee_no, email=learner.email, name=learner.name, team_name=team.name,
        roles=["learner", "trainer"]))
    assert response.status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.roles_changed"))
    assert event.before["roles"] == ["learner"] and event.after["roles"] == ["learner", "trainer"]
    assert db.session.get(User, learner.id).team_id == team.id


def test_admin_cannot_remove_own_admin_role_or_deactivate_self(client, auth, make):
    admin = make.user(Role.ADMIN)
    auth.login(admin)
    response = client.post(f"/admin/users/{admin.id}", data=_user_form(
        employee_no=admin.employee_no, email=admin.email, roles=["learner"]))
    assert response.status_code == 200
    client.post(f"/admin/users/{admin.id}/deactivate")
    assert db.session.get(User, admin.id).is_active and Role.ADMIN in db.session.get(User, admin.id).roles


def test_deactivate_and_reactivate(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    learner = make.user()
    client.post(f"/admin/users/{learner.id}/deactivate")
    assert not db.session.get(User, learner.id).is_active
    client.post(f"/admin/users/{learner.id}/activate")
    assert db.session.get(User, learner.id).is_active


def test_user_list_search_and_filters(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    team = make.team("夜班組")
    make.user(name="王大明", team=team)
    make.user(Role.TRAINER, name="李講師")
    html = client.get("/admin/users?q=大明").get_data(as_text=True)
    assert "王大明" in html and "李講師" not in html
    html = client.get("/admin/users?role=trainer").get_data(as_text=True)
    assert "李講師" in html and "王大明" not in html
    html = client.get(f"/admin/users?team_id={team.id}").get_data(as_text=True)
    assert "王大明" in html and "李講師" not in html
    html = client.get("/admin/users?team=夜班組").get_data(as_text=True)
    assert "王大明" in html and "李講師" not in html
    html = client.get(f"/admin/users?q={make.user(name='趙小華').employee_no.lower()}").get_data(as_text=True)
    assert "趙小華" in html and "王大明" not in html
    # Garbage filters are ignored, not errors.
    assert client.get("/admin/users?team_id=abc&role=wizard&status=zzz&page=-3").status_code == 200


def test_team_create_edit_with_managers(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    manager = make.user(Role.MANAGER)
    learner = make.user()
    assert client.post("/admin/teams/new", data={"name": "客服三組", "managers": [str(manager.id)]}).status_code == 302
    team = db.session.scalar(select(Team).where(Team.name == "客服三組"))
    assert [m.id for m in team.managers] == [manager.id]
    # A user without the manager role is not offered, so posting one is refused.
    response = client.post(f"/admin/teams/{team.id}", data={"name": "客服三組", "managers": [str(learner.id)]})
    assert response.status_code == 200
    # Duplicate names are refused.
    response = client.post("/admin/teams/new", data={"name": "客服三組"})
    assert response.status_code == 200 and "客服三組" in response.get_data(as_text=True)
    assert "客服三組" in client.get("/admin/teams").get_data(as_text=True)


def test_audit_log_lists_and_filters(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    learner = make.user()
    client.post(f"/admin/users/{learner.id}/deactivate")
    html = client.get("/admin/audit/?action=user.deactivated").get_data(as_text=True)
    assert "user.deactivated" in html and learner.employee_no in html
    assert client.get(f"/admin/audit/?object_type=user&object_id={learner.id}").status_code == 200
    assert client.get("/admin/audit/?actor_id=zz&page=abc").status_code == 200


def test_unknown_team_name_is_a_field_error(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    response = client.post("/admin/users/new", data=_user_form(team_name="沒有這組"))
    assert response.status_code == 200 and "沒有這組" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.employee_no == "N001")) is None


def test_teams_page_searches_and_pages(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    for i in range(55):
        make.team(f"分組{i:02d}")
    html = client.get("/admin/teams").get_data(as_text=True)
    assert "分組00" in html and "分組54" not in html and 'rel="next"' in html
    html = client.get("/admin/teams?q=分組54").get_data(as_text=True)
    assert "分組54" in html and "分組00" not in html


def test_unknown_user_or_team_is_404(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    assert client.get("/admin/users/999999").status_code == 404
    assert client.get("/admin/teams/999999").status_code == 404
