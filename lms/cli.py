"""The ``flask lms …`` command group. Each command commits once at the end, or not at all."""

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from lms.accounts import services as accounts
from lms.accounts.models import Role, Team, User
from lms.content.cli import content_cli
from lms.db import db
from lms.errors import DomainError
from lms.timeutil import local_today

lms_cli = AppGroup("lms", help="Training platform commands.")
lms_cli.add_command(content_cli)

DEMO_PASSWORD = "demo-pass-2026"
DEMO_TEAM = "客服一組"
# employee number, name, e-mail, roles, days since hire
DEMO_USERS = [
    ("A0001", "周系統", "admin@example.com", {Role.ADMIN}, 900),
    ("T0001", "王培訓", "trainer@example.com", {Role.TRAINER}, 1500),
    ("M0001", "李主管", "manager@example.com", {Role.MANAGER}, 2000),
    ("L0001", "陳新人", "learner@example.com", {Role.LEARNER}, 2),
    ("L0002", "林資深", "senior@example.com", {Role.LEARNER}, 700),
    ("L0003", "黃雅婷", "yating.huang@example.com", {Role.LEARNER}, 40),
    ("L0004", "張志豪", "zhihao.zhang@example.com", {Role.LEARNER}, 120),
]


@lms_cli.command("create-admin")
@click.option("--employee-no", prompt=True)
@click.option("--name", prompt=True)
@click.option("--email", prompt=True)
@click.password_option()
def create_admin(employee_no, name, email, password):
    """Create an administrator account."""
    try:
        user = accounts.create_user(
            accounts.UserData(employee_no=employee_no, name=name, email=email, roles={Role.ADMIN}), password=password)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc.message)) from None
    db.session.commit()
    click.echo(f"Administrator {user.employee_no} created.")


def load_demo_users() -> list[User]:
    """Create the demo team and one user per role (idempotent); return the demo users."""
    team = db.session.scalar(select(Team).where(Team.name == DEMO_TEAM))
    created = []
    today = local_today()
    for no, name, email, roles, days in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.employee_no == no))
        if user is None:
            user = accounts.create_user(accounts.UserData(
                employee_no=no, name=name, email=email, roles=roles, hire_date=today - timedelta(days=days)),
                password=DEMO_PASSWORD)
            created.append(user)
    if team is None:
        manager = db.session.scalar(select(User).where(User.employee_no == "M0001"))
        team = accounts.save_team(None, DEMO_TEAM, "示範團隊：新進與資深客服代表", [manager.id])
        for user in db.session.scalars(select(User).where(User.employee_no.in_(["L0001", "L0002", "L0003", "L0004"]))):
            user.team = team
    db.session.flush()
    return created


@lms_cli.command("demo")
def demo():
    """Load the demo team and users (once) and print their logins."""
    created = load_demo_users()
    db.session.commit()
    click.echo("Demo users created." if created else "Demo users were already loaded.")
    from lms.certification.demo import ONE_STEP_SHORT, RENEWING, load_demo_progress

    if load_demo_progress():
        db.session.commit()
        click.echo(f"Demo progress: {ONE_STEP_SHORT} is one simulated call short of the first certificate; "
                   f"{RENEWING}'s certificate is in its renewal window.")
    click.echo(f"Log in at {current_app.config['BASE_URL']}/login with any of these (password: {DEMO_PASSWORD}):")
    for no, name, _email, roles, _days in DEMO_USERS:
        click.echo(f"  {no:6} {name}  ({', '.join(sorted(roles))})")


@lms_cli.command("onboarding")
def onboarding():
    """Enrol recent hires in the onboarding paths they are missing (idempotent; safe for cron)."""
    from lms.courses.services import apply_onboarding, recent_hires

    changed = apply_onboarding(recent_hires())
    db.session.commit()
    click.echo(f"{changed} onboarding enrolments created or updated.")


@lms_cli.command("close-overdue")
def close_overdue():
    """Close attempts whose time ran out, by each exam's overdue policy (run every minute from cron)."""
    from lms.exams.services import close_overdue_attempts

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
