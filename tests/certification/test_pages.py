"""The certification forms through their pages: a trainer's sign-off (learner and checklist chosen first,
then one rating per line), a reviewer's decisions, revocation and an update requirement after a standard
changes. Refusals name the field at fault and write nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.certification import workflow
from lms.certification.models import ApplicationStatus, Certificate, SignOff, UpdateRequirement
from lms.certification.programmes import get_programme
from lms.db import db
from lms.timeutil import local_today
from tests.certification.helpers import make_ready

SIGNOFF = "/certification/signoffs/new"


@pytest.fixture
def people(make):
    make.content()
    return {"learner": make.user(Role.LEARNER, name="學員甲"), "trainer": make.user(Role.TRAINER),
            "admin": make.user(Role.ADMIN)}


def _signoffs() -> int:
    return db.session.scalar(select(func.count()).select_from(SignOff))


def test_a_trainer_picks_the_learner_and_checklist_then_rates_each_line(people, client, auth):
    learner = people["learner"]
    auth.login(people["trainer"])
    chosen = {"employee_no": f" {learner.employee_no} ", "requirement": "tst-cert/observed"}
    page = client.get(SIGNOFF, query_string=chosen).get_data(as_text=True)
    assert "學員甲" in page and 'name="ratings-0"' in page and 'name="ratings-1"' in page
    assert f'value="{local_today().isoformat()}"' in page  # observed today, unless changed
    response = client.post(SIGNOFF, query_string=chosen, data={
        **chosen, "ratings-0": "2", "ratings-1": "1", "observed_on": local_today().isoformat(), "comment": "好"})
    assert response.status_code == 302
    signoff = db.session.scalar(select(SignOff))
    assert (signoff.ratings, signoff.percent, signoff.passed, signoff.comment) == ([2, 1], 75.0, True, "好")


def test_the_signoff_form_names_every_field_at_fault(people, client, auth):
    auth.login(people["trainer"])
    response = client.post(SIGNOFF, data={"employee_no": "NOBODY", "requirement": "tst-cert/nope"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "找不到這個工號。" in body and "請選擇評分表。" in body
    assert 'href="#employee_no"' in body and 'href="#requirement"' in body
    chosen = {"employee_no": people["learner"].employee_no, "requirement": "tst-cert/observed"}
    response = client.post(SIGNOFF, data={**chosen, "ratings-0": "2", "observed_on": local_today().isoformat()})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and '<p class="error" id="ratings">評分表的每一項都要評 0、1 或 2 分。' in body
    assert 'value="2" required checked' in body  # the rating given is kept
    response = client.post(SIGNOFF, data={**chosen, "ratings-0": "2", "ratings-1": "2", "observed_on": "someday"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "請填寫觀察日期。" in body and 'value="someday"' in body
    assert _signoffs() == 0


def _application(people):
    make_ready(people["learner"], people["trainer"])
    application = workflow.apply_for_certificate(people["learner"], get_programme("tst-cert"))
    db.session.commit()
    return application


def test_a_reviewer_takes_returns_and_issues_through_the_page(people, client, auth):
    application = _application(people)
    auth.login(people["trainer"])
    base = f"/certification/applications/{application.id}"
    assert client.post(f"{base}/start").status_code == 302
    assert db.session.get(type(application), application.id).status == ApplicationStatus.UNDER_REVIEW
    refused = client.post(f"{base}/return", data={"reasons": "  "}, follow_redirects=True)
    assert "請說明學員再次申請前必須完成什麼。" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(application), application.id).status == ApplicationStatus.UNDER_REVIEW
    issued = client.post(f"{base}/issue")
    cert = db.session.scalar(select(Certificate))
    assert issued.headers["Location"].endswith(f"/certification/certificates/{cert.public_id}")
    assert client.post(f"{base}/nope").status_code == 404


def test_revoking_needs_a_reason_and_a_stranger_gets_404(people, client, auth, make):
    application = _application(people)
    cert = workflow.issue_certificate(application, people["trainer"])
    db.session.commit()
    auth.login(people["trainer"])
    url = f"/certification/certificates/{cert.public_id}/revoke"
    client.post(url, data={"reason": " "})
    db.session.expire_all()
    assert db.session.get(Certificate, cert.id).revoked_at is None
    client.post(url, data={"reason": "評核紀錄有誤"})
    db.session.expire_all()
    assert db.session.get(Certificate, cert.id).revoked_reason == "評核紀錄有誤"
    auth.logout()
    auth.login(make.user(Role.LEARNER))
    assert client.post(f"/certification/certificates/{cert.public_id}/visibility", data={"public": "0"}).status_code \
        == 404


def test_an_update_requirement_is_created_from_the_changes_page(people, client, auth):
    auth.login(people["admin"])
    form = {"programme": "tst-cert", "items": ["4.1.1-a", ""], "title": "三聲改兩聲", "exam": " tst-fixed ",
            "min_score": "x", "due_on": (local_today() + timedelta(days=30)).isoformat(), "reason": "規範修訂"}
    refused = client.post("/certification/changes", data={**form, "title": " "})
    assert refused.status_code == 422 and "請填寫更新要求的標題。" in refused.get_data(as_text=True)
    late = client.post("/certification/changes", data={**form, "due_on": "not a day"})
    assert late.status_code == 422 and "完成期限必須是未來的日期。" in late.get_data(as_text=True)
    assert client.post("/certification/changes", data={**form, "programme": "nope"}).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(UpdateRequirement)) == 0
    assert client.post("/certification/changes", data=form).status_code == 302
    update = db.session.scalar(select(UpdateRequirement))
    assert update.item_codes == ["4.1.1-a"] and update.requirements == [
        {"id": "read-4.1.1-a", "kind": "acknowledge", "item": "4.1.1-a"},
        {"id": "exam", "kind": "exam", "exam": "tst-fixed", "min_score": 80}]
