"""Retention periods and the scheduled purge, with the clock frozen at a chosen moment."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from lms.accounts.models import LoginFailure, Role, User
from lms.accounts.users import set_user_active
from lms.audit.models import AuditEvent
from lms.db import db, utcnow
from lms.notifications.models import Delivery, Notification
from lms.privacy.erasure import erasure_of
from lms.privacy.retention import RETENTION_KINDS, purge_expired, retention_days, save_retention
from tests.conftest import Auth

NOW = utcnow().replace(microsecond=0)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _old_and_new(make):
    """One record of each kind 400 days old and one a day old."""
    person = make.user(name="陳大文")
    for age in (400, 1):
        at = NOW - timedelta(days=age)
        db.session.add(LoginFailure(identifier=f"x{age}", ip="10.0.0.1", at=at))
        db.session.add(
            AuditEvent(action="login.succeeded", object_type="user", object_id=str(person.id), at=at)
        )
        db.session.add(AuditEvent(action="attempt.viewed", object_type="attempt", object_id="1", at=at))
        db.session.add(AuditEvent(action="user.updated", object_type="user", object_id=str(person.id), at=at))
        db.session.add(
            Notification(
                recipient_id=person.id,
                kind="course_assigned",
                subject_key=f"k{age}",
                channel=Delivery.IMMEDIATE,
                details={"title": "課程"},
                created_at=at,
                sent_at=at,
            )
        )
    db.session.commit()
    return person


def test_defaults_keep_departed_people_until_an_admin_sets_a_period(app):
    days = retention_days()
    assert days["departed_people"] is None and days["login_failures"] == 90
    assert set(days) == set(RETENTION_KINDS)


def test_the_purge_removes_only_what_is_older_than_each_period(app, make):
    _old_and_new(make)
    counts = purge_expired(now=NOW)
    db.session.commit()
    assert counts == {"login_failures": 1, "login_events": 1, "read_events": 1, "notification_records": 1}
    assert _count(LoginFailure) == 1
    assert _count(AuditEvent, AuditEvent.action == "login.succeeded") == 1
    assert _count(AuditEvent, AuditEvent.action == "attempt.viewed") == 1
    assert _count(AuditEvent, AuditEvent.action == "user.updated") == 2  # other events are kept
    details = sorted(str(d) for d in db.session.scalars(select(Notification.details)))
    assert details == ["{'title': '課程'}", "{}"] and _count(Notification) == 2  # rows stay: mailed once
    run = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.purged"))
    assert run.after == counts and run.actor_id is None


def test_a_period_left_empty_keeps_records_for_good(app, make):
    _old_and_new(make)
    admin = make.user(Role.ADMIN)
    save_retention(
        {
            "login_failures": None,
            "login_events": 30,
            "read_events": None,
            "notification_records": None,
            "departed_people": None,
        },
        admin,
    )
    counts = purge_expired(now=NOW)
    assert counts == {"login_events": 1}
    assert _count(LoginFailure) == 2


def test_departed_people_are_erased_once_their_period_has_passed(app, make):
    admin = make.user(Role.ADMIN)
    gone = make.user(name="林離職")
    recent = make.user(name="張剛走")
    active = make.user(name="李在職")
    for person in (gone, recent):
        set_user_active(person, False, admin)
    db.session.commit()
    save_retention({**retention_days(), "departed_people": 180}, admin)
    db.session.commit()
    # The frozen clock: half a year and a day after the first departure; the second left a day before "now".
    recent.updated_at = NOW + timedelta(days=180)
    db.session.commit()
    counts = purge_expired(now=NOW + timedelta(days=181))
    db.session.commit()
    assert counts["departed_people"] == 1
    assert erasure_of(gone.id) is not None and erasure_of(recent.id) is None and erasure_of(active.id) is None
    assert db.session.get(User, gone.id).name.startswith("已刪除的人員")
    assert purge_expired(now=NOW + timedelta(days=181))["departed_people"] == 0  # not twice


def test_saving_periods_is_audited_and_unchanged_periods_are_not(app, make):
    admin = make.user(Role.ADMIN)
    assert save_retention(retention_days(), admin) is False
    assert save_retention({**retention_days(), "read_events": 90}, admin) is True
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.retention_changed"))
    assert event.before["read_events"] == 365 and event.after["read_events"] == 90


def test_the_cli_command_purges_and_commits(app, make, runner):
    _old_and_new(make)
    result = runner.invoke(args=["lms", "purge-personal-data"])
    assert result.exit_code == 0 and "login_failures: 1;" in result.output  # the 400-day-old one
    db.session.rollback()
    assert _count(AuditEvent, AuditEvent.action == "privacy.purged") == 1


def test_the_retention_page_saves_and_names_a_bad_field(app, client, make):
    admin = make.user(Role.ADMIN)
    Auth(client).login(admin)
    page = client.get("/admin/privacy/retention").get_data(as_text=True)
    visible = re.sub(r"<[^>]*>", " ", page)
    assert "離職人員的個人資料" in visible and not any(key in visible for key in RETENTION_KINDS)
    bad = client.post("/admin/privacy/retention", data={"login_failures": "0", "login_events": "365"})
    assert bad.status_code == 200 and "請輸入 1 到 3650 之間的天數" in bad.get_data(as_text=True)
    assert retention_days()["login_failures"] == 90
    good = client.post(
        "/admin/privacy/retention",
        data={
            "login_failures": "30",
            "login_events": "365",
            "read_events": "365",
            "notification_records": "",
            "departed_people": "730",
        },
    )
    assert good.status_code == 302
    assert retention_days() == {
        "login_failures": 30,
        "login_events": 365,
        "read_events": 365,
        "notification_records": None,
        "departed_people": 730,
    }


def test_a_run_with_nothing_to_do_is_recorded_too(app):
    assert purge_expired(now=NOW)["login_failures"] == 0
    assert _count(AuditEvent, AuditEvent.action == "privacy.purged") == 1
