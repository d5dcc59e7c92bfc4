"""The certificate PDF (Chinese text with its font embedded, rendered once), the URL fetcher that
fetches nothing, the transcript, and the public verification page, JSON and credential."""

import http.server
import json
import subprocess
import threading
from pathlib import Path

import jsonschema
import pytest
from jsonschema.validators import validator_for
from sqlalchemy import select

from lms.accounts.models import Role
from lms.certification import documents, workflow
from lms.certification.models import Certificate
from lms.certification.programmes import get_programme
from lms.db import db
from lms.pdf import render_pdf
from tests.certification.helpers import make_ready

SCHEMAS = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "openbadges").glob("*.json"))


@pytest.fixture
def cert(make):
    make.content()
    learner = make.user(Role.LEARNER, name="陳怡君")
    trainer = make.user(Role.TRAINER)
    make_ready(learner, trainer)
    issued = workflow.issue_certificate(workflow.apply_for_certificate(learner, get_programme("tst-cert")), trainer)
    db.session.commit()
    return issued


def _pdf_text(pdf: bytes, tmp_path, tool="pdftotext") -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    args = [tool, str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_the_certificate_pdf_embeds_a_subset_cjk_font_and_is_rendered_once(cert, tmp_path, monkeypatch, client,
                                                                            auth):
    assert cert.pdf_rendered_at is not None  # rendered by the task queued when it was issued
    calls = []
    monkeypatch.setattr(documents, "render_pdf", lambda *a, **k: calls.append(1) or b"")
    auth.login(cert.user)
    first = client.get(f"/certification/certificates/{cert.public_id}/certificate.pdf")
    second = client.get(f"/certification/certificates/{cert.public_id}/certificate.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf" and calls == []
    pdf = first.get_data()
    assert second.get_data() == pdf
    text = _pdf_text(pdf, tmp_path)
    assert "陳怡君" in text and "測試一級認證" in text and cert.public_id in text
    fonts = _pdf_text(pdf, tmp_path, "pdffonts")
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(r[-5:-2] == ["yes", "yes", "yes"] for r in rows), fonts  # embedded, subset, unicode
    assert "CertTC" in fonts and "CertTCFull" not in fonts
    assert len(pdf) <= 200 * 1024


def test_a_rare_character_in_a_name_falls_back_to_the_whole_face(cert, tmp_path):
    cert.holder_name = "林𠮷堃"
    with documents.current_app.test_request_context("/"):
        pdf = render_pdf(documents.certificate_html(cert))
    assert "林𠮷堃" in _pdf_text(pdf, tmp_path)
    assert "CertTCFull" in _pdf_text(pdf, tmp_path, "pdffonts")


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802
        _Canary.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_pdf_fetcher_refuses_every_url_the_app_did_not_choose(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }", encoding="utf-8")
    hostile = f"""<html><head>
      <link rel="stylesheet" href="http://127.0.0.1:{port}/link.css">
      <style>@import url("http://localhost:{port}/import.css");
        @font-face {{ font-family: X; src: url("http://127.0.0.1:{port}/font.otf"); }}
        body {{ background: url("file://{secret}"); font-family: X; }}</style></head>
      <body><img src="http://169.254.169.254/latest/meta-data/"><img src="file:///etc/passwd">
      <img src="http://[::1]:{port}/v6.png"><img src="http://10.0.0.1/x.png"><img src="/static/x.png">
      <iframe src="http://127.0.0.1:{port}/frame"></iframe><p>王小明</p></body></html>"""
    refused = []
    try:
        pdf = render_pdf(hostile, refused)
    finally:
        server.shutdown()
        server.server_close()
    assert pdf.startswith(b"%PDF")
    assert _Canary.hits == []
    assert any("169.254.169.254" in u for u in refused) and any(u.startswith("file:") for u in refused)
    assert any(f":{port}/import.css" in u for u in refused) and any("[::1]" in u for u in refused)


def test_a_runaway_render_is_stopped_by_the_time_limit():
    from lms.pdf import PdfError

    huge = "<table>" + "<tr><td>字</td></tr>" * 60000 + "</table>"
    with pytest.raises(PdfError):
        render_pdf(f"<html><body>{huge}</body></html>", timeout=0.5)
    assert render_pdf("<p>之後照常</p>").startswith(b"%PDF")  # a fresh renderer takes over


def test_a_daemonic_task_worker_renders_in_place(monkeypatch, tmp_path):
    """Huey's process workers are daemonic and may not start a renderer: the PDF is made in place."""
    from types import SimpleNamespace

    import lms.pdf

    monkeypatch.setattr(lms.pdf.multiprocessing, "current_process", lambda: SimpleNamespace(daemon=True))
    monkeypatch.setattr(lms.pdf, "_renderer", lambda: pytest.fail("no child process from a daemon"))
    pdf = render_pdf("<p>黃雅婷</p>")
    assert "黃雅婷" in _pdf_text(pdf, tmp_path)


def test_the_transcript_lists_courses_exams_calls_and_certificates(cert, tmp_path):
    with documents.current_app.test_request_context("/"):
        pdf = documents.transcript_pdf(cert.user)
    text = _pdf_text(pdf, tmp_path)
    assert "陳怡君" in text and "TST-101" in text and "測試投訴電話" in text and "測試一級認證" in text


def test_a_simplified_chinese_reader_gets_a_simplified_transcript_and_the_certificate_as_issued(
        cert, client, auth, tmp_path):
    from lms.accounts.models import Locale, User

    auth.login(cert.user)
    db.session.get(User, cert.user_id).locale = Locale.ZH_HANS
    db.session.commit()
    text = _pdf_text(client.get("/certification/transcript.pdf").data, tmp_path)
    assert "测试投诉电话" in text and "测试一级认证" in text and "測試投訴電話" not in text
    certificate = _pdf_text(client.get(f"/certification/certificates/{cert.public_id}/certificate.pdf").data, tmp_path)
    assert "測試一級認證" in certificate and "陳怡君" in certificate


def test_the_public_page_shows_only_the_policy_fields(cert, client):
    response = client.get(f"/verify/{cert.public_id}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "這張證書有效。" in body and "陳怡君" in body
    assert response.headers["X-Robots-Tag"].startswith("noindex") and 'name="robots" content="noindex' in body
    assert cert.user.email not in body and cert.user.employee_no not in body
    data = client.get(f"/verify/{cert.public_id}.json").get_json()
    assert set(data) == {"id", "status", "holder", "programme", "issued_on", "valid_until", "issuer"}
    assert data["status"] == "valid"


def test_unknown_and_hidden_certificates_say_not_found_and_revoked_ones_say_revoked(cert, client, auth):
    for public_id in ("nope", "x" * 300, cert.public_id[:-1] + ("A" if cert.public_id[-1] != "A" else "B")):
        response = client.get(f"/verify/{public_id}")
        assert response.status_code == 404 and "查無這張證書" in response.get_data(as_text=True)
        assert client.get(f"/verify/{public_id}.json").get_json() == {"status": "not_found"}
    auth.login(cert.user)
    client.post(f"/certification/certificates/{cert.public_id}/visibility", data={"public": "0"})
    assert client.get(f"/verify/{cert.public_id}").status_code == 404
    client.post(f"/certification/certificates/{cert.public_id}/visibility", data={"public": "1"})
    workflow.revoke_certificate(db.session.get(Certificate, cert.id), cert.user, "測試")
    db.session.commit()
    body = client.get(f"/verify/{cert.public_id}").get_data(as_text=True)
    assert "已撤銷" in body and "這張證書有效" not in body
    data = client.get(f"/verify/{cert.public_id}.json").get_json()
    assert data["status"] == "revoked" and "revoked_on" in data
    credential = client.get(f"/verify/{cert.public_id}/credential.json")  # still served: its status says revoked
    assert credential.status_code == 200 and credential.get_json()["credentialStatus"]["statusPurpose"] == "revocation"


def test_the_credential_validates_against_the_official_schemas(cert, client):
    credential = client.get(f"/verify/{cert.public_id}/credential.json").get_json()
    assert credential["credentialSubject"]["achievement"]["name"] == "測試一級認證"
    for path in SCHEMAS:
        schema = json.loads(path.read_text(encoding="utf-8"))
        validator = validator_for(schema)
        validator(schema, format_checker=validator.FORMAT_CHECKER).validate(credential)
    assert jsonschema  # imported for the validators above


def test_verification_is_rate_limited(database_url, make):
    from lms import create_app
    from tests.conftest import TEST_CONFIG

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                      "VERIFY_RATE_LIMIT": "3 per minute"})
    client = app.test_client()
    try:
        codes = [client.get("/verify/unknown-id").status_code for _ in range(5)]
    finally:
        with app.app_context():
            db.engine.dispose()
    assert codes[:3] == [404, 404, 404] and codes[3:] == [429, 429]


def test_learners_cannot_open_someone_elses_certificate_but_their_manager_can(cert, client, auth, make):
    other = make.user(Role.LEARNER)
    auth.login(other)
    for suffix in ("", "/certificate.pdf", "/credential.json", "/credential.jwt"):
        assert client.get(f"/certification/certificates/{cert.public_id}{suffix}").status_code == 404
    assert client.post(f"/certification/certificates/{cert.public_id}/visibility",
                       data={"public": "0"}).status_code == 404
    assert db.session.scalar(select(Certificate.public).where(Certificate.id == cert.id)) is True


def test_bulk_issue_commits_once_per_task_and_renders_each_pdf_with_no_transaction_open(make, monkeypatch):
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from lms.certification import bulk
    from lms.certification.models import BulkJob, JobStatus
    from lms.pdf import PdfError

    make.content()
    trainer = make.user(Role.TRAINER)
    ready = [make.user(Role.LEARNER) for _ in range(3)]
    for person in ready:
        make_ready(person, trainer)
    open_while_rendering = []

    def render(html, *args, **kwargs):
        open_while_rendering.append(db.session().in_transaction())
        if len(open_while_rendering) == 2:
            raise PdfError("took too long")
        return b"%PDF-1.7 test"

    monkeypatch.setattr(documents, "render_pdf", render)
    commits = []

    def count(session):
        if not session.in_nested_transaction():  # SQLAlchemy also reports each savepoint released
            commits.append(session)

    event.listen(Session, "after_commit", count)
    try:
        job = bulk.start(get_programme("tst-cert"), trainer, [u.id for u in ready])
        db.session.commit()  # immediate mode: the chunk runs now, then a render task per certificate
    finally:
        event.remove(Session, "after_commit", count)
    assert open_while_rendering == [False, False, False]
    # This transaction, the chunk's, one per certificate's render, and per certificate the task telling the
    # learner (lms/notifications/hooks.py) and its mail's.
    assert len(commits) == 1 + 1 + 3 + 3 + 3
    job = db.session.get(BulkJob, job.id)
    assert (job.status, job.done, job.failed) == (JobStatus.FINISHED, 3, 0) and "PDF not kept" in job.message
    kept = db.session.scalars(select(Certificate.pdf_rendered_at)).all()
    assert len(kept) == 3 and sum(at is not None for at in kept) == 2
