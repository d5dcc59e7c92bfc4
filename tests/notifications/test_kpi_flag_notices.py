"""KPI flags for managers: the to-do list names the agents of their teams with a KPI on the wrong side of
its threshold and no course assigned in answer yet (its SQL count agrees with the list), and a KPI import
that puts an agent across a threshold mails each manager of the agent's team once, in their language."""

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, select

from lms import mail
from lms.accounts.models import Locale, Role
from lms.db import db, utcnow
from lms.kpi.flag_assign import assign_flag_courses
from lms.kpi.imports import import_kpis
from lms.kpi.models import KpiDefinition, KpiImport, KpiRecord, KpiThreshold, PeriodKind
from lms.kpi.thresholds import set_threshold
from lms.notifications.dispatch import run_notifications
from lms.notifications.models import Notification
from lms.notifications.preferences import save_deliveries
from lms.notifications.todo import todo_count, todo_groups
from lms.timeutil import local_today
from tests.conftest import Auth
from tests.notifications.helpers import build_world, mails_to


@pytest.fixture
def world(make):
    people = build_world(make)
    people["manager_zh"] = make.user(Role.MANAGER, name="主管丙", locale=Locale.ZH_HANT)
    people["team"].managers.append(people["manager_zh"])
    other_manager = make.user(Role.MANAGER, name="Other Manager", locale=Locale.EN)
    people["outsider"] = make.user(team=make.team("二組", managers=[other_manager]), name="外組丁")
    people["other_manager"] = other_manager
    people["admin"] = make.user(Role.ADMIN)
    db.session.commit()
    return people


def _import(world, rows: str) -> KpiImport:
    outcome = import_kpis(f"employee_number,period,fcr,aht\n{rows}".encode(), "kpi.csv", world["admin"])
    assert outcome.checked.ok, outcome.checked.errors
    db.session.commit()
    return outcome.record


def _row(user, period: str, fcr="", aht="") -> str:
    return f"{user.employee_no},{period},{fcr},{aht}\n"


def _kpi_mails(user) -> list:
    return [m for m in mails_to(user) if "KPI" in m["Subject"]]


def _groups(user) -> dict:
    return {g.key: g for g in todo_groups(user)}


# ---------------------------------------------------------------- the to-do list


def test_the_manager_sees_flagged_agents_until_a_course_answers_the_flag(app, world):
    learner, learner_en, outsider = world["learner"], world["learner_en"], world["outsider"]
    _import(world, _row(learner, "2026-01", 80, 300) + _row(learner, "2026-02", 60, 450)  # both flags
           + _row(learner_en, "2026-01", 50, 300) + _row(learner_en, "2026-02", 75, 300)  # recovered: none
           + _row(outsider, "2026-02", 10, 900))  # another manager's team
    group = _groups(world["manager"])["team_kpi_flags"]
    assert group.count == 1 and [i.title for i in group.items] == ["學員甲"]
    assert group.items[0].url == "/kpi/flags"
    assert group.items[0].detail == "首次解決率 60.0%（門檻 70.0%）；平均處理時間 450 秒（門檻 400 秒）"
    assert _groups(world["other_manager"])["team_kpi_flags"].count == 1
    assert "team_kpi_flags" not in _groups(world["learner"]) and "team_kpi_flags" not in _groups(world["admin"])
    # A course assigned for the FCR flag answers it; the handle time flag still waits.
    assign_flag_courses(world["manager"], [(learner.id, "fcr")], local_today() + timedelta(days=14))
    db.session.commit()
    group = _groups(world["manager"])["team_kpi_flags"]
    assert group.count == 1 and group.items[0].detail == "平均處理時間 450 秒（門檻 400 秒）"
    # A new period below the threshold is a new flag, which the earlier assignment does not answer.
    _import(world, _row(learner, "2026-03", 62, 380))
    group = _groups(world["manager"])["team_kpi_flags"]
    assert group.count == 1 and group.items[0].detail == "首次解決率 62.0%（門檻 70.0%）"


def _sql_and_items(manager) -> tuple[int, int]:
    group = _groups(manager).get("team_kpi_flags")
    return (group.count, len(group.items)) if group else (0, 0)


def test_the_sql_count_follows_the_flagging_rule(app, world, make):
    """The same cases as lms/kpi/flags.py: team threshold over the centre's over the file's, direction, the
    latest period only, weeks when an agent has no months, inactive agents and KPIs left out."""
    manager, learner, learner_en = world["manager"], world["learner"], world["learner_en"]
    team = world["team"]
    third = make.user(team=team, name="第三人")
    _import(world, _row(learner, "2026-01", 65, "") + _row(learner_en, "2026-01", 72, "")
           + _row(third, "2026-01", 69, 350))
    assert _sql_and_items(manager) == (2, 2)  # 65 and 69 below 70
    set_threshold(world["admin"], "fcr", 0, 66)  # the centre's: only 65 stays below
    db.session.commit()
    assert _sql_and_items(manager) == (1, 1)
    set_threshold(manager, "fcr", team.id, 73)  # the team's comes first: all three below
    db.session.commit()
    assert _sql_and_items(manager) == (3, 3)
    set_threshold(manager, "aht", team.id, 300)  # lower is better: 350 is above, still the same three people
    db.session.commit()
    assert _sql_and_items(manager) == (3, 3)
    db.session.execute(delete(KpiThreshold))
    _import(world, _row(learner, "2026-02", 90, ""))  # the latest period counts, not the worst
    assert _sql_and_items(manager) == (1, 1)
    third.is_active = False
    db.session.commit()
    assert _sql_and_items(manager) == (0, 0)
    third.is_active = True
    db.session.execute(delete(KpiRecord))
    week = date(2026, 3, 2)  # a Monday: weekly values only, so weeks are the main period
    fcr = db.session.scalar(select(KpiDefinition).where(KpiDefinition.code == "fcr"))
    for user, value in ((learner, 50.0), (learner_en, 80.0)):
        db.session.add(KpiRecord(user_id=user.id, kpi_id=fcr.id, period_kind=PeriodKind.WEEK, period_start=week,
                                 value=value))
    db.session.commit()
    assert _sql_and_items(manager) == (1, 1)
    fcr.is_active = False
    db.session.commit()
    assert _sql_and_items(manager) == (0, 0)


