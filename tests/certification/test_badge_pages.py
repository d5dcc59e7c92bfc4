"""The public issuer and achievement pages (people and machines), and where a holder downloads the signed
credential: who may open what, in which language, with no internal code on a page a person reads."""

import pytest

from lms.accounts.models import Role
from lms.certification import workflow
from lms.certification.models import Certificate
from lms.certification.programmes import get_programme
from lms.db import db
from tests.certification.helpers import make_ready

CODES = ("TST-101", "tst-fixed", "tst-call", "basics", "written", "observed", "signoff", "scenario")


@pytest.fixture
def cert(make):
    make.content()
    learner = make.user(Role.LEARNER, name="陳怡君")
    trainer = make.user(Role.TRAINER)
    make_ready(learner, trainer)
    issued = workflow.issue_certificate(workflow.apply_for_certificate(learner, get_programme("tst-cert")), trainer)
    db.session.commit()
    return issued


def test_the_ids_in_a_credential_answer_without_a_login(cert, client):
    credential = client.get(f"/verify/{cert.public_id}/credential.json").get_json()
    issuer_path = credential["issuer"]["id"].split("://", 1)[1].split("/", 1)[1]
    achievement_path = credential["credentialSubject"]["achievement"]["id"].split("://", 1)[1].split("/", 1)[1]
    assert (issuer_path, achievement_path) == ("issuer", "achievements/tst-cert")
    for path in (issuer_path, achievement_path):
        page = client.get(f"/{path}")
        assert page.status_code == 200 and page.mimetype == "text/html"
        data = client.get(f"/{path}", headers={"Accept": "application/ld+json"})
        assert data.status_code == 200 and data.mimetype == "application/json"
        assert "Accept" in data.headers["Vary"] and data.headers["Cache-Control"].startswith("public")
        assert "public" not in page.headers.get("Cache-Control", "")
        assert client.get(f"/{path}.json").get_json() == data.get_json()
    profile = client.get("/issuer.json").get_json()
    assert profile["id"] == credential["issuer"]["id"] and profile["type"] == ["Profile"]
    achievement = client.get("/achievements/tst-cert.json").get_json()
    assert achievement["id"] == credential["credentialSubject"]["achievement"]["id"]
    assert achievement["criteria"] == credential["credentialSubject"]["achievement"]["criteria"]


def test_criteria_are_in_words_in_the_readers_language_without_codes(cert, client):
    narrative = client.get("/achievements/tst-cert.json").get_json()["criteria"]["narrative"]
    assert "測試課程" in narrative or "課程" in narrative
    assert "實地觀察" in narrative and "至少 60%" in narrative
    for code in CODES:
        assert code not in narrative
    english = client.get("/achievements/tst-cert", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Exam" in english and "at least 60%" in english and "Observed practice" in english
    body = english.split("<main", 1)[1]
    for code in CODES:
        assert f">{code}<" not in body and f"：{code}" not in body
    simplified = client.get("/achievements/tst-cert", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "考试" in simplified or "测验" in simplified


def test_unknown_programmes_and_lists_answer_404(client, make):
    make.content()
    assert client.get("/achievements/nope").status_code == 404
    assert client.get("/achievements/nope.json").get_json() == {"status": "not_found"}
    assert client.get("/issuer/status/suspension/0").status_code == 404
    assert client.get("/issuer/status/revocation/99999").status_code == 404
    assert client.get("/issuer/keys/unknown").status_code == 404


def test_the_holder_downloads_the_signed_credential_from_the_certificate_page(cert, client, auth, make):
    auth.login(cert.user)
    page = client.get(f"/certification/certificates/{cert.public_id}").get_data(as_text=True)
    assert "下載已簽署的電子憑證（Open Badges 3.0）" in page
    response = client.get(f"/certification/certificates/{cert.public_id}/credential.jwt")
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    assert response.get_data(as_text=True).count(".") == 2
    client.post(f"/certification/certificates/{cert.public_id}/visibility", data={"public": "0"})
    # hidden from the public: the holder still downloads it; the public address says nothing
    assert client.get(f"/certification/certificates/{cert.public_id}/credential.jwt").status_code == 200
    assert client.get(f"/verify/{cert.public_id}/credential.jwt").status_code == 404
    auth.logout()
    auth.login(make.user(Role.LEARNER))
    assert client.get(f"/certification/certificates/{cert.public_id}/credential.jwt").status_code == 404


def test_the_verification_page_offers_the_signed_credential_in_three_languages(cert, client):
    for language, words in (("zh-TW", "下載已簽署的電子憑證（Open Badges 3.0）"),
                            ("zh-CN", "下载已签名的电子凭证（Open Badges 3.0）"),
                            ("en", "Download the signed credential (Open Badges 3.0)")):
        page = client.get(f"/verify/{cert.public_id}", headers={"Accept-Language": language}).get_data(as_text=True)
        assert words in page, language


def test_a_revoked_certificates_page_still_says_revoked_and_offers_the_credential(cert, client):
    workflow.revoke_certificate(db.session.get(Certificate, cert.id), cert.user, "測試")
    db.session.commit()
    page = client.get(f"/verify/{cert.public_id}").get_data(as_text=True)
    assert "已撤銷" in page and "credential.jwt" in page
    assert client.get(f"/verify/{cert.public_id}/credential.jwt").status_code == 200
