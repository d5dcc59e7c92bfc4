"""Who may review whom: trainers and administrators review anyone, managers the members of their teams,
nobody themselves. Loading an application, a person or a certificate for someone who may not see it
answers as if it did not exist."""

from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.certification.models import Application, Certificate
from lms.db import RowNotFound, db, found, get_row


class NotYours(RowNotFound, PermissionError):
    """Not one the actor may act on (another person's certificate, someone they do not review): a 404 in a
    request, a PermissionError to code."""


def can_review(actor: User, learner: User) -> bool:
    """Trainers and administrators review anyone; managers review the members of their teams."""
    if actor.id == learner.id:
        return False
    if actor.has_role(Role.TRAINER, Role.ADMIN):
        return True
    return actor.has_role(Role.MANAGER) and learner.team_id in {t.id for t in actor.managed_teams}


def check_reviewer(actor: User, learner: User) -> None:
    if not can_review(actor, learner):
        raise NotYours(f"{actor.id} may not review {learner.id}")


def reviewable_team_ids(actor: User) -> list[int] | None:
    """The teams whose members the actor may review (None: everyone)."""
    if actor.has_role(Role.TRAINER, Role.ADMIN):
        return None
    return [t.id for t in actor.managed_teams]


def application_for_review(application_id: int, reviewer: User, lock: bool = False) -> Application:
    application = get_row(Application, application_id, lock=lock)
    check_reviewer(reviewer, application.user)
    return application


def person_for_review(user_id: int, reviewer: User) -> User:
    person = get_row(User, user_id)
    check_reviewer(reviewer, person)
    return person


def certificate_by_public_id(public_id: str) -> Certificate | None:
    if not public_id or len(public_id) > 64:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.public_id == public_id))


def get_certificate(public_id: str) -> Certificate:
    """The certificate with this public id, or RowNotFound (a 404 in a request)."""
    return found(certificate_by_public_id(public_id), f"certificate {public_id[:10]}")


def certificate_for_viewer(public_id: str, viewer: User) -> Certificate:
    """A certificate the viewer may see in full: their own, or one of a person they review."""
    cert = get_certificate(public_id)
    if cert.user_id != viewer.id:
        check_reviewer(viewer, cert.user)
    return cert
