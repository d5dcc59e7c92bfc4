"""Eligibility: read the evidence of many people at once, then let the rules (lms/certification/rules.py)
decide, for each person and programme, which requirements are met (with the evidence), which remain
(with a link to each), and whether the person may apply.

A fixed number of queries serves any number of people (a team of hundreds is one pass), so team pages
and bulk issue never query per person."""

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select

from lms.accounts.models import User
from lms.certification.models import OPEN_STATUSES, Application, Certificate, Programme
from lms.certification.requirement_kinds import REQUIREMENT_KINDS, Proof, Scope, Scoped
from lms.certification.rules import Eligibility, Evidence, decide_eligibility
from lms.db import db, utcnow


def requirements_of(definition: dict) -> list[dict]:
    """A programme's requirements: the first certification's and the renewal's."""
    return definition["requirements"] + definition.get("recertification", {}).get("requirements", [])


def gather_proofs(user_ids: list[int], requirements: list[Scoped]) -> dict[tuple, list[Proof]]:
    """The evidence of these people for these requirements, one query (or so) per kind of requirement."""
    grouped: dict[str, list[Scoped]] = defaultdict(list)
    for req, scope in requirements:
        grouped[req["kind"]].append((req, scope))
    proofs = {}
    for name, scoped in grouped.items():
        for (uid, key), found in REQUIREMENT_KINDS[name].gather(scoped, user_ids).items():
            proofs[(name, uid, key)] = found
    return proofs


def step_prefixes() -> dict[str, str | None]:
    return {name: kind.step_prefix() for name, kind in REQUIREMENT_KINDS.items()}


def gather(user_ids: list[int], programmes: list[Programme]) -> Evidence:
    """Everything the rules need to decide these people's standing in these programmes."""
    scoped = [(req, Scope(p.id)) for p in programmes for req in requirements_of(p.definition)]
    certificates = defaultdict(list)
    for c in db.session.scalars(select(Certificate).where(Certificate.user_id.in_(user_ids))
                                .order_by(Certificate.issued_at)):
        certificates[c.user_id].append(c)
    applications = {(a.user_id, a.programme_id): a for a in db.session.scalars(select(Application).where(
        Application.user_id.in_(user_ids), Application.programme_id.in_([p.id for p in programmes]),
        Application.status.in_(OPEN_STATUSES)))}
    known = {p.slug: p for p in programmes}
    prerequisites = {slug for p in programmes for slug in p.definition.get("prerequisites", [])} - set(known)
    if prerequisites:
        known |= {p.slug: p for p in db.session.scalars(select(Programme).where(Programme.slug.in_(prerequisites)))}
    return Evidence(proofs=gather_proofs(user_ids, scoped), certificates=certificates, applications=applications,
                    programmes=known, step_prefixes=step_prefixes())


def evaluate(users: list[User], programmes: list[Programme], now: datetime | None = None
             ) -> dict[tuple[int, int], Eligibility]:
    """Eligibility of every (user, programme) pair, in a fixed number of queries."""
    if not users or not programmes:
        return {}
    now = now or utcnow()
    evidence = gather([u.id for u in users], programmes)
    return {(u.id, p.id): decide_eligibility(u.id, p, evidence, now) for u in users for p in programmes}


def eligibility(user: User, programme: Programme) -> Eligibility:
    return evaluate([user], [programme])[(user.id, programme.id)]
