"""The personal-data pages: administrators only, in words, the exports downloaded and audited."""

import json
import re

import pytest
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.audit.models import AuditEvent
from lms.db import db
from tests.conftest import Auth

PAGES = [
    "/admin/privacy/",
    "/admin/privacy/people/{id}",
    "/admin/privacy/people/{id}/export.json",
    "/admin/privacy/people/{id}/export.pdf",
    "/admin/privacy/people/{id}/erase",
    "/admin/privacy/retention",
]
POSTS = ["/admin/privacy/people/{id}/erase", "/admin/privacy/retention"]


@pytest.fixture
def people(make):
    make.content()
    person = make.user(name="黃離職", active=False)
    return {"person": person, **{role.value: make.user(role) for role in Role}}


@pytest.mark.parametrize("role", ["learner", "trainer", "manager"])
def test_only_administrators(app, client, people, role):
    Auth(client).login(people[role])
    for url in PAGES:
        assert client.get(url.format(id=people["person"].id)).status_code == 403, url
    for url in POSTS:
        assert client.post(url.format(id=people["person"].id), data={}).status_code == 403, url


def test_anonymous_is_sent_to_log_in(app, client, people):
    for url in PAGES:
        response = client.get(url.format(id=people["person"].id))
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    for url in POSTS:
        assert client.post(url.format(id=people["person"].id), data={}).status_code == 401


def test_an_unknown_person_is_not_found(app, client, people):
    Auth(client).login(people["admin"])
    for url in PAGES[1:5]:
        assert client.get(url.format(id=999999)).status_code == 404, url


def test_the_list_shows_departed_people_and_finds_anyone(app, client, people):
    Auth(client).login(people["admin"])
    html = client.get("/admin/privacy/").get_data(as_text=True)
    assert "黃離職" in html and people["learner"].name not in html
    assert "原樣保留" in html and "登入工作階段與瀏覽器" in html  # the registry in words
    found = client.get("/admin/privacy/", query_string={"q": people["learner"].employee_no}).get_data(
        as_text=True
    )
    assert people["learner"].name in found


def test_an_active_persons_page_says_to_deactivate_first(app, client, people):
    Auth(client).login(people["admin"])
    html = client.get(f"/admin/privacy/people/{people['learner'].id}").get_data(as_text=True)
    assert "只能清除離職人員的資料，請先停用此帳號。" in html
    erase = client.get(f"/admin/privacy/people/{people['learner'].id}/erase").get_data(as_text=True)
    assert "只能清除離職人員的資料" in erase and 'name="employee_no"' not in erase


@pytest.mark.parametrize(
    "locale,words", [("en", "Erase personal data"), ("zh_Hans", "清除个人资料"), ("zh_Hant", "清除個人資料")]
)
def test_pages_in_three_languages(app, client, people, locale, words):
    admin = db.session.get(User, people["admin"].id)
    admin.locale = locale
    db.session.commit()
    Auth(client).login(admin)
    assert words in client.get(f"/admin/privacy/people/{people['person'].id}").get_data(as_text=True)


def test_the_exports_download_and_are_audited(app, client, people):
    Auth(client).login(people["admin"])
    person = people["person"]
    response = client.get(f"/admin/privacy/people/{person.id}/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["person"]["name"] == "黃離職"
    pdf = client.get(f"/admin/privacy/people/{person.id}/export.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "privacy.exported")).all()
    assert sorted(e.summary for e in events) == ["JSON", "PDF"]
    assert {e.actor_id for e in events} == {people["admin"].id} and {e.object_id for e in events} == {
        str(person.id)
    }


def test_the_audit_log_shows_the_export_in_words(app, client, people):
    Auth(client).login(people["admin"])
    client.get(f"/admin/privacy/people/{people['person'].id}/export.json")
    html = client.get("/admin/audit/").get_data(as_text=True)
    visible = re.sub(r"<[^>]*>", " ", html)
    assert "個人資料已匯出" in visible and "privacy.exported" not in visible and "，格式 JSON" in visible
