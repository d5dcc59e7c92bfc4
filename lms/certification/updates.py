"""Update requirements after a standard changes: the standard items revised lately and whom they concern,
what an administrator asks of the holders of certificates issued before the revision (read and confirm
the revised items, pass an exam again), and how far each holder is."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.certification.eligibility import gather_proofs, step_prefixes
from lms.certification.models import Acknowledgement, Certificate, Programme, UpdateRequirement
from lms.certification.programmes import get_programme, list_programmes
from lms.certification.requirement_kinds import RequirementLine, Scope, by_kind, kind_of, show_requirement
from lms.certification.rules import ACTIVE_STATES, Evidence, certificate_state, decide_requirement
from lms.db import db, utcnow
from lms.errors import DomainError
from lms.standards.models import StandardCitation
from lms.timeutil import local_today

DEFAULT_EXAM_SCORE = 80


@dataclass
class RevisedItem:
    code: str
    title: str
    revision: int
    revised_at: datetime
    citations: list[StandardCitation]
    programmes: list[Programme]
    holders: int


def revised_items(since_days: int = 365) -> list[RevisedItem]:
    """Standard items revised (revision > 1) recently, the content citing them (to review) and the
    programmes whose active certificates were issued before the revision."""
    from lms.standards.models import StandardItem

    since = utcnow() - timedelta(days=since_days)
    items = list(db.session.scalars(select(StandardItem).where(StandardItem.revision > 1,
                                                               StandardItem.revised_at >= since)
                                    .order_by(StandardItem.revised_at.desc())))
    if not items:
        return []
    citations: dict[int, list] = {}
    for c in db.session.scalars(select(StandardCitation).where(StandardCitation.item_id.in_([i.id for i in items]))
                                .order_by(StandardCitation.kind, StandardCitation.label)):
        citations.setdefault(c.item_id, []).append(c)
    progs = list_programmes()
    out = []
    for item in items:
        covering = [p for p in progs if item.code in (p.covered_items or [])]
        holders = db.session.scalar(select(func.count()).select_from(Certificate).where(
            Certificate.programme_id.in_([p.id for p in covering] or [-1]), Certificate.revoked_at.is_(None),
            Certificate.superseded_by_id.is_(None), Certificate.grace_until > utcnow(),
            Certificate.issued_at < item.revised_at)) if covering else 0
        out.append(RevisedItem(item.code, item.title, item.revision, item.revised_at, citations.get(item.id, []),
                               covering, holders))
    return out


def update_requirements(item_codes: list[str], exam: str = "", min_score: int | None = None) -> list[dict]:
    """What holders must do: read and confirm each revised item, and pass the exam again if one is named."""
    requirements = [{"id": f"read-{code}", "kind": "acknowledge", "item": code} for code in item_codes]
    if exam.strip():
        requirements.append({"id": "exam", "kind": "exam", "exam": exam.strip(),
                             "min_score": min_score or DEFAULT_EXAM_SCORE})
    return requirements


def create_update(programme: Programme, actor: User, title: str, reason: str, item_codes: list[str],
                  requirements: list[dict], due_on: date) -> UpdateRequirement:
    """Ask the holders of the programme's certificates issued before now to do these things by ``due_on``."""
    if not title.strip():
        raise DomainError(_("Give the update a title."), field="title")
    if not requirements:
        raise DomainError(_("Choose at least one thing the holders must do."), field="requirements")
    if due_on <= local_today():
        raise DomainError(_("The due date must be in the future."), field="due_on")
    update = UpdateRequirement(programme_id=programme.id, title=title.strip()[:200], reason=reason.strip()[:4000],
                               item_codes=item_codes, requirements=requirements, issued_before=utcnow(),
                               due_on=due_on, created_by_id=actor.id)
    db.session.add(update)
    db.session.flush()
    record_event("certification.update_required", "update_requirement", update.id, summary=programme.slug,
                 after={"items": item_codes, "requirements": requirements, "due_on": due_on.isoformat()}, actor=actor)
    return update


def require_update(programme_slug: str, actor: User, title: str, reason: str, item_codes: list[str], exam: str,
                   min_score: int | None, due_on: date) -> UpdateRequirement:
    """Ask a programme's holders to confirm the revised items (and pass an exam again, if one is named)."""
    return create_update(get_programme(programme_slug), actor, title, reason, item_codes,
                         update_requirements(item_codes, exam, min_score), due_on)


def list_updates() -> list[UpdateRequirement]:
    return list(db.session.scalars(select(UpdateRequirement).order_by(UpdateRequirement.created_at.desc())))


@dataclass
class UpdateState:
    update: UpdateRequirement
    certificate: Certificate
    lines: list[RequirementLine]

    @property
    def done(self) -> bool:
        return all(line.met for line in self.lines)

    @property
    def overdue(self) -> bool:
        return not self.done and local_today() > self.update.due_on


def updates_for(user: User) -> list[UpdateState]:
    """The update requirements that apply to the user's active certificates, with what is done.
    Evidence counts from the day the update was required."""
    certs = [c for c in db.session.scalars(select(Certificate).where(Certificate.user_id == user.id))
             if certificate_state(c) in ACTIVE_STATES]
    if not certs:
        return []
    updates = list(db.session.scalars(select(UpdateRequirement).where(
        UpdateRequirement.programme_id.in_([c.programme_id for c in certs]))))
    if not updates:
        return []
    scoped = [(req, Scope(u.programme_id, u.id)) for u in updates for req in u.requirements]
    evidence = Evidence(proofs=gather_proofs([user.id], scoped), step_prefixes=step_prefixes())
    titles = {f"{kind.name}:{target}": title for kind, group in by_kind(r for r, _scope in scoped).items()
              for target, title in kind.titles(group).items()}  # what a line names, instead of its code
    out = []
    for update in updates:
        cert = next((c for c in certs if c.programme_id == update.programme_id and c.issued_at < update.issued_before),
                    None)
        if cert is None:
            continue
        scope = Scope(update.programme_id, update.id)
        results = [decide_requirement(req, evidence.proofs_for(user.id, req, scope), update.created_at,
                                      evidence.step_prefixes.get(req["kind"])) for req in update.requirements]
        out.append(UpdateState(update, cert, [show_requirement(r, titles) for r in results]))
    return out


def acknowledge_update(user: User, update: UpdateRequirement, requirement_id: str) -> None:
    """The holder confirms having read a revised item (once; a second confirmation changes nothing)."""
    if not any(r["id"] == requirement_id and kind_of(r).confirmed_by_holder for r in update.requirements):
        raise DomainError(_("Nothing to confirm here."))
    if db.session.scalar(select(Acknowledgement.id).where(Acknowledgement.update_id == update.id,
                                                          Acknowledgement.user_id == user.id,
                                                          Acknowledgement.requirement_id == requirement_id)):
        return
    db.session.add(Acknowledgement(update_id=update.id, user_id=user.id, requirement_id=requirement_id))
    record_event("certification.acknowledged", "update_requirement", update.id, actor=user, summary=requirement_id)
