"""The rules of certification, on plain data: a certificate's state, the dates of a new certificate,
and, given a person's evidence, which requirements are met and whether they may apply.

Nothing here reads the database or a request: ``lms.certification.eligibility`` gathers the evidence
and calls ``decide_eligibility``. Each requirement kind decides its own requirements (its ``decide``,
in lms/certification/requirement_kinds.py, is pure too)."""

import calendar
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from lms.certification.models import ApplicationKind
from lms.certification.requirement_kinds import Proof, Scope, kind_of

ACTIVE_STATES = ("valid", "expiring", "grace")  # the certificate still counts
RENEWABLE_STATES = ("expiring", "grace")  # its renewal window is open


def certificate_state(cert, now: datetime | None = None) -> str:
    """valid → expiring (renewal window) → grace (past expiry, still renewable) → expired; or revoked,
    superseded (a later cycle replaced it)."""
    now = now or datetime.now(UTC)
    if cert.revoked_at is not None:
        return "revoked"
    if cert.superseded_by_id is not None:
        return "superseded"
    if now < cert.renew_from:
        return "valid"
    if now < cert.expires_at:
        return "expiring"
    if now < cert.grace_until:
        return "grace"
    return "expired"


def add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def validity(programme, now: datetime, renewing) -> tuple[datetime, datetime, datetime]:
    """(expires_at, renew_from, grace_until) of a new certificate. Renewed before the old expiry, the new
    cycle runs on from the old expiry (renewing early loses nothing); renewed later (in the grace period
    or after), it runs from its own issue date: no backdating."""
    months = programme.definition["validity_months"]
    recert = programme.definition["recertification"]
    anchor = renewing.expires_at if renewing is not None and now < renewing.expires_at else now
    expires = add_months(anchor, months)
    return expires, expires - timedelta(days=recert["window_days"]), expires + timedelta(days=recert["grace_days"])


@dataclass
class RequirementResult:
    requirement: dict
    met: bool
    detail: str = ""  # e.g. the best score
    link: str | None = None  # where to do the remaining step
    evidence_at: datetime | None = None

    def as_evidence(self) -> dict:
        return {"id": self.requirement["id"], "kind": self.requirement["kind"], "met": self.met,
                "detail": self.detail, "at": self.evidence_at.isoformat() if self.evidence_at else None}


@dataclass
class Eligibility:
    user_id: int
    programme: object  # Programme
    kind: ApplicationKind
    results: list[RequirementResult]
    missing_prerequisites: list[str]  # programme titles
    current: object | None = None  # the Certificate being renewed (or held), if any
    open_application: object | None = None
    certificates: list = field(default_factory=list)

    @property
    def met(self) -> bool:
        return not self.missing_prerequisites and all(r.met for r in self.results)

    @property
    def done(self) -> int:
        return sum(r.met for r in self.results)

    @property
    def remaining(self) -> list[RequirementResult]:
        return [r for r in self.results if not r.met]

    @property
    def holds_valid(self) -> bool:
        return self.current is not None and certificate_state(self.current) in ACTIVE_STATES

    @property
    def working_towards(self) -> bool:
        """Working towards the certificate: none held, or the renewal window of the one held is open."""
        return not self.holds_valid or self.kind == ApplicationKind.RENEWAL


@dataclass
class Evidence:
    """Everything the rules need about a group of people, read beforehand."""

    proofs: dict[tuple[str, int, Hashable], list[Proof]] = field(default_factory=dict)  # (kind, user, key)
    certificates: dict[int, list] = field(default_factory=dict)  # user → certificates, oldest first
    applications: dict[tuple[int, int], object] = field(default_factory=dict)  # (user, programme) → open one
    programmes: dict[str, object] = field(default_factory=dict)  # slug → Programme (prerequisites included)
    step_prefixes: dict[str, str | None] = field(default_factory=dict)  # kind → start of the link to a step

    def proofs_for(self, uid: int, req: dict, scope: Scope) -> list[Proof]:
        return self.proofs.get((req["kind"], uid, kind_of(req).evidence_key(req, scope)), [])


def decide_requirement(req: dict, proofs: list[Proof], since: datetime | None,
                       step_prefix: str | None) -> RequirementResult:
    """Whether the proofs meet one requirement, and, while they do not, where to go to meet it."""
    kind = kind_of(req)
    met, detail, at = kind.decide(req, proofs, since)
    return RequirementResult(req, met, detail, None if met else kind.step_link(req, step_prefix), at)


def _missing_prerequisites(programme, certificates: list, evidence: Evidence, now: datetime) -> list[str]:
    missing = []
    for slug in programme.definition.get("prerequisites", []):
        other = evidence.programmes.get(slug)
        held = other is not None and any(c.programme_id == other.id and certificate_state(c, now) in ACTIVE_STATES
                                         for c in certificates)
        if not held:
            missing.append(other.title if other else slug)
    return missing


def decide_eligibility(uid: int, programme, evidence: Evidence, now: datetime) -> Eligibility:
    """A person's standing in a programme: the certificate they hold, whether the next application is a
    first one or a renewal (with the lighter renewal requirements, met by evidence newer than the
    certificate), what is met and what is missing."""
    certificates = evidence.certificates.get(uid, [])
    mine = [c for c in certificates if c.programme_id == programme.id]
    current = next((c for c in reversed(mine) if certificate_state(c, now) in ACTIVE_STATES), None)
    if current is not None and certificate_state(current, now) in RENEWABLE_STATES:
        kind, reqs, since = (ApplicationKind.RENEWAL, programme.definition["recertification"]["requirements"],
                             current.issued_at)
    else:
        kind, reqs, since = ApplicationKind.INITIAL, programme.definition["requirements"], None
    scope = Scope(programme.id)
    results = [decide_requirement(r, evidence.proofs_for(uid, r, scope), since, evidence.step_prefixes.get(r["kind"]))
               for r in reqs]
    return Eligibility(uid, programme, kind, results, _missing_prerequisites(programme, certificates, evidence, now),
                       current, evidence.applications.get((uid, programme.id)), mine)
