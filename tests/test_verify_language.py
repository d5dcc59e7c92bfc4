"""The anonymous verification page speaks the browser's language; the footer names the organisation in
the page's language (issue 12, item 28)."""

import pytest


@pytest.mark.parametrize("accept,lang", [
    ("en-GB,en;q=0.9", "en"), ("zh-CN,zh;q=0.9,en;q=0.5", "zh-Hans"), ("zh-TW,zh;q=0.9", "zh-Hant"),
    ("fr-FR,fr;q=0.9,en;q=0.4", "en"), ("fr", "zh-Hant"), ("", "zh-Hant"), ("zh-Hans-CN", "zh-Hans"),
])
def test_the_verification_page_follows_accept_language(client, accept, lang):
    response = client.get("/verify/no-such-certificate", headers={"Accept-Language": accept} if accept else {})
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in response.get_data(as_text=True)
    assert "Accept-Language" in response.headers["Vary"]


def test_a_language_chosen_on_the_site_wins_over_the_browser(client):
    client.post("/locale", data={"locale": "zh_Hans", "next": "/login"})
    html = client.get("/verify/x", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in html


def test_other_anonymous_pages_stay_in_the_default_language(client):
    html = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="zh-Hant">' in html


@pytest.mark.parametrize("locale,name", [("en", "Customer Service Centre"), ("zh_Hans", "客户服务中心"),
                                         ("zh_Hant", "客戶服務中心")])
def test_the_footer_names_the_organisation_in_the_page_language(client, locale, name):
    client.post("/locale", data={"locale": locale, "next": "/login"})
    footer = client.get("/login").get_data(as_text=True).split('<footer class="site-footer">')[1]
    assert name in footer and (locale == "zh_Hant" or "客戶服務中心" not in footer)
