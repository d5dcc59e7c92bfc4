"""Eligibility, the application workflow, issuing and renewal, revocation, reminders, updates after a
standard changes, bulk issue and parallel decisions."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.certification import bulk, overview, programmes, reminders, reviewers, rules, updates, workflow
from lms.certification.eligibility import eligibility
from lms.certification.models import (
    Application,
    ApplicationStatus,
    BulkJob,
    Certificate,
    CertificateReminder,
    JobStatus,
)
from lms.certification.rules import certificate_state
from lms.db import db, utcnow
from lms.errors import DomainError
from tests.certification.helpers import complete_course, make_ready, pass_call, pass_exam, sign_off


@pytest.fixture
def people(make):
    make.content()
    manager = make.user(Role.MANAGER, name="主管")
    team = make.team("一組", managers=[manager])
    return {"learner": make.user(Role.LEARNER, team=team, name="學員甲"), "trainer": make.user(Role.TRAINER),
            "manager": manager, "outsider": make.user(Role.MANAGER), "admin": make.user(Role.ADMIN)}


def _programme(slug="tst-cert"):
    return programmes.get_programme(slug)


def test_eligibility_lists_what_is_done_and_what_remains_with_links(people):
    learner = people["learner"]
    complete_course(learner)
    pass_exam(learner, percent=50.0)  # below min_score 60
    db.session.commit()
    state = eligibility(learner, _programme())
    by_id = {r.requirement["id"]: r for r in state.results}
    assert by_id["basics"].met and not by_id["written"].met and by_id["written"].detail == "50%"
    assert by_id["written"].link == "/exams/tst-fixed" and by_id["call"].link == "/calls/tst-call"
    assert by_id["observed"].link is None and not state.met
    pass_exam(learner, percent=75.0)
    sign_off(people["trainer"], learner, ratings=(2, 1))  # 75% = pass mark
    pass_call(learner, passed=False)
    db.session.commit()
    state = eligibility(learner, _programme())
    assert [r.met for r in state.results] == [True, True, True, False]
    pass_call(learner)
    db.session.commit()
    assert eligibility(learner, _programme()).met


def test_prerequisites_must_be_held(people):
    state = eligibility(people["learner"], _programme("tst-senior"))
    assert state.missing_prerequisites == ["測試一級認證"] and not state.met


def test_apply_review_issue_with_audit_and_one_open_application(people):
    learner, trainer = people["learner"], people["trainer"]
    with pytest.raises(DomainError):
        workflow.apply_for_certificate(learner, _programme())
    make_ready(learner, trainer)
    application = workflow.apply_for_certificate(learner, _programme())
    assert workflow.apply_for_certificate(learner, _programme()).id == application.id  # not a second one
    workflow.start_review(application, trainer)
    cert = workflow.issue_certificate(application, trainer)
    db.session.commit()
    assert application.status == ApplicationStatus.ISSUED and cert.cycle == 1
    assert len(cert.public_id) >= 43  # 256 random bits
    assert certificate_state(cert) == "valid"
    assert cert.expires_at.date() == rules.add_months(cert.issued_at, 12).date()
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("certification.%"))
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["certification.signoff", "certification.applied", "certification.review_started",
                       "certification.issued"]
    with pytest.raises(DomainError):  # holds it: no new application until the renewal window
        workflow.apply_for_certificate(learner, _programme())


def test_return_needs_reasons_and_the_learner_sees_them(people, client, auth):
    learner, trainer = people["learner"], people["trainer"]
    make_ready(learner, trainer)
    application = workflow.apply_for_certificate(learner, _programme())
    with pytest.raises(DomainError):
        workflow.return_application(application, trainer, "  ")
    workflow.return_application(application, trainer, "實地觀察請重新安排一次。")
    db.session.commit()
    auth.login(learner)
    page = client.get("/certification/programmes/tst-cert").get_data(as_text=True)
    assert "實地觀察請重新安排一次。" in page and "已退回" in page


def test_managers_review_their_own_team_only(people):
    learner = people["learner"]
    make_ready(learner, people["trainer"])
    application = workflow.apply_for_certificate(learner, _programme())
    db.session.commit()
    assert reviewers.can_review(people["manager"], learner)
    assert not reviewers.can_review(people["outsider"], learner)
    assert not reviewers.can_review(learner, learner)
    assert [a.id for a in overview.review_queue(people["manager"])] == [application.id]
    assert overview.review_queue(people["outsider"]) == []
    with pytest.raises(PermissionError):
        workflow.issue_certificate(application, people["outsider"])


def test_issue_checks_the_requirements_again(people):
    learner = people["learner"]
    make_ready(learner, people["trainer"])
    application = workflow.apply_for_certificate(learner, _programme())
    db.session.execute(CallAttemptUpdate())  # the passed call is set aside (e.g. found to be invalid)
    with pytest.raises(DomainError):
        workflow.issue_certificate(application, people["trainer"])


def CallAttemptUpdate():  # noqa: N802 - reads as a statement above
    from sqlalchemy import update

    from lms.calls.models import CallAttempt

    return update(CallAttempt).values(passed=False)


def test_lifecycle_states_and_the_renewal_anchor(people):
    learner, trainer = people["learner"], people["trainer"]
    programme = _programme()
    start = datetime(2026, 1, 31, 9, tzinfo=utcnow().tzinfo)
    expires, renew_from, grace_until = rules.validity(programme, start, None)
    assert expires.date().isoformat() == "2027-01-31"
    assert (expires - renew_from).days == 60 and (grace_until - expires).days == 30
    cert = Certificate(public_id="x" * 43, user_id=learner.id, programme_id=programme.id, holder_name="a",
                       programme_title="b", issuer_name="c", issued_at=start, expires_at=expires,
                       renew_from=renew_from, grace_until=grace_until)
    assert certificate_state(cert, start) == "valid"
    assert certificate_state(cert, renew_from + timedelta(days=1)) == "expiring"
    assert certificate_state(cert, expires + timedelta(days=1)) == "grace"
    assert certificate_state(cert, grace_until + timedelta(days=1)) == "expired"
    # Renewed early: the next cycle runs on from the old expiry. Renewed in the grace period: from the day.
    early = rules.validity(programme, expires - timedelta(days=10), cert)[0]
    late = rules.validity(programme, expires + timedelta(days=10), cert)[0]
    assert early.date().isoformat() == "2028-01-31"
    assert late.date() == rules.add_months(expires + timedelta(days=10), 12).date()
    assert rules.add_months(datetime(2026, 1, 31), 1).date().isoformat() == "2026-02-28"
    del trainer


def _issue_now(people, when=None):
    learner, trainer = people["learner"], people["trainer"]
    make_ready(learner, trainer)
    application = workflow.apply_for_certificate(learner, _programme())
    cert = workflow.issue_certificate(application, trainer, now=when)
    db.session.commit()
    return cert


def test_renewal_uses_the_lighter_requirements_with_new_evidence_and_supersedes(people):
    learner, trainer = people["learner"], people["trainer"]
    old = _issue_now(people, when=utcnow() - timedelta(days=320))  # 12 months: renewal window open now
    from sqlalchemy import update

    from lms.exams.models import Attempt

    db.session.execute(update(Attempt).values(graded_at=old.issued_at - timedelta(days=5)))
    db.session.commit()
    state = eligibility(learner, _programme())
    assert state.kind == "renewal" and [r.requirement["id"] for r in state.results] == ["written"]
    assert not state.met  # the old exam pass is older than the certificate
    pass_exam(learner, percent=90.0)
    db.session.commit()
    application = workflow.apply_for_certificate(learner, _programme())
    assert application.kind == "renewal" and application.renewing_id == old.id
    new = workflow.issue_certificate(application, trainer)
    db.session.commit()
    assert new.cycle == 2 and certificate_state(old) == "superseded"
    assert new.expires_at == rules.add_months(old.expires_at, 12)  # anchored on the old expiry


def test_revocation_and_visibility(people):
    cert = _issue_now(people)
    with pytest.raises(DomainError):
        workflow.revoke_certificate(cert, people["admin"], "")
    workflow.revoke_certificate(cert, people["admin"], "評核紀錄有誤")
    assert certificate_state(cert) == "revoked"
    with pytest.raises(PermissionError):
        workflow.set_certificate_visibility(cert, people["trainer"], False)
    workflow.set_certificate_visibility(cert, people["learner"], False)
    db.session.commit()
    assert cert.public is False


def test_reminders_follow_the_ladder_once_each_to_holder_and_manager(people, app):
    from lms import mail

    cert = _issue_now(people)
    mail.outbox.clear()
    assert reminders.send_reminders(cert.expires_at - timedelta(days=100)) == 0
    assert reminders.send_reminders(cert.expires_at - timedelta(days=59)) == 1  # the 60-day rung
    db.session.commit()  # mail leaves once the transaction that decided it commits
    assert sorted(m["To"] for m in mail.outbox) == sorted([people["learner"].email, people["manager"].email])
    assert "剩 59 天" in mail.outbox[0]["Subject"]
    assert reminders.send_reminders(cert.expires_at - timedelta(days=58)) == 0  # not twice
    mail.outbox.clear()
    # A long silence (cron down): only the latest rung is sent, the skipped one is recorded.
    assert reminders.send_reminders(cert.expires_at - timedelta(days=6)) == 1
    db.session.commit()
    assert len(mail.outbox) == 2
    assert sorted(db.session.scalars(select(CertificateReminder.days))) == [7, 30, 60]


def test_a_revised_item_leads_to_an_update_requirement(people, client, auth):
    from lms.standards.models import StandardItem

    cert = _issue_now(people)
    item = db.session.scalar(select(StandardItem).where(StandardItem.code == "4.1.1-a"))
    item.revision, item.revised_at = 2, utcnow()
    db.session.commit()
    revised = updates.revised_items()
    assert [r.code for r in revised] == ["4.1.1-a"]
    assert revised[0].holders == 1 and [p.slug for p in revised[0].programmes] == ["tst-cert"]
    assert any(c.kind == "lesson" for c in revised[0].citations)
    update = updates.create_update(_programme(), people["admin"], "三聲接聽改為兩聲", "規範修訂",
                                    ["4.1.1-a"], [{"id": "read-4.1.1-a", "kind": "acknowledge", "item": "4.1.1-a"}],
                                    utcnow().date() + timedelta(days=30))
    db.session.commit()
    states = updates.updates_for(people["learner"])
    assert len(states) == 1 and states[0].certificate.id == cert.id and not states[0].done
    auth.login(people["learner"])
    page = client.get("/certification/programmes/tst-cert").get_data(as_text=True)
    assert "三聲接聽改為兩聲" in page
    client.post(f"/certification/updates/{update.id}/acknowledge", data={"requirement": "read-4.1.1-a"})
    assert updates.updates_for(people["learner"])[0].done


def test_bulk_issue_runs_as_a_job_with_progress(people, make):
    trainer = people["trainer"]
    ready = [make.user(Role.LEARNER) for _ in range(3)]
    for person in ready:
        make_ready(person, trainer)
    candidates = bulk.candidates(_programme())
    assert {u.id for u in candidates} == {u.id for u in ready}
    job = bulk.start(_programme(), trainer, [u.id for u in candidates])  # immediate mode: runs now
    db.session.commit()
    job = db.session.get(BulkJob, job.id)
    assert (job.status, job.done, job.failed) == (JobStatus.FINISHED, 3, 0)
    certs = db.session.scalars(select(Certificate)).all()
    assert len(certs) == 3 and all(c.pdf_rendered_at is not None for c in certs)
    assert bulk.candidates(_programme()) == []


@pytest.fixture
def parallel_app(database_url):
    from lms import create_app
    from tests.conftest import TEST_CONFIG, _reset_database

    options = {"pool_size": 60, "max_overflow": 0, "pool_timeout": 120}
    if database_url.startswith("sqlite"):
        options["connect_args"] = {"timeout": 120}
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "SQLALCHEMY_ENGINE_OPTIONS": options})
    with app.app_context():
        yield app
        _reset_database()
        db.engine.dispose()


def test_fifty_parallel_issues_make_one_certificate(parallel_app):
    from tests.factories import Factory

    make = Factory()
    make.content()
    learner, trainer = make.user(Role.LEARNER), make.user(Role.TRAINER)
    make_ready(learner, trainer)
    application_id = workflow.apply_for_certificate(learner, _programme()).id
    trainer_id = trainer.id
    db.session.commit()
    db.session.close()
    barrier = threading.Barrier(50)

    def run(_):
        with parallel_app.app_context():
            from lms.accounts.models import User
            from lms.db import sqlite_begin_immediate

            sqlite_begin_immediate.set(True)
            barrier.wait()
            try:
                cert = workflow.issue_certificate(db.session.get(Application, application_id), db.session.get(User, trainer_id))
                db.session.commit()
                return cert.id
            except Exception as exc:  # noqa: BLE001
                db.session.rollback()
                return exc
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(run, range(50)))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "certification.issued")) == 1


def test_the_team_overview_shows_a_managers_people_a_page_at_a_time_and_finds_them(make, client, auth):
    make.content()
    manager = make.user(Role.MANAGER)
    team = make.team(managers=[manager])
    mine = [make.user(team=team, name=f"組員{i:02d}") for i in range(55)]
    stranger = make.user(team=make.team(), name="別組的人")
    auth.login(manager)
    first = client.get("/certification/team").get_data(as_text=True)
    assert "共 55 人" in first and "組員00" in first and "組員54" not in first and stranger.name not in first
    assert 'rel="next"' in first
    assert "組員54" in client.get("/certification/team?page=2").get_data(as_text=True)
    found = client.get("/certification/team?q=組員07").get_data(as_text=True)
    assert "共 1 人" in found and "組員07" in found
    assert "共 1 人" in client.get(f"/certification/team?q={mine[3].employee_no}").get_data(as_text=True)
    assert "共 0 人" in client.get("/certification/team?q=別組").get_data(as_text=True)
    auth.logout()
    auth.login(make.user(Role.TRAINER))
    assert "別組的人" in client.get("/certification/team?q=別組").get_data(as_text=True)
