"""Erasing a departed person: nothing identifying is left, nobody can log in as them, every report adds up as
before, their certificates stay verifiable with the name withheld, and it is all or nothing."""

import pytest
from sqlalchemy import func, select

from lms.accounts.models import User, UserSession
from lms.audit.models import AuditEvent
from lms.board.team_summary import team_figures
from lms.db import db
from lms.errors import DomainError
from lms.evaluation.reports import build_report, resolve
from lms.kpi.models import KpiRecord
from lms.notifications.models import Notification
from lms.privacy import registry
from lms.privacy.erasure import erase_person, pseudonym
from lms.privacy.models import Erasure
from tests.conftest import Auth
from tests.privacy.conftest import COMMENT, TYPED


def _figures(departed) -> dict:
    admin = db.session.get(User, departed.admin.id)
    reports = {
        kind: build_report(resolve(admin, kind, key)).figures
        for kind, key in [("team", str(departed.team.id)), ("course", "TST-101"), ("programme", "tst-cert")]
    }
    return {
        "reports": reports,
        "team": team_figures([departed.team.id]),
        "kpi_values": db.session.scalar(select(func.sum(KpiRecord.value))),
    }


def _everything_stored() -> str:
    """Every value of every row of every table, as one text (the test world is small)."""
    parts = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).all():
            parts.extend(str(v) for v in row if not isinstance(v, bytes))
    return "\n".join(parts)


def _erase(departed):
    admin = db.session.get(User, departed.admin.id)
    result = erase_person(departed.person.id, departed.employee_no, admin)
    db.session.commit()
    return result


def test_reports_add_up_the_same_before_and_after(app, departed):
    before = _figures(departed)
    assert any(v is not None for v in before["reports"]["team"].values())  # the report shows figures
    _erase(departed)
    db.session.expire_all()
    assert _figures(departed) == before


def test_nothing_identifying_is_left_anywhere(app, departed):
    stored = _everything_stored()
    assert departed.email in stored and COMMENT in stored and TYPED in stored  # the seed put them there
    result = _erase(departed)
    stored = _everything_stored()
    for trace in (departed.email, departed.employee_no, departed.name, COMMENT, TYPED, "視力不佳"):
        assert trace not in stored, trace
    person = db.session.get(User, departed.person.id)
    assert person.name == pseudonym(result.erasure.id) == f"已刪除的人員 #{result.erasure.id}"
    assert person.password_hash is None and not person.is_active
    assert (
        db.session.scalar(
            select(func.count()).select_from(UserSession).where(UserSession.user_id == person.id)
        )
        == 0
    )
    assert db.session.scalar(select(Notification.details).where(Notification.recipient_id == person.id)) == {}


def test_nobody_can_log_in_as_them(app, client, departed):
    n = _erase(departed).erasure.id
    for identifier in (departed.employee_no, departed.email, f"ERASED-{n}", f"erased-{n}@erased.invalid"):
        response = client.post("/login", data={"identifier": identifier, "password": "correct-horse-battery"})
        assert response.status_code != 302 or "/login" in response.headers.get("Location", "")
    assert client.get("/").status_code == 302


def test_the_certificate_stays_verifiable_with_the_name_withheld(app, client, departed):
    _erase(departed)
    page = client.get(f"/verify/{departed.certificate_id}", headers={"Accept-Language": "zh-TW"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and departed.name not in html
    assert "測試一級認證" in html and "不予顯示：持有人的個人資料已清除" in html
    facts = client.get(f"/verify/{departed.certificate_id}.json").get_json()
    assert facts["status"] == "valid" and facts["holder"] is None and facts["holder_withheld"] is True


def test_the_erasure_is_in_the_audit_log_without_the_name(app, departed):
    result = _erase(departed)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.erased"))
    assert event.object_id == str(departed.person.id) and event.actor_id == departed.admin.id
    assert event.summary == result.pseudonym and event.after["count"] == sum(result.counts.values())


def test_all_or_nothing(app, departed, monkeypatch):
    def fail(entry, ctx):
        raise RuntimeError("disk full")

    # The person's own row comes last: every other table has been changed by then.
    monkeypatch.setitem(
        registry.REGISTRY,
        "users",
        registry.REGISTRY["users"].__class__(**{**registry.REGISTRY["users"].__dict__, "erase": fail}),
    )
    admin = db.session.get(User, departed.admin.id)
    with pytest.raises(RuntimeError):
        erase_person(departed.person.id, departed.employee_no, admin)
    db.session.rollback()
    stored = _everything_stored()
    assert COMMENT in stored and TYPED in stored and departed.email in stored
    assert db.session.scalar(select(func.count()).select_from(Erasure)) == 0


@pytest.mark.parametrize("case", ["active", "wrong number", "themselves", "twice"])
def test_refused(app, make, departed, case):
    admin = db.session.get(User, departed.admin.id)
    person_id, typed = departed.person.id, departed.employee_no
    if case == "active":
        person_id = make.user(name="在職者").id
        typed = db.session.get(User, person_id).employee_no
    elif case == "wrong number":
        typed = "E99999"
    elif case == "themselves":
        admin.is_active = False  # an admin deactivated meanwhile, still in their session
        person_id, typed = admin.id, admin.employee_no
    elif case == "twice":
        typed = f"ERASED-{_erase(departed).erasure.id}"
    with pytest.raises(DomainError):
        erase_person(person_id, typed, admin)
    db.session.rollback()


def test_their_results_stay_on_the_pseudonymous_person(app, departed):
    counts_before = {
        name: db.session.scalar(select(func.count()).select_from(db.metadata.tables[name]))
        for name in ("attempts", "call_attempts", "kpi_records", "survey_invitations", "certificates")
    }
    _erase(departed)
    assert {
        name: db.session.scalar(select(func.count()).select_from(db.metadata.tables[name]))
        for name in counts_before
    } == counts_before


def test_an_admin_erases_through_the_confirmation_page(app, client, departed):
    Auth(client).login(departed.admin)
    page = client.get(f"/admin/privacy/people/{departed.person.id}/erase").get_data(as_text=True)
    assert departed.employee_no in page and "測試一級認證" in page
    refused = client.post(f"/admin/privacy/people/{departed.person.id}/erase", data={"employee_no": "nope"})
    assert refused.status_code == 200 and db.session.scalar(select(func.count()).select_from(Erasure)) == 0
    done = client.post(
        f"/admin/privacy/people/{departed.person.id}/erase", data={"employee_no": departed.employee_no}
    )
    assert done.status_code == 302
    assert db.session.get(User, departed.person.id).name.startswith("已刪除的人員 #")


def test_an_erased_account_cannot_be_reactivated_or_edited(app, client, departed):
    _erase(departed)
    Auth(client).login(departed.admin)
    client.post(f"/admin/users/{departed.person.id}/activate")
    assert db.session.get(User, departed.person.id).is_active is False
    client.post(
        f"/admin/users/{departed.person.id}",
        data={
            "employee_no": departed.employee_no,
            "name": departed.name,
            "email": departed.email,
            "locale": "zh_Hant",
            "roles": ["learner"],
            "is_active": "y",
        },
    )
    person = db.session.get(User, departed.person.id)
    assert person.name.startswith("已刪除的人員 #") and not person.is_active


def test_staff_can_still_download_the_certificate_pdf(app, client, departed):
    _erase(departed)
    Auth(client).login(departed.admin)
    response = client.get(f"/certification/certificates/{departed.certificate_id}/certificate.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
