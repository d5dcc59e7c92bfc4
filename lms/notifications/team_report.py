"""The weekly team report: for each manager who asked for it (preferences, off by default), once per ISO
week and team they manage, a mail in their language with the team's figures (lms/board/team_summary.py),
links to the readiness board and the team's report page, and that report as a PDF.

``flask lms notify`` finds the reports due and queues one task each, sent after its commit. The task reads
(no write lock), renders the PDF with no transaction open (a render takes a second or more), then records
the report in the notifications table (the once-only record: a second run or a second worker records
nothing and sends nothing) and mails it in one short transaction."""

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_request_context
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from lms.accounts.models import Role, Team, User, UserRole, team_managers
from lms.db import db, read_then_release, utcnow
from lms.mail import send_mail
from lms.notifications.dispatch import claim, write_message
from lms.notifications.kinds import Event, NotificationKind, load_kinds, register_kind
from lms.notifications.models import Delivery, Notification, NotificationPreference
from lms.tasks import app_task, enqueue_after_commit
from lms.timeutil import local_date
from lms.urls import external_url

KIND = "team_report"
EXPIRING_DAYS = 30


def week_of(now: datetime) -> str:
    """The ISO week of the centre's day, "2026-W07"."""
    year, week, _day = local_date(now).isocalendar()
    return f"{year}-W{week:02d}"


def subject_key(team_id: int, week: str) -> str:
    return f"team:{team_id}:{week}"


def due_reports(now: datetime) -> list[tuple[int, int]]:
    """(manager id, team id) of every report due this week and not sent yet (two statements)."""
    week = week_of(now)
    asked = select(NotificationPreference.user_id).where(NotificationPreference.group == KIND,
                                                         NotificationPreference.delivery == Delivery.WEEKLY)
    is_manager = exists().where(UserRole.user_id == User.id, UserRole.role == Role.MANAGER)
    pairs = db.session.execute(
        select(team_managers.c.user_id, team_managers.c.team_id).join(User, User.id == team_managers.c.user_id)
        .where(team_managers.c.user_id.in_(asked), User.is_active.is_(True), User.email != "", is_manager)
        .order_by(team_managers.c.user_id, team_managers.c.team_id)).all()
    if not pairs:
        return []
    sent = set(db.session.execute(select(Notification.recipient_id, Notification.subject_key).where(
        Notification.kind == KIND, Notification.subject_key.like(f"team:%:{week}"))).all())
    return [(manager, team) for manager, team in pairs if (manager, subject_key(team, week)) not in sent]


def queue_team_reports(now: datetime) -> int:
    """Queue a task per report due (they run once the command commits); return how many."""
    due = due_reports(now)
    week = week_of(now)
    for manager_id, team_id in due:
        enqueue_after_commit(send_team_report, manager_id, team_id, week)
    return len(due)


@dataclass(frozen=True)
class PreparedReport:
    email: str
    values: dict  # what the mail is written from (and recorded with)
    html: str  # the team report, ready for WeasyPrint
    filename: str


def figures_text(figures) -> str:
    lines = [gettext("People: %(num)d", num=figures.people),
             gettext("Overdue course assignments: %(num)d", num=figures.overdue),
             gettext("Certificates expiring within %(days)d days: %(num)d", days=figures.expiring_days,
                     num=figures.expiring),
             gettext("KPIs below their threshold: %(num)d (people: %(people)d; no course assigned yet: %(open)d)",
                     num=figures.kpi_flags, people=figures.flagged_people, open=figures.unanswered_flags)]
    return "\n".join(f"• {line}" for line in lines)


def prepare_report(manager_id: int, team_id: int, week: str) -> PreparedReport | None:
    """What the manager's report of the team is made of, in their language; None when it is not due any
    more (sent, no longer asked for, no longer their team) or the team has nobody in it."""
    from lms.board.team_summary import team_figures
    from lms.evaluation.report_pdf import report_html
    from lms.evaluation.reports import build_report, resolve
    from lms.notifications.preferences import my_deliveries

    manager, team = db.session.get(User, manager_id), db.session.get(Team, team_id)
    if manager is None or team is None or not manager.is_active or not manager.email:
        return None
    if my_deliveries(manager).get(KIND) != Delivery.WEEKLY or team not in manager.managed_teams:
        return None
    if db.session.scalar(select(Notification.id).where(Notification.recipient_id == manager_id,
                                                       Notification.kind == KIND,
                                                       Notification.subject_key == subject_key(team_id, week))):
        return None
    # Templates need a request (the language, the context processors), also in a task.
    request = nullcontext() if has_request_context() else current_app.test_request_context("/")
    with request, force_locale(str(manager.locale)):
        figures = team_figures([team_id], EXPIRING_DAYS)
        if not figures.people:
            return None
        report = build_report(resolve(manager, "team", str(team_id)))
        report_link = external_url("evaluation_admin.report", report_kind="team", report_key=team_id)
        values = {"team": team.name, "week": week, "figures": figures_text(figures), "report": report_link,
                  "link": external_url("board.index", team_id=team_id), "people": figures.people,
                  "overdue": figures.overdue, "expiring": figures.expiring, "kpi_flags": figures.kpi_flags}
        return PreparedReport(manager.email, values, report_html(report), f"team-report-{team_id}-{week}.pdf")


@app_task(retries=2, retry_delay=60)
def send_team_report(manager_id: int, team_id: int, week: str) -> None:
    """Read, render with no transaction open, then record once and mail (see the module's note)."""
    from lms.pdf import render_pdf

    with read_then_release():
        prepared = prepare_report(manager_id, team_id, week)
    if prepared is None:
        return
    pdf = render_pdf(prepared.html)
    manager = db.session.get(User, manager_id)
    event = Event(KIND, manager, subject_key(team_id, week), prepared.values)
    if claim(event, Delivery.IMMEDIATE, utcnow()):
        subject, body = write_message(load_kinds()[KIND], manager, prepared.values)
        send_mail(prepared.email, subject, body, [(prepared.filename, "application/pdf", pdf)])


register_kind(NotificationKind(
    KIND, "team_report", _l("Weekly report of %(team)s, %(week)s"),
    _l("Your team %(team)s this week:\n\n%(figures)s\n\nThe team's report is attached as a PDF; on the "
       "platform: %(report)s\nThe team on the readiness board:"),
    run=queue_team_reports, order=60))
