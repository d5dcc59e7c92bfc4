"""The administrator's webhook pages, for every role: register (the URL checked, the secret shown once),
edit, the delivery log with its attempts, send a test event, send again, a new secret."""

import re

import pytest
from sqlalchemy import select

from lms.accounts.models import Locale, Role
from lms.audit.models import AuditEvent
from lms.db import db
from lms.webhooks import endpoints, events
from lms.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

ROLES = [Role.LEARNER, Role.TRAINER, Role.MANAGER]


@pytest.fixture
def admin(make):
    return make.user(Role.ADMIN, name="管理員")


def _endpoint(admin, url, wanted=(events.CERTIFICATE_ISSUED,)):
    endpoint = endpoints.create_endpoint(admin, url, "人資系統", list(wanted))
    db.session.commit()
    return endpoint


def _form(url, wanted=(events.CERTIFICATE_ISSUED,), active=True, description="人資系統"):
    return {"url": url, "description": description, "events": list(wanted), **({"is_active": "y"} if active else {})}


def test_an_admin_registers_an_endpoint_and_sees_its_secret_once(client, auth, admin, receiver):
    auth.login(admin)
    page = client.get("/admin/webhooks/").get_data(as_text=True)
    assert "尚未登記任何端點" in page
    form = client.get("/admin/webhooks/new").get_data(as_text=True)
    for label in ("已發證", "證書已撤銷", "證書已到期", "指派的課程已完成"):
        assert label in form
    assert "certificate.issued" not in form.replace('value="certificate.issued"', "")
    response = client.post("/admin/webhooks/new", data=_form(receiver.url, list(events.EVENT_TYPES)))
    assert response.status_code == 200
    endpoint = db.session.scalar(select(WebhookEndpoint))
    html = response.get_data(as_text=True)
    assert endpoint.secret in html and "只顯示這一次" in html
    assert endpoint.events == list(events.EVENT_TYPES) and endpoint.is_active
    page = client.get(f"/admin/webhooks/{endpoint.id}").get_data(as_text=True)
    assert endpoint.secret not in page and receiver.url in page
    assert endpoint.secret not in client.get("/admin/webhooks/").get_data(as_text=True)
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "webhook.created"))
    assert audit.after["url"] == receiver.url and "secret" not in audit.after


@pytest.mark.parametrize(("url", "message"), [
    ("", "請輸入端點的網址"),
    ("ftp://hr.example.com/hooks", "網址必須以 http:// 或 https:// 開頭"),
    ("javascript:alert(1)", "網址必須以 http:// 或 https:// 開頭"),
    ("https://", "網址必須包含主機名稱"),
    ("http://hr.example.com:port/x", "這不是有效的網址"),
    ("https://" + "a" * 2000 + ".com", "網址超過 2,000 個字元"),
])
def test_a_bad_url_is_refused_under_the_field_and_nothing_is_saved(client, auth, admin, url, message):
    auth.login(admin)
    response = client.post("/admin/webhooks/new", data=_form(url))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html and 'id="url-error"' in html
    assert db.session.scalar(select(WebhookEndpoint)) is None


def test_an_endpoint_needs_an_event(client, auth, admin):
    auth.login(admin)
    html = client.post("/admin/webhooks/new", data=_form("https://hr.example.com/x", wanted=())).get_data(as_text=True)
    assert "請至少選擇一種事件" in html and db.session.scalar(select(WebhookEndpoint)) is None
    html = client.post("/admin/webhooks/new", data=_form("https://hr.example.com/x", wanted=("user.deleted",))
                       ).get_data(as_text=True)
    assert 'id="events-error"' in html and db.session.scalar(select(WebhookEndpoint)) is None


def test_an_admin_edits_an_endpoint_and_switches_it_off(client, auth, admin):
    endpoint = _endpoint(admin, "https://hr.example.com/a")
    auth.login(admin)
    assert "https://hr.example.com/a" in client.get(f"/admin/webhooks/{endpoint.id}/edit").get_data(as_text=True)
    response = client.post(f"/admin/webhooks/{endpoint.id}/edit", data=_form(
        "https://hr.example.com/b", (events.CERTIFICATE_REVOKED, events.CERTIFICATE_EXPIRED), active=False))
    assert response.status_code == 302
    db.session.refresh(endpoint)
    assert endpoint.url == "https://hr.example.com/b" and not endpoint.is_active
    assert endpoint.events == [events.CERTIFICATE_REVOKED, events.CERTIFICATE_EXPIRED]
    listing = client.get("/admin/webhooks/").get_data(as_text=True)
    assert "已停用" in listing and "證書已撤銷、證書已到期" in listing
    # Switched off: the test button says why it sends nothing.
    html = client.post(f"/admin/webhooks/{endpoint.id}/test", follow_redirects=True).get_data(as_text=True)
    assert "這個端點已停用" in html and db.session.scalar(select(WebhookDelivery)) is None
    refused = client.post(f"/admin/webhooks/{endpoint.id}/edit", data=_form("mailto:hr@example.com"))
    assert "網址必須以 http:// 或 https:// 開頭" in refused.get_data(as_text=True)


