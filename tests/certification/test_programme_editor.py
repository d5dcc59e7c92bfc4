"""Certification programmes edited with forms (issue 18): details and each requirement of the first
certificate and of the renewal, one form at a time; each save is the programme's next version, checked as
the importer checks its file, and the export of what the forms built imports as the same definition."""

import re

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.certification.loader import load_programme_file
from lms.certification.models import Programme
from lms.curriculum.exporter import export_programmes
from lms.db import db

DETAILS = {"title": "測試一級認證（新版）", "summary": "測試用的認證。", "level": "1", "validity_months": "18",
           "window_days": "60", "grace_days": "30", "reminder_days": "7, 60, 30"}
SIGNOFF = {"title": "旁聽一通電話", "pass_mark": "80", "checklist-0-text": "三聲內接聽", "checklist-0-standards": "4.1.1-a",
           "checklist-1-text": "完整問候語", "checklist-1-standards": "4.1.1-b、4.1.1-a", "checklist-2-text": ""}
BASE = "/certification/programmes/tst-cert"


@pytest.fixture
def trainer(make, auth):
    make.content()
    user = make.user(Role.TRAINER)
    auth.login(user)
    return user


def _programme(slug: str = "tst-cert") -> Programme:
    db.session.expire_all()
    return db.session.scalar(select(Programme).where(Programme.slug == slug))


def _based_on(client, url: str = f"{BASE}/form") -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="based_on" (?:type="hidden" )?value="([^"]*)"', page).group(1)


def _ids(part: str = "requirements", slug: str = "tst-cert") -> list[str]:
    definition = _programme(slug).definition
    listed = definition["requirements"] if part == "requirements" else definition["recertification"]["requirements"]
    return [r["id"] for r in listed]


def test_details_save_a_new_version_audited_and_named_in_words(client, trainer):
    page = client.get(f"{BASE}/form").get_data(as_text=True)
    assert "測試一級認證" in page and "/certification/programmes/tst-cert/initial/requirements/observed" in page
    version = _programme().version
    response = client.post(f"{BASE}/form", data={**DETAILS, "based_on": _based_on(client)})
    assert response.status_code == 302
    programme = _programme()
    assert programme.version == version + 1 and programme.title == "測試一級認證（新版）"
    assert programme.definition["validity_months"] == 18
    assert programme.definition["recertification"]["reminder_days"] == [60, 30, 7]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "programme.saved"))
    assert event.before["title"] == "測試一級認證" and event.after["title"] == "測試一級認證（新版）"
    # Unchanged: nothing saved, no new version.
    client.post(f"{BASE}/form", data={**DETAILS, "based_on": _based_on(client)})
    assert _programme().version == version + 1


