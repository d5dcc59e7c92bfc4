"""Trainers' sign-offs: after observing a learner at work, a trainer rates each line of a programme's
checklist 0, 1 or 2; the percentage of the full marks decides whether the sign-off requirement is met."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.audit.services import record_event
from lms.certification.models import Programme, SignOff
from lms.certification.programmes import list_programmes
from lms.db import db
from lms.errors import DomainError
from lms.timeutil import local_today


@dataclass
class SignOffSheet:
    """What the sign-off page shows: the checklists to choose from, the one chosen, the learner observed."""

    choices: list[tuple[Programme, dict]]
    key: str  # "<programme slug>/<requirement id>" of the chosen checklist
    chosen: tuple[Programme, dict] | None
    learner: User | None

    @property
    def ready(self) -> bool:
        return self.chosen is not None and self.learner is not None

    @property
    def programme(self) -> Programme | None:
        return self.chosen[0] if self.chosen else None

    @property
    def requirement_id(self) -> str | None:
        return self.chosen[1]["id"] if self.chosen else None

    @property
    def checklist(self) -> list[dict]:
        return self.chosen[1]["checklist"] if self.chosen else []


def signoff_sheet(key: str, employee_no: str) -> SignOffSheet:
    """The sign-off checklists of every programme, and the one and the learner a trainer picked."""
    choices = [(p, r) for p in list_programmes() for r in p.definition["requirements"] if r["kind"] == "signoff"]
    chosen = next(((p, r) for p, r in choices if f"{p.slug}/{r['id']}" == key), None)
    learner = db.session.scalar(select(User).where(User.employee_no == employee_no)) if employee_no else None
    return SignOffSheet(choices, key, chosen, learner)


def record_signoff(trainer: User, learner: User, programme: Programme, requirement_id: str, ratings: list[int],
                   comment: str, observed_on: date) -> SignOff:
    """Record a trainer's ratings of one observed practice; it passes at the requirement's pass mark."""
    req = next((r for r in programme.definition["requirements"] + programme.definition["recertification"][
        "requirements"] if r["id"] == requirement_id and r["kind"] == "signoff"), None)
    if req is None:
        raise DomainError(_("This programme has no such sign-off."), field="requirement")
    if not trainer.has_role(Role.TRAINER, Role.ADMIN) or trainer.id == learner.id:
        raise DomainError(_("Only a trainer can sign off someone else's practice."))
    if len(ratings) != len(req["checklist"]) or any(r not in (0, 1, 2) for r in ratings):
        raise DomainError(_("Rate every line of the checklist 0, 1 or 2."), field="ratings")
    if observed_on > local_today() + timedelta(days=1):
        raise DomainError(_("The observation cannot be in the future."), field="observed_on")
    percent = round(100 * sum(ratings) / (2 * len(ratings)), 1)
    signoff = SignOff(user_id=learner.id, programme_id=programme.id, requirement_id=requirement_id,
                      trainer_id=trainer.id, ratings=ratings, percent=percent, passed=percent >= req["pass_mark"],
                      comment=comment.strip()[:2000], observed_on=observed_on)
    db.session.add(signoff)
    db.session.flush()
    record_event("certification.signoff", "signoff", signoff.id,
                 summary=f"{learner.employee_no} {programme.slug}/{requirement_id}: {percent}%",
                 after={"ratings": ratings, "percent": percent, "passed": signoff.passed}, actor=trainer)
    return signoff
