"""The holder of a certificate downloads the signed Open Badges credential from the certificate page; a
stranger's browser finds the same offer on the public verification page, and the issuer and achievement
pages the credential names; a verifier checks the download with the published keys and status list
only. Every page passes axe."""

import base64
import gzip
import re
from pathlib import Path
from urllib.parse import urlsplit

import jwt
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y, login

pytestmark = pytest.mark.browser
BUTTON = "下載已簽署的電子憑證（Open Badges 3.0）"


def _verify(request, token: str) -> tuple[dict, bool]:
    """(payload, revoked) from the published JWKS and status list alone (PyJWT, not the app's joserfc)."""
    kid = jwt.get_unverified_header(token)["kid"]
    jwks = request.get(urlsplit(kid).path.rsplit("/keys/", 1)[0] + "/jwks.json").json()
    key = next(k for k in jwks["keys"] if k["kid"] == kid)
    payload = jwt.decode(token, jwt.PyJWK(key).key, algorithms=[key["alg"]])
    entry = payload["credentialStatus"]
    listed = request.get(urlsplit(entry["statusListCredential"]).path).text()
    subject = jwt.decode(listed, jwt.PyJWK(key).key, algorithms=[key["alg"]])["credentialSubject"]
    encoded = subject["encodedList"][1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    position = int(entry["statusListIndex"])
    return payload, bool(bits[position // 8] >> (7 - position % 8) & 1)


def test_a_holder_downloads_the_signed_credential_and_a_stranger_finds_it_too(page, browser, live_server, tmp_path):
    login(page, "L0002")  # holds the first certificate of the demo
    page.goto("/certification/programmes/rep-level-1")
    page.get_by_role("link", name="查看證書").first.click()
    button = page.get_by_role("link", name=BUTTON)
    expect(button).to_be_visible()
    check_a11y(page, "certificate-holder-badge")
    with page.expect_download() as download:
        button.click()
    path = tmp_path / "badge.jwt"
    download.value.save_as(path)
    assert download.value.suggested_filename.endswith(".jwt")
    token = path.read_text()
    payload, revoked = _verify(page.request, token)
    assert not revoked and payload["credentialSubject"]["achievement"]["name"] == "客服專員一級認證"
    verify_url = page.get_by_role("link", name="開啟").get_attribute("href")

    stranger = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="zh-TW").new_page()
    stranger.goto(urlsplit(verify_url).path)
    offer = stranger.get_by_role("link", name=BUTTON)
    expect(offer).to_be_visible()
    check_a11y(stranger, "certificate-verify-badge")
    with stranger.expect_download() as public_download:
        offer.click()
    public_token = Path(public_download.value.path()).read_text()
    assert _verify(stranger.request, public_token)[0]["id"] == payload["id"]

    stranger.get_by_role("link", name="關於發證單位").click()
    expect(stranger.get_by_role("heading", level=1)).to_have_text("客戶服務中心")
    check_a11y(stranger, "issuer-profile")
    stranger.goto(urlsplit(payload["credentialSubject"]["achievement"]["id"]).path)
    expect(stranger.get_by_role("heading", name="持證人完成的條件")).to_be_visible()
    criteria = stranger.locator("ul.criteria").inner_text()
    assert "筆試" in criteria or "考試" in criteria
    assert not re.search(r"\b[A-Z]{3}-\d{3}\b", criteria)  # no course codes
    check_a11y(stranger, "achievement")
    stranger.context.close()
