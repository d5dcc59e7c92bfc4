"""Notifications to trainers and managers (observed calls due, applications waiting), the preferences
(off: none; digest: in one daily mail only) and the once-only record."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms import mail
from lms.calls.scenarios import get_scenario
from lms.certification import programmes, workflow
from lms.db import db, utcnow
from lms.evaluation.models import Observation
from lms.notifications.dispatch import claim, run_notifications, send_digests
from lms.notifications.kinds import Event
from lms.notifications.models import Delivery, Notification
from lms.notifications.preferences import save_deliveries
from lms.timeutil import local_today
from tests.certification.helpers import make_ready
from tests.notifications.helpers import build_world, mails_to, run_twice


@pytest.fixture
def world(make):
    return build_world(make)


def _observation(learner, observer, days=3):
    scenario, version = get_scenario("tst-call")
    row = Observation(learner_id=learner.id, observer_id=observer.id, scenario_id=scenario.id,
                      scenario_version_id=version.id, source_kind="adhoc", due_on=local_today() + timedelta(days=days))
    db.session.add(row)
    db.session.commit()
    return row


def test_an_observation_due_is_told_to_its_observer_once(world):
    _observation(world["learner"], world["trainer"])
    _observation(world["learner_en"], world["manager"], days=30)  # not due yet
    run_twice()
    trainer_mail = mails_to(world["trainer"])
    assert [m["Subject"] for m in trainer_mail] == [
        f"實際來電觀察將於 {(local_today() + timedelta(days=3)).isoformat()} 到期：學員甲"]
    assert "講師乙 您好" in trainer_mail[0].get_content()
    assert mails_to(world["manager"]) == [] and mails_to(world["learner"]) == []


def test_an_application_waiting_is_told_to_the_reviewers_not_the_applicant(world, make):
    learner = world["learner"]
    make_ready(learner, world["trainer"])
    workflow.apply_for_certificate(learner, programmes.get_programme("tst-cert"))
    db.session.commit()
    mail.outbox.clear()
    outsider = make.user()  # a learner: no reviewer
    run_twice()
    waiting = [m for m in mail.outbox if "申請" in m["Subject"] or "application" in m["Subject"]]
    assert sorted(m["To"] for m in waiting) == sorted([world["trainer"].email, world["manager"].email])
    assert next(m for m in waiting if m["To"] == world["manager"].email)["Subject"] == \
        "Certification application to review: 學員甲, 測試一級認證"
    assert mails_to(outsider) == []


def test_preference_off_sends_nothing_and_digest_sends_one_mail_a_day(world, make):
    save_deliveries(world["learner"], {"courses": "off"})
    save_deliveries(world["learner_en"], {"courses": "digest"})
    db.session.commit()
    for person in (world["learner"], world["learner_en"]):
        make.enrol(person, "TST-101", due=local_today() + timedelta(days=1))
        make.enrol(person, "TST-201", due=local_today() - timedelta(days=1))
    mail.outbox.clear()
    run_twice()
    assert mails_to(world["learner"]) == []  # off
    digest = mails_to(world["learner_en"])
    assert len(digest) == 1 and digest[0]["Subject"] == "4 updates from the training platform"
    body = digest[0].get_content()
    assert "Course overdue: TST-201" in body and "New course assigned: TST-101" in body
    assert len(mails_to(world["manager"])) == 2  # the manager's own preference (at once): both overdue learners
    off = db.session.scalars(select(Notification.channel).where(Notification.recipient_id == world["learner"].id))
    assert set(off) == {Delivery.OFF}  # recorded, so that it is never sent later either
    # A new event the same day waits for the next day's digest.
    db.session.add(Notification(recipient_id=world["learner_en"].id, kind="course_due_soon", subject_key="later",
                                details={"course": "TST-201", "due": "2026-01-01", "link": "http://x"},
                                channel=Delivery.DIGEST))
    db.session.commit()
    assert send_digests(utcnow() + timedelta(hours=1)) == 0
    assert send_digests(utcnow() + timedelta(hours=25)) == 1
    db.session.commit()
    assert send_digests(utcnow() + timedelta(hours=50)) == 0  # nothing pending


def test_the_record_keeps_an_event_from_being_claimed_twice(world):
    event = Event("course_overdue", world["learner"], "enrolment:1:2026-01-01", {"course": "x", "due": "y", "link": "z"})
    assert claim(event, Delivery.IMMEDIATE, utcnow()) is True
    assert claim(event, Delivery.IMMEDIATE, utcnow()) is False
    db.session.commit()
    assert db.session.scalar(select(Notification.channel)) == Delivery.IMMEDIATE


def test_the_command_reports_and_commits(world, make, runner):
    make.enrol(world["learner"], "TST-101", due=local_today() - timedelta(days=2))
    mail.outbox.clear()
    result = runner.invoke(args=["lms", "notify"])
    assert result.exit_code == 0 and "3 notifications mailed, 0 digests mailed." in result.output
    assert runner.invoke(args=["lms", "notify"]).output.startswith("0 notifications mailed")
    assert run_notifications() == (0, 0)


def test_two_runs_at_once_record_an_event_once(world):
    """Two transactions claim the same event at the same time: the second waits for the first to commit,
    then yields (PostgreSQL; SQLite runs one writer at a time anyway)."""
    import threading

    from lms.notifications.dispatch import claim_statement

    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    event = Event("course_overdue", world["learner"], "enrolment:9:2026-01-01", {"course": "x", "due": "y", "link": "z"})
    stmt = claim_statement(event, Delivery.IMMEDIATE, utcnow(), "postgresql")
    engine, results = db.engine, {}

    def second_run():
        with engine.begin() as second:
            results["second"] = second.execute(stmt).first() is not None

    with engine.connect() as first:
        first_tx = first.begin()
        try:
            results["first"] = first.execute(stmt).first() is not None
            thread = threading.Thread(target=second_run)
            thread.start()
            thread.join(timeout=1)
            assert thread.is_alive()  # waiting for the first run's transaction
        finally:
            first_tx.commit()
    thread.join(timeout=10)
    assert results == {"first": True, "second": False}
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 1
