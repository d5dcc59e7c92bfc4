"""An administrator registers a webhook endpoint (a bad URL refused under its field first), copies the
secret shown once, sends a test event to a local receiver and reads the delivery in the log; the receiver
checks the signature with that secret. axe-core clean throughout."""

import json
import time

import pytest
from playwright.sync_api import expect

from lms.webhooks import signing
from tests.browser.conftest import check_a11y, login, nav_link
from tests.webhooks.receiver import start_receiver

pytestmark = pytest.mark.browser


def test_an_admin_registers_an_endpoint_and_sees_a_delivery_in_the_log(page):
    receiver, server = start_receiver(statuses=[200])
    try:
        login(page, "A0001")
        nav_link(page, "Webhook").click()
        expect(page.get_by_role("heading", name="Webhook", exact=True)).to_be_visible()
        check_a11y(page, "webhooks-index")
        page.get_by_role("link", name="登記端點").click()
        page.get_by_label("網址").fill("ftp://hr.example.com/hooks")
        page.get_by_label("說明").fill("人資系統（測試）")
        page.get_by_label("已發證").check()
        page.get_by_label("指派的課程已完成").check()
        page.get_by_role("button", name="儲存").click()
        expect(page.locator("#url-error")).to_have_text("網址必須以 http:// 或 https:// 開頭。")
        check_a11y(page, "webhooks-form-error")

        page.get_by_label("網址").fill(receiver.url)
        page.get_by_role("button", name="儲存").click()
        expect(page.get_by_role("heading", name="端點已登記，請立即複製簽章密鑰")).to_be_visible()
        secret = page.get_by_role("textbox", name="簽章密鑰").input_value()
        assert secret.startswith("whsec_")
        check_a11y(page, "webhooks-secret")

        page.get_by_role("link", name="前往端點").click()
        expect(page.get_by_text("尚未傳送任何事件到這個端點")).to_be_visible()
        assert secret not in page.content()
        page.get_by_role("button", name="送出測試事件").click()
        expect(page.get_by_text("已送出測試事件，傳送結果列在下方。")).to_be_visible()
        row = page.locator("#delivery-log tbody tr").first
        expect(row).to_contain_text("測試事件")
        expect(row).to_contain_text("已送達")
        expect(row).to_contain_text("HTTP 200")
        assert "webhook.test" not in page.locator("main").inner_text()
        check_a11y(page, "webhooks-log")

        [request] = receiver.requests
        assert signing.verify(secret, request.headers["LMS-Signature"], request.body, now=time.time())
        assert json.loads(request.body)["type"] == "webhook.test"
        assert request.headers["LMS-Event-Id"] in page.locator("#delivery-log").inner_text()
    finally:
        server.shutdown()
        server.server_close()