def test_the_header_count_includes_the_flags_and_the_page_lists_them(app, world):
    _import(world, _row(world["learner"], "2026-01", 60, ""))
    client = app.test_client()
    Auth(client).login(world["manager"])
    html = client.get("/todo").get_data(as_text=True)
    assert "Team members with a KPI below its threshold" in html and 'href="/kpi/flags"' in html
    total = sum(g.count for g in todo_groups(world["manager"]))
    assert f'<span class="todo-link__count">{total}<' in html and todo_count(world["manager"]) == total


# ---------------------------------------------------------------- the mail


def test_an_import_that_crosses_a_threshold_is_told_once_to_each_manager_in_their_language(app, world):
    learner, learner_en = world["learner"], world["learner_en"]
    _import(world, _row(learner, "2026-01", 80, 300) + _row(learner_en, "2026-01", 60, 300))
    mail.outbox.clear()
    # February: the learner crosses below on FCR; the other stays below (not a crossing); the outsider's
    # manager hears nothing of this team.
    _import(world, _row(learner, "2026-02", 60, 300) + _row(learner_en, "2026-02", 61, 300))
    english, chinese = _kpi_mails(world["manager"]), _kpi_mails(world["manager_zh"])
    assert [m["Subject"] for m in english] == ["KPI below threshold in your team: 學員甲, 首次解決率"]
    assert "Dear Morgan Manager" in english[0].get_content()
    assert "學員甲 in your team had 首次解決率 of 60.0% in 2026-02, which does not meet the threshold of 70.0%" \
        in english[0].get_content()
    assert f"/kpi/flags?team_id={world['team'].id}" in english[0].get_content()
    assert [m["Subject"] for m in chinese] == ["團隊 KPI 未達門檻：學員甲，首次解決率"]
    assert "主管丙 您好" in chinese[0].get_content() and "未達門檻 70.0%" in chinese[0].get_content()
    assert _kpi_mails(world["other_manager"]) == [] and _kpi_mails(learner) == []
    # The same period imported again, and the daily run: nothing more.
    _import(world, _row(learner, "2026-02", 59, 300))
    run_notifications()
    db.session.commit()
    assert len(_kpi_mails(world["manager"])) == 1 and len(_kpi_mails(world["manager_zh"])) == 1
    recorded = db.session.scalars(select(Notification.subject_key).where(
        Notification.kind == "kpi_below_threshold", Notification.subject_key.like(f"kpi:{learner.id}:%")))
    fcr_id = db.session.scalar(select(KpiDefinition.id).where(KpiDefinition.code == "fcr"))
    assert sorted(recorded) == [f"kpi:{learner.id}:{fcr_id}:month:2026-02-01"] * 2


def test_the_unit_is_written_in_the_recipients_language_and_lower_is_better_counts(app, world):
    _import(world, _row(world["learner"], "2026-01", 80, 300))
    mail.outbox.clear()
    _import(world, _row(world["learner"], "2026-02", 80, 450))  # handle time above 400 s: worse
    assert "450 s" in _kpi_mails(world["manager"])[0].get_content()
    assert "450 秒" in _kpi_mails(world["manager_zh"])[0].get_content()


def test_the_managers_preference_is_respected(app, world):
    save_deliveries(world["manager"], {"team_kpi": "off"})
    save_deliveries(world["manager_zh"], {"team_kpi": "digest"})
    db.session.commit()
    _import(world, _row(world["learner"], "2026-01", 60, ""))
    assert _kpi_mails(world["manager"]) == [] and _kpi_mails(world["manager_zh"]) == []
    mail.outbox.clear()
    run_notifications(utcnow())
    db.session.commit()
    digest = mails_to(world["manager_zh"])
    assert len(digest) == 1 and "團隊 KPI 未達門檻：學員甲，首次解決率" in digest[0].get_content()
    assert mails_to(world["manager"]) == []
    assert db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.kind == "kpi_below_threshold")) == 2


def test_the_daily_run_tells_of_a_recent_import_its_task_missed(app, world, monkeypatch):
    from lms.notifications import hooks

    monkeypatch.setattr(hooks, "raise_event", lambda kind, ids: None)  # as if the task had failed
    _import(world, _row(world["learner"], "2026-01", 60, ""))
    assert _kpi_mails(world["manager"]) == []
    run_notifications()
    db.session.commit()
    assert len(_kpi_mails(world["manager"])) == 1
    mail.outbox.clear()
    run_notifications(utcnow() + timedelta(days=3))  # the import is no longer recent: nothing (and no repeat)
    db.session.commit()
    assert _kpi_mails(world["manager"]) == []
