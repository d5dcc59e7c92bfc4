"""Notifications to trainers and managers: the manager copies (overdue courses, expiring certificates —
raised with the learners' own in kinds_learner), observed calls due to their observer, and applications
waiting for a reviewer."""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role, Team, User, UserRole
from lms.certification.models import Application, ApplicationStatus
from lms.db import db
from lms.evaluation.models import Observation, ObservationStatus
from lms.notifications.kinds import Event, NotificationKind, mailable, register_kind
from lms.timeutil import local_date
from lms.urls import external_url

OBSERVATION_DAYS = 7
WAITING_DAYS = 7

register_kind(NotificationKind(
    "team_overdue", "team", _l("Overdue in your team: %(learner)s, %(course)s"),
    _l("%(learner)s in your team has not finished the course %(course)s, which was due on %(due)s."), order=40))
register_kind(NotificationKind(
    "team_certificate_expiring", "team", _l("Certificate expiring in your team: %(holder)s, %(programme)s"),
    _l("The certificate %(programme)s of %(holder)s in your team expires on %(expires)s (%(days)d days left)."),
    order=41))


def observation_events(now: datetime) -> list[Event]:
    """Scheduled observations with an observer, due within the coming days: to the observer, once per due date."""
    today = local_date(now)
    rows = db.session.scalars(
        select(Observation).where(Observation.status == ObservationStatus.SCHEDULED,
                                  Observation.observer_id.is_not(None),
                                  Observation.due_on <= today + timedelta(days=OBSERVATION_DAYS),
                                  Observation.due_on >= today - timedelta(days=OBSERVATION_DAYS))
        .options(selectinload(Observation.observer), selectinload(Observation.learner)))
    return [Event("observation_due", o.observer, f"observation:{o.id}:{o.due_on.isoformat()}", {
        "learner": o.learner.name, "due": o.due_on.isoformat(), "link": external_url("evaluation_admin.tasks")})
        for o in rows if mailable(o.observer)]


register_kind(NotificationKind(
    "observation_due", "work", _l("Observed call due on %(due)s: %(learner)s"),
    _l("An observed call of %(learner)s is due on %(due)s. Score it on your list of observations."),
    find=observation_events, order=50))


def waiting_events(now: datetime) -> list[Event]:
    """Applications not yet taken up for review: to every active trainer and to the managers of the applicant's
    team (whoever may decide it), once each."""
    applications = list(db.session.scalars(
        select(Application).where(Application.status == ApplicationStatus.APPLIED,
                                  Application.applied_at >= now - timedelta(days=WAITING_DAYS))
        .options(selectinload(Application.programme),
                 selectinload(Application.user).selectinload(User.team).selectinload(Team.managers))))
    if not applications:
        return []
    trainers = list(db.session.scalars(select(User).join(UserRole, UserRole.user_id == User.id)
                                       .where(UserRole.role == Role.TRAINER, User.is_active.is_(True))))
    events = []
    for application in applications:
        learner = application.user
        reviewers = {u.id: u for u in [*trainers, *(learner.team.managers if learner.team else [])]}
        values = {"learner": learner.name, "programme": application.programme.title,
                  "link": external_url("certification.application", application_id=application.id)}
        events += [Event("application_waiting", reviewer, f"application:{application.id}", values)
                   for reviewer in reviewers.values() if mailable(reviewer) and reviewer.id != learner.id]
    return events


register_kind(NotificationKind(
    "application_waiting", "work", _l("Certification application to review: %(learner)s, %(programme)s"),
    _l("%(learner)s has applied for %(programme)s. The application is waiting for a reviewer."),
    find=waiting_events, order=51))