def test_bad_details_are_named_per_field_and_nothing_is_saved(client, trainer):
    version = _programme().version
    bad = {**DETAILS, "title": "", "validity_months": "0", "reminder_days": "7, 7, 400",
           "prerequisites": "tst-senior", "based_on": _based_on(client)}
    response = client.post(f"{BASE}/form", data=bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for control in ("title", "validity_months", "reminder_days"):
        assert f'id="{control}-error"' in page, control
    # A prerequisite loop is found by the importer's own check and shown under the prerequisites.
    loop = {**DETAILS, "prerequisites": "tst-senior", "based_on": _based_on(client)}
    page = client.post(f"{BASE}/form", data=loop).get_data(as_text=True)
    assert 'id="prerequisites-error"' in page and "tst-senior" in page
    assert _programme().version == version


def test_a_requirement_is_changed_keeping_its_id_and_the_export_reads_back_the_same(client, trainer, tmp_path, app):
    url = f"{BASE}/initial/requirements/written"
    page = client.get(url).get_data(as_text=True)
    assert 'name="exam"' in page and 'name="min_score"' in page and 'name="course"' not in page
    response = client.post(url, data={"exam": "tst-fixed", "min_score": "70", "based_on": _based_on(client, url)})
    assert response.status_code == 302
    written = next(r for r in _programme().definition["requirements"] if r["id"] == "written")
    assert written == {"id": "written", "kind": "exam", "exam": "tst-fixed", "min_score": 70}
    export_programmes(tmp_path)
    spec, errors = load_programme_file(tmp_path / "courses" / "programmes" / "tst-cert.yaml", tmp_path / "courses")
    assert errors == [] and spec.definition == _programme().definition


def test_requirements_are_added_moved_and_removed(client, trainer):
    # A course the first certificate already asks for, added to the renewal, keeps the same id.
    new = f"{BASE}/renewal/requirements/new/course"
    assert client.post(new, data={"course": "TST-101", "based_on": _based_on(client, new)}).status_code == 302
    assert _ids("renewal") == ["written", "basics"]
    # A sign-off with its checklist.
    new = f"{BASE}/initial/requirements/new/signoff"
    assert client.post(new, data={**SIGNOFF, "based_on": _based_on(client, new)}).status_code == 302
    added = _programme().definition["requirements"][-1]
    assert added["id"] == "signoff" and added["checklist"] == [
        {"text": "三聲內接聽", "standards": ["4.1.1-a"]}, {"text": "完整問候語", "standards": ["4.1.1-b", "4.1.1-a"]}]
    before = _ids()
    assert client.post(f"{BASE}/initial/requirements/signoff/up", data={"based_on": _based_on(client)}).status_code == 302
    assert _ids() == before[:-2] + ["signoff", before[-2]]
    assert client.post(f"{BASE}/initial/requirements/basics/remove",
                       data={"based_on": _based_on(client)}).status_code == 302
    assert "basics" not in _ids()
    assert db.session.query(AuditEvent).filter(AuditEvent.action == "programme.saved").count() == 4


def test_a_requirement_form_names_what_is_missing_and_the_importers_refusals(client, trainer):
    new = f"{BASE}/initial/requirements/new/signoff"
    page = client.post(new, data={"title": "", "pass_mark": "", "checklist-0-text": "三聲內接聽",
                                  "based_on": _based_on(client, new)}).get_data(as_text=True)
    for control in ("title", "pass_mark", "checklist-0-standards"):
        assert f'id="{control}-error"' in page, control
    page = client.post(new, data={**SIGNOFF, "checklist-0-standards": "9.9.9-z",
                                  "based_on": _based_on(client, new)}).get_data(as_text=True)
    assert 'id="checklist"' in page and "9.9.9-z" in page
    new = f"{BASE}/initial/requirements/new/exam"
    page = client.post(new, data={"exam": "", "based_on": _based_on(client, new)}).get_data(as_text=True)
    assert 'id="exam-error"' in page and 'id="min_score-error"' in page
    assert len(_programme().definition["requirements"]) == 4
    # The last requirement of a list stays; an unknown kind, part or requirement is not found.
    one = "/certification/programmes/tst-senior/renewal/requirements/leads/remove"
    client.post(one, data={"based_on": _based_on(client, "/certification/programmes/tst-senior/form")})
    assert _ids("renewal", "tst-senior") == ["leads"]
    assert client.get(f"{BASE}/initial/requirements/new/acknowledge").status_code == 404
    assert client.get(f"{BASE}/later/requirements/written").status_code == 404
    assert client.get(f"{BASE}/initial/requirements/nothing").status_code == 404


def test_a_button_from_a_page_filled_before_another_save_is_refused(client, trainer):
    stale = _based_on(client)
    assert client.post(f"{BASE}/form", data={**DETAILS, "based_on": stale}).status_code == 302
    before = _ids()
    response = client.post(f"{BASE}/initial/requirements/call/up", data={"based_on": stale}, follow_redirects=True)
    assert "有其他人儲存了這個認證方案，因此沒有做任何變更" in response.get_data(as_text=True)
    assert _ids() == before


@pytest.mark.parametrize("who", ["learner", "manager", "anonymous"])
def test_only_trainers_and_administrators_edit_programmes(client, auth, make, who):
    make.content()
    if who != "anonymous":
        auth.login(make.user(Role(who)))
    for url in (f"{BASE}/form", f"{BASE}/initial/requirements/written", f"{BASE}/initial/requirements/new/course",
                "/certification/programmes/new"):
        response = client.get(url)
        expected = (302,) if who == "anonymous" else (403,)
        assert response.status_code in expected, url
        if who == "anonymous":
            assert "/login" in response.headers["Location"]
    for url in (f"{BASE}/form", f"{BASE}/initial/requirements/call/up", f"{BASE}/initial/requirements/call/down",
                f"{BASE}/initial/requirements/call/remove", f"{BASE}/initial/requirements/written",
                "/certification/programmes/new"):
        assert client.post(url, data=DETAILS).status_code in ((302, 401) if who == "anonymous" else (403,)), url
    assert _ids() == ["basics", "written", "observed", "call"] and _programme().title == "測試一級認證"


def test_an_administrator_edits_programmes(client, auth, make):
    make.content()
    auth.login(make.user(Role.ADMIN))
    assert client.get(f"{BASE}/form").status_code == 200
    assert client.get(f"{BASE}/initial/requirements/observed").status_code == 200
    assert client.get("/certification/programmes/no-such/form").status_code == 404


def test_a_trainer_creates_a_programme_that_exports_and_imports_the_same(client, trainer, tmp_path, app):
    page = client.get("/certification/").get_data(as_text=True)
    assert "/certification/programmes/new" in page
    data = {**DETAILS, "slug": "chat-rep", "title": "文字客服專員認證", "course": "TST-201", "prerequisites": "tst-cert"}
    response = client.post("/certification/programmes/new", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/certification/programmes/chat-rep/form")
    made = _programme("chat-rep")
    assert made.version == 1 and made.definition["prerequisites"] == ["tst-cert"]
    assert made.definition["requirements"] == made.definition["recertification"]["requirements"] == [
        {"id": "tst-201", "kind": "course", "course": "TST-201"}]
    export_programmes(tmp_path)
    spec, errors = load_programme_file(tmp_path / "courses" / "programmes" / "chat-rep.yaml", tmp_path / "courses")
    assert errors == [] and spec.definition == made.definition
    # The name in the address is taken, or not a name; no course chosen.
    for bad, control in (({"slug": "tst-cert"}, "slug"), ({"slug": "Chat Rep"}, "slug"), ({"course": ""}, "course")):
        response = client.post("/certification/programmes/new", data={**data, "slug": "other", **bad})
        assert response.status_code == 422 and f'id="{control}-error"' in response.get_data(as_text=True), bad
    assert db.session.query(Programme).count() == 3


def test_an_application_made_before_a_new_requirement_is_still_decided_on_what_it_was_made_under(
        client, trainer, make, app):
    from datetime import timedelta

    from lms.certification import programmes, workflow
    from lms.db import utcnow
    from tests.certification.helpers import make_ready

    waiting, late = make.user(), make.user()
    make_ready(waiting, trainer)
    application = workflow.apply_for_certificate(waiting, programmes.get_programme("tst-cert"))
    application.applied_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    # The trainer adds a course to the certificate's requirements and raises the exam's score.
    new = f"{BASE}/initial/requirements/new/course"
    assert client.post(new, data={"course": "TST-301", "based_on": _based_on(client, new)}).status_code == 302
    url = f"{BASE}/initial/requirements/written"
    assert client.post(url, data={"exam": "tst-fixed", "min_score": "95",
                                  "based_on": _based_on(client, url)}).status_code == 302
    # Whoever applied before is decided on the version they applied under; someone ready only by the old
    # rules cannot apply now.
    page = client.get(f"/certification/applications/{application.id}").get_data(as_text=True)
    issue_button = page.split(f"/certification/applications/{application.id}/issue")[1].split("</form>")[0]
    assert "disabled" not in issue_button
    with app.test_request_context("/"):
        cert = workflow.issue_certificate(db.session.get(type(application), application.id), trainer)
        assert cert.user_id == waiting.id
        make_ready(late, trainer)
        db.session.commit()
        assert not workflow.eligibility(late, _programme()).met
