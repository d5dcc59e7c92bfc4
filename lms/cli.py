"""The ``flask lms …`` command group. Each command commits once at its end, or not at all."""

import click
from flask import current_app
from flask.cli import AppGroup

from lms.accounts.demo import DEMO_PASSWORD, DEMO_USERS, load_demo_users
from lms.accounts.models import Role
from lms.accounts.users import UserData, create_user
from lms.certification.key_cli import badge_keys_cli
from lms.curriculum.cli import content_cli
from lms.db import db, refresh_planner_statistics
from lms.errors import DomainError

lms_cli = AppGroup("lms", help="Training platform commands.")
lms_cli.add_command(content_cli)
lms_cli.add_command(badge_keys_cli)


@lms_cli.command("create-admin")
@click.option("--employee-no", prompt=True)
@click.option("--name", prompt=True)
@click.option("--email", prompt=True)
@click.password_option()
def create_admin(employee_no, name, email, password):
    """Create an administrator account."""
    try:
        user = create_user(UserData(employee_no=employee_no, name=name, email=email, roles={Role.ADMIN}),
                           password=password)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc.message)) from None
    db.session.commit()
    click.echo(f"Administrator {user.employee_no} created.")


@lms_cli.command("demo")
def demo():
    """Load the demo team and users and their certification progress (once) and print their logins."""
    from lms.certification.demo import ONE_STEP_SHORT, RENEWING, load_demo_progress
    from lms.evaluation.learning_demo import load_demo_learning
    from lms.evaluation.levels13_demo import load_demo_levels13

    created = load_demo_users()
    progress = load_demo_progress()
    from lms.kpi.demo import load_demo_kpis

    kpi_values = load_demo_kpis()
    load_demo_learning()
    load_demo_levels13()
    from lms.classroom.demo import load_demo_sessions

    sessions = load_demo_sessions()
    from lms.mentoring.demo import load_demo_mentoring
    mentoring = load_demo_mentoring()
    from lms.competitions.demo import load_demo_competition

    competition = load_demo_competition()
    refresh_planner_statistics()
    db.session.commit()
    click.echo("Demo users created." if created else "Demo users were already loaded.")
    if progress:
        click.echo(f"Demo progress: {ONE_STEP_SHORT} is one simulated call short of the first certificate; "
                   f"{RENEWING}'s certificate is in its renewal window.")
    if mentoring:
        click.echo("Demo mentoring: 林資深 mentors 黃雅婷; 陳新人 waits for 李主管 to choose a mentor.")
    if competition:
        click.echo("Demo competition: a closed skill competition of 客服一組; 黃雅婷 came first.")
    if kpi_values:
        click.echo(f"Demo KPIs: {kpi_values} monthly values for the team 客服一組 (some agents took PRO-205).")
    if sessions:
        click.echo(f"Demo classroom sessions: {sessions} (an induction day, a workshop, last week's emergency drill).")
    click.echo(f"Log in at {current_app.config['BASE_URL']}/login with any of these (password: {DEMO_PASSWORD}):")
    for no, name, _email, roles, _days in DEMO_USERS:
        click.echo(f"  {no:6} {name}  ({', '.join(sorted(roles))})")


@lms_cli.command("onboarding")
def onboarding():
    """Enrol recent hires in the onboarding paths they are missing (idempotent; safe for cron)."""
    from lms.courses.onboarding import apply_onboarding, recent_hires
    from lms.mentoring.relations import open_for_new_hires

    hires = recent_hires()
    changed = apply_onboarding(hires)
    opened = open_for_new_hires(hires)
    db.session.commit()
    click.echo(f"{changed} onboarding enrolments created or updated; {opened} mentorships opened.")


@lms_cli.command("close-overdue")
def close_overdue():
    """Close attempts whose time ran out, by each exam's overdue policy (run every minute from cron)."""
    from lms.exams.deadline import close_overdue_attempts

    closed = close_overdue_attempts()
    db.session.commit()
    click.echo(f"{closed} overdue attempts closed.")


@lms_cli.command("fonts")
@click.option("--no-subset", is_flag=True, help="Only extract the face (skip the 40-second subset).")
def fonts(no_subset):
    """Prepare the CJK font faces PDFs embed (once per machine; make setup runs it)."""
    from lms.pdf import build_fonts

    paths = build_fonts(subset=not no_subset)
    for name, path in paths.items():
        click.echo(f"{name:7} {path}" + ("" if path.exists() else " (not built)"))


@lms_cli.command("certificate-reminders")
def certificate_reminders():
    """Mail holders (and their managers) whose certificates cross a rung of the reminder ladder (daily cron)."""
    from lms.certification.reminders import send_reminders

    sent = send_reminders()
    db.session.commit()
    click.echo(f"{sent} certificates reminded.")


@lms_cli.command("webhook-expiries")
def webhook_expiries():
    """Tell webhook endpoints of certificates that expired (the task consumer also checks hourly)."""
    from lms.webhooks.events import raise_expired

    count = raise_expired()
    db.session.commit()
    click.echo(f"{count} expired certificates announced.")


@lms_cli.command("notify")
def notify():
    """Mail what is due (courses due and overdue, results, decisions, expiring certificates, observations,
    applications waiting, team KPIs below their threshold), each event once, and the daily digests; queue
    the weekly team reports managers asked for, once per ISO week (run hourly or daily from cron)."""
    from lms.notifications.dispatch import run_notifications

    sent, digests = run_notifications()
    db.session.commit()
    click.echo(f"{sent} notifications mailed, {digests} digests mailed.")


@lms_cli.command("purge-personal-data")
def purge_personal_data():
    """Delete or anonymise what is older than its retention period (/admin/privacy/retention), and erase
    departed people's personal data when that period is set (run daily from cron)."""
    from lms.privacy.retention import purge_expired

    counts = purge_expired()
    db.session.commit()
    click.echo("; ".join(f"{key}: {count}" for key, count in counts.items()) or "Nothing to purge: every record is kept.")