def test_the_log_shows_each_attempt_and_send_again_sends_the_event_again(client, auth, admin):
    from tests.webhooks.receiver import start_receiver

    receiver, server = start_receiver(statuses=[500, 200])
    try:
        endpoint = _endpoint(admin, receiver.url)
        auth.login(admin)
        response = client.post(f"/admin/webhooks/{endpoint.id}/test", follow_redirects=True)
        html = response.get_data(as_text=True)
        assert "已送出測試事件" in html and "測試事件" in html
        assert "HTTP 500" in html and "失敗，將重試" in html and "下次嘗試" in html
        delivery = db.session.scalar(select(WebhookDelivery))
        html = client.post(f"/admin/webhooks/deliveries/{delivery.id}/send-again",
                           follow_redirects=True).get_data(as_text=True)
        assert "HTTP 200" in html and "已送達" in html
        db.session.refresh(delivery)
        assert delivery.status == DeliveryStatus.DELIVERED and len(receiver.requests) == 2
        assert "webhook.test" not in html
    finally:
        server.shutdown()
        server.server_close()


def test_a_new_secret_is_shown_once_and_signs_what_follows(client, auth, admin):
    endpoint = _endpoint(admin, "https://hr.example.com/a")
    old = endpoint.secret
    auth.login(admin)
    html = client.post(f"/admin/webhooks/{endpoint.id}/secret").get_data(as_text=True)
    db.session.refresh(endpoint)
    assert endpoint.secret != old and endpoint.secret in html


def test_unknown_endpoints_and_deliveries_are_not_found(client, auth, admin):
    auth.login(admin)
    assert client.get("/admin/webhooks/999").status_code == 404
    assert client.get("/admin/webhooks/999/edit").status_code == 404
    assert client.post("/admin/webhooks/999/test").status_code == 404
    assert client.post("/admin/webhooks/999/secret").status_code == 404
    assert client.post("/admin/webhooks/deliveries/999/send-again").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_reach_the_webhook_pages(client, auth, make, admin, role):
    endpoint = _endpoint(admin, "https://hr.example.com/a")
    auth.login(make.user(role))
    for url in ("/admin/webhooks/", "/admin/webhooks/new", f"/admin/webhooks/{endpoint.id}",
                f"/admin/webhooks/{endpoint.id}/edit"):
        assert client.get(url).status_code == 403, url
    for url in ("/admin/webhooks/new", f"/admin/webhooks/{endpoint.id}/edit", f"/admin/webhooks/{endpoint.id}/test",
                f"/admin/webhooks/{endpoint.id}/secret", "/admin/webhooks/deliveries/1/send-again"):
        assert client.post(url, data=_form("https://evil.example.com")).status_code == 403, url
    db.session.refresh(endpoint)
    assert endpoint.url == "https://hr.example.com/a"


def test_anonymous_visitors_are_sent_to_the_login_page(client, admin):
    endpoint = _endpoint(admin, "https://hr.example.com/a")
    assert "/login" in client.get("/admin/webhooks/").headers["Location"]
    assert client.post(f"/admin/webhooks/{endpoint.id}/test").status_code == 401


def test_the_pages_speak_english_and_simplified_chinese(client, auth, make):
    for locale, words in (("en", ("Register an endpoint", "Certificate issued")),
                          ("zh_Hans", ("登记端点", "证书已到期"))):
        admin = make.user(Role.ADMIN, locale=Locale(locale))
        auth.login(admin)
        html = client.get("/admin/webhooks/new").get_data(as_text=True)
        assert all(w in html for w in words), (locale, words)
        auth.logout()


def test_the_audit_log_tells_of_endpoints_in_words(client, auth, admin):
    endpoint = _endpoint(admin, "https://hr.example.com/a")
    auth.login(admin)
    client.post(f"/admin/webhooks/{endpoint.id}/edit", data=_form("https://hr.example.com/b",
                                                                   (events.CERTIFICATE_REVOKED,), active=False))
    html = client.get("/admin/audit/").get_data(as_text=True)
    table = re.sub(r"<[^>]+>", " ", html.split("<table", 2)[-1].split("</table>", 1)[0])  # the events, as read
    assert "已登記 Webhook 端點" in table and "已編輯 Webhook 端點" in table and "https://hr.example.com/b" in table
    assert "webhook.updated" not in table and "certificate.revoked" not in table
    assert "證書已撤銷" in table  # the events it asks for, by their labels
