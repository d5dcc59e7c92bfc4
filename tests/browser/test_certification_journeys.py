"""The certification journey of the demo: a learner one step short finishes the last simulated call,
applies; a trainer reviews and issues; the learner downloads the PDF; a stranger verifies it from the QR
link; the certificate is revoked and the public page says so at once."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y, login, reply_by_key

pytestmark = pytest.mark.browser


def _logout(page) -> None:
    page.get_by_role("button", name="登出").click()
    page.wait_for_url("**/login**")


def test_one_step_short_learner_is_certified_verified_and_revoked(page, browser, live_server, tmp_path):
    login(page, "L0003")
    page.get_by_role("navigation", name="主選單").get_by_role("link", name="認證").click()
    check_a11y(page, "certification-index")
    page.get_by_role("link", name="客服專員一級認證").click()
    expect(page.get_by_text("已達成 11 / 12 項條件")).to_be_visible()
    assert page.get_by_role("button", name="申請認證").count() == 0
    check_a11y(page, "certification-programme-short")

    # The last step: the complaint call, in assessment mode, done well.
    page.get_by_role("link", name=re.compile("前往這一步")).click()
    page.get_by_role("button", name="開始正式評核").click()
    for _turn in range(10):
        reply_by_key(page, 0)
    page.wait_for_url(re.compile(r"/debrief"))
    assert "通過" in page.locator(".result-box").inner_text()

    page.goto("/certification/programmes/rep-level-1")
    expect(page.get_by_text("已達成 12 / 12 項條件")).to_be_visible()
    page.get_by_role("button", name="申請認證").click()
    expect(page.get_by_text(re.compile("申請已送出"))).to_be_visible()
    expect(page.get_by_text("已申請，等待審核").first).to_be_visible()
    check_a11y(page, "certification-applied")
    _logout(page)

    # The trainer takes the application, checks the evidence and issues.
    login(page, "T0001")
    page.get_by_role("navigation", name="主選單").get_by_role("link", name="認證審核").click()
    check_a11y(page, "certification-reviews")
    page.get_by_role("link", name=re.compile("黃雅婷")).click()
    expect(page.get_by_text("已達成 12 / 12 項條件")).to_be_visible()
    check_a11y(page, "certification-application")
    page.get_by_role("button", name="開始審核").click()
    page.get_by_role("button", name="發出證書").click()
    expect(page.get_by_text("已發出證書。")).to_be_visible()
    _logout(page)

    # The learner downloads the PDF: it carries her name in Chinese, with the font embedded.
    login(page, "L0003")
    page.goto("/certification/programmes/rep-level-1")
    page.get_by_role("link", name="查看證書").click()
    check_a11y(page, "certificate-holder")
    pdf_link = page.get_by_role("link", name="下載證書（PDF）").get_attribute("href")
    response = page.request.get(pdf_link)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "黃雅婷" in text and "客服專員一級認證" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CertTC" in fonts
    verify_url = page.get_by_role("link", name="開啟").get_attribute("href")
    assert "/verify/" in verify_url

    # A stranger (no login) follows the QR link; the page speaks the browser's language (Taiwan's here).
    stranger = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="zh-TW").new_page()
    stranger.goto("/verify/" + verify_url.split("/verify/", 1)[1])  # the QR's host is the public address
    status = stranger.get_by_role("status")
    assert status.inner_text().strip() == "這張證書有效。"
    expect(stranger.get_by_text("黃雅婷")).to_be_visible()
    assert stranger.locator('meta[name="robots"]').get_attribute("content") == "noindex, nofollow"
    check_a11y(stranger, "certificate-verify-valid")

    # Revoked by the trainer: the public page says so on the next request.
    _logout(page)
    login(page, "T0001")
    page.goto(pdf_link.rsplit("/", 1)[0])
    page.get_by_label(re.compile("理由")).fill("示範：評核紀錄有誤，需重新評核。")
    page.get_by_role("button", name="撤銷證書").click()
    expect(page.get_by_text(re.compile("已撤銷證書"))).to_be_visible()
    stranger.reload()
    assert stranger.get_by_role("status").inner_text().strip().startswith("這張證書已於")
    assert "撤銷" in stranger.get_by_role("status").inner_text()
    check_a11y(stranger, "certificate-verify-revoked")
    stranger.context.close()
