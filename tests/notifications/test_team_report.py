"""The weekly team report: once per ISO week per manager and team, only to managers who asked for it, in
their language, with the board's figures, links to the board and the team's report, and the report's PDF;
and the mail layer's attachments."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms import mail
from lms.accounts.models import Locale, Role
from lms.db import db, utcnow
from lms.notifications.dispatch import run_notifications
from lms.notifications.models import Delivery, Notification
from lms.notifications.preferences import my_deliveries, save_deliveries
from lms.notifications.team_report import week_of
from lms.timeutil import local_today
from tests.board.conftest import certify
from tests.notifications.helpers import build_world, mails_to


@pytest.fixture
def world(make):
    people = build_world(make)
    learner, learner_en, team = people["learner"], people["learner_en"], people["team"]
    people["manager_zh"] = make.user(Role.MANAGER, name="主管丙", locale=Locale.ZH_HANT)
    team.managers.append(people["manager_zh"])
    people["second_team"] = make.team("二組", managers=[people["manager"]])
    make.user(team=people["second_team"], name="二組成員")
    people["not_asked"] = make.user(Role.MANAGER, name="Nora NotAsked", locale=Locale.EN)
    team.managers.append(people["not_asked"])
    make.enrol(learner, "TST-101", due=local_today() - timedelta(days=2))  # overdue
    make.enrol(learner, "TST-201", due=local_today() - timedelta(days=1))  # overdue
    make.enrol(learner_en, "TST-201", due=local_today() + timedelta(days=5))  # not yet
    certify(learner, 10)  # within 30 days
    certify(learner_en, 45, title="另一認證")  # not within 30 days
    from lms.kpi.imports import import_kpis

    assert import_kpis(f"employee_number,period,fcr\n{learner.employee_no},2026-01,60\n"
                       f"{learner_en.employee_no},2026-01,90\n".encode(), "k.csv", make.user(Role.ADMIN)).record
    for manager in (people["manager"], people["manager_zh"]):
        save_deliveries(manager, {"team_report": "weekly", "team_kpi": "off"})
    db.session.commit()
    mail.outbox.clear()
    return people


def _reports(user) -> list:
    return [m for m in mails_to(user) if m.get_content_type() == "multipart/mixed"]


def _run(now=None) -> None:
    run_notifications(now)
    db.session.commit()  # as the command does: the queued reports go once it commits


def test_the_weekly_report_is_off_unless_asked_for(world):
    assert my_deliveries(world["not_asked"])["team_report"] == Delivery.OFF
    assert "team_report" not in my_deliveries(world["learner"])


def test_each_manager_who_asked_gets_one_report_per_team_per_week_in_their_language(world, monkeypatch):
    now = utcnow()
    week = week_of(now)
    _run(now)
    english, chinese = _reports(world["manager"]), _reports(world["manager_zh"])
    assert sorted(m["Subject"] for m in english) == sorted([f"Weekly report of 一組, {week}",
                                                            f"Weekly report of 二組, {week}"])
    assert [m["Subject"] for m in chinese] == [f"一組 週報，{week}"]
    assert _reports(world["not_asked"]) == [] and _reports(world["learner"]) == []
    team_id = world["team"].id
    body = next(m for m in english if "一組" in m["Subject"]).get_body(preferencelist=("plain",)).get_content()
    assert "Dear Morgan Manager" in body
    for line in ("• People: 2", "• Overdue course assignments: 2", "• Certificates expiring within 30 days: 1",
                 "• KPIs below their threshold: 1 (people: 1; no course assigned yet: 1)"):
        assert line in body
    assert f"/evaluation/manage/reports/team/{team_id}" in body and f"/board/?team_id={team_id}" in body
    zh_body = chinese[0].get_body(preferencelist=("plain",)).get_content()
    assert "主管丙 您好" in zh_body and "人數：2" in zh_body and "30 天內到期的認證：1" in zh_body
    second = next(m for m in english if "二組" in m["Subject"]).get_body(preferencelist=("plain",)).get_content()
    assert "• People: 1" in second and "• Overdue course assignments: 0" in second
    # The team report's PDF rides along.
    for message in english + chinese:
        [attachment] = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename().startswith("team-report-") and attachment.get_filename().endswith(".pdf")
        assert attachment.get_content().startswith(b"%PDF")
    # Again the same week (the cron runs hourly): nothing more; the next week: one each again.
    mail.outbox.clear()
    _run(now + timedelta(minutes=90))
    assert [m for m in mail.outbox if m.get_content_type() == "multipart/mixed"] == []
    monkeypatch.setattr("lms.pdf.render_pdf", lambda html: b"%PDF-1.7 stand-in")  # the render is shown above
    _run(now + timedelta(days=7))
    assert len(_reports(world["manager"])) == 2 and len(_reports(world["manager_zh"])) == 1
    keys = db.session.scalars(select(Notification.subject_key).where(Notification.kind == "team_report",
                                                                     Notification.recipient_id == world["manager_zh"].id))
    assert sorted(keys) == sorted([f"team:{team_id}:{week}", f"team:{team_id}:{week_of(now + timedelta(days=7))}"])


def test_turning_the_report_off_stops_it_and_a_team_no_longer_managed_gets_none(world, monkeypatch):
    monkeypatch.setattr("lms.pdf.render_pdf", lambda html: b"%PDF-1.7 stand-in")
    save_deliveries(world["manager_zh"], {"team_report": "off"})
    world["second_team"].managers.clear()
    db.session.commit()
    _run()
    assert _reports(world["manager_zh"]) == []
    assert [m["Subject"] for m in _reports(world["manager"])] == [f"Weekly report of 一組, {week_of(utcnow())}"]


def test_a_render_that_fails_records_nothing_so_the_next_run_sends_it(world, monkeypatch):
    from lms.pdf import PdfError

    def broken(_html):
        raise PdfError("no font")

    monkeypatch.setattr("lms.pdf.render_pdf", broken)
    _run()  # the task fails (the queue retries it later)
    assert _reports(world["manager"]) == [] and _reports(world["manager_zh"]) == []
    assert db.session.scalars(select(Notification).where(Notification.kind == "team_report")).all() == []
    monkeypatch.setattr("lms.pdf.render_pdf", lambda html: b"%PDF-1.7 stand-in")
    _run()
    assert len(_reports(world["manager"])) == 2


# ---------------------------------------------------------------- the mail layer's attachments


def test_a_message_carries_its_files_and_the_console_names_them_without_the_bytes(app, capsys):
    message = mail.build_message("a@example.com", "報告", "內文", [("r.pdf", "application/pdf", b"%PDF-1.7 x")])
    [part] = list(message.iter_attachments())
    assert part.get_filename() == "r.pdf" and part.get_content() == b"%PDF-1.7 x"
    assert message.get_body(preferencelist=("plain",)).get_content().strip() == "內文"
    app.config["MAIL_BACKEND"] = "console"
    try:
        mail.deliver(message)
    finally:
        app.config["MAIL_BACKEND"] = "memory"
    printed = capsys.readouterr().out
    assert "Subject: 報告" in printed and "內文" in printed and "[attachment: r.pdf, 10 bytes]" in printed
    assert "JVBERi0" not in printed  # "%PDF-" in base64: the bytes stay out of the terminal
    with pytest.raises(ValueError, match="r.pdf"):
        mail.build_message("a@example.com", "s", "b", [("r.pdf", "pdf", b"x")])
