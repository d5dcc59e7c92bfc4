"""The eligibility engine: for each learner and programme, which requirements are met (with the
evidence), which remain (with a link to each), and whether the learner may apply.

It works on many learners at once with a fixed number of queries (a team of hundreds is one pass),
so team pages and bulk issue never query per person."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from lms.accounts.models import User
from lms.calls.models import CallAttempt, CallMode, CallStatus, Scenario
from lms.certification.models import (
    OPEN_STATUSES,
    Application,
    ApplicationKind,
    Certificate,
    Programme,
    SignOff,
)
from lms.courses.models import Course, Enrolment
from lms.db import db, utcnow
from lms.exams.models import Attempt, AttemptStatus, Exam


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
    programme: Programme
    kind: ApplicationKind
    results: list[RequirementResult]
    missing_prerequisites: list[str]  # programme titles
    current: Certificate | None = None  # the certificate being renewed, if any
    open_application: Application | None = None
    certificates: list[Certificate] = field(default_factory=list)

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
        return self.current is not None and certificate_state(self.current) in ("valid", "expiring", "grace")


def certificate_state(cert: Certificate, now: datetime | None = None) -> str:
    """valid → expiring (renewal window) → grace (past expiry, still renewable) → expired; or revoked,
    superseded (a later cycle replaced it)."""
    now = now or utcnow()
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


@dataclass
class _Evidence:
    courses: dict = field(default_factory=dict)  # (user, course code) → completed_at
    exams: dict = field(default_factory=lambda: defaultdict(list))  # (user, slug) → [(percent, at)]
    calls: dict = field(default_factory=lambda: defaultdict(list))  # (user, slug) → [(percent, at)]
    signoffs: dict = field(default_factory=lambda: defaultdict(list))  # (user, programme, req) → [SignOff]
    certificates: dict = field(default_factory=lambda: defaultdict(list))  # user → [Certificate]
    applications: dict = field(default_factory=dict)  # (user, programme) → open Application


def _requirements_of(programmes: list[Programme]) -> list[dict]:
    found = []
    for p in programmes:
        found += p.definition["requirements"] + p.definition.get("recertification", {}).get("requirements", [])
    return found


def _gather(user_ids: list[int], programmes: list[Programme]) -> _Evidence:
    ev = _Evidence()
    requirements = _requirements_of(programmes)
    codes = {r["course"] for r in requirements if r["kind"] == "course"}
    exams = {r["exam"] for r in requirements if r["kind"] == "exam"}
    scenarios = {r["scenario"] for r in requirements if r["kind"] == "scenario"}
    if codes:
        for uid, code, done in db.session.execute(
                select(Enrolment.user_id, Course.code, Enrolment.completed_at).join(Course, Course.id == Enrolment.course_id)
                .where(Enrolment.user_id.in_(user_ids), Course.code.in_(codes), Enrolment.completed_at.is_not(None))):
            ev.courses[(uid, code)] = done
    if exams:
        for uid, slug, percent, at in db.session.execute(
                select(Attempt.user_id, Exam.slug, Attempt.percent, Attempt.graded_at).join(Exam, Exam.id == Attempt.exam_id)
                .where(Attempt.user_id.in_(user_ids), Exam.slug.in_(exams), Attempt.status == AttemptStatus.GRADED,
                       Attempt.percent.is_not(None))):
            ev.exams[(uid, slug)].append((percent, at))
    if scenarios:
        for uid, slug, percent, passed, at in db.session.execute(
                select(CallAttempt.user_id, Scenario.slug, CallAttempt.percent, CallAttempt.passed,
                       CallAttempt.finished_at).join(Scenario, Scenario.id == CallAttempt.scenario_id)
                .where(CallAttempt.user_id.in_(user_ids), Scenario.slug.in_(scenarios),
                       CallAttempt.mode == CallMode.ASSESSMENT, CallAttempt.status == CallStatus.FINISHED)):
            ev.calls[(uid, slug)].append((percent if passed else -1.0, at))
    programme_ids = [p.id for p in programmes]
    for s in db.session.scalars(select(SignOff).where(SignOff.user_id.in_(user_ids),
                                                      SignOff.programme_id.in_(programme_ids))):
        ev.signoffs[(s.user_id, s.programme_id, s.requirement_id)].append(s)
    for c in db.session.scalars(select(Certificate).where(Certificate.user_id.in_(user_ids))
                                .order_by(Certificate.issued_at)):
        ev.certificates[c.user_id].append(c)
    for a in db.session.scalars(select(Application).where(Application.user_id.in_(user_ids),
                                                          Application.programme_id.in_(programme_ids),
                                                          Application.status.in_(OPEN_STATUSES))):
        ev.applications[(a.user_id, a.programme_id)] = a
    return ev


def _links() -> dict[str, str]:
    from lms.urls import path_for

    # Codes and slugs are URL-safe, so one url_for per kind serves every requirement.
    return {"course": path_for("courses.course", code="X").rsplit("/", 1)[0] + "/",
            "exam": path_for("exams.exam", exam_slug="x").rsplit("/", 1)[0] + "/",
            "scenario": path_for("calls.briefing", scenario_slug="x").rsplit("/", 1)[0] + "/"}


def _check(req: dict, uid: int, programme: Programme, ev: _Evidence, since: datetime | None,
           links: dict) -> RequirementResult:
    kind = req["kind"]
    if kind == "course":
        at = ev.courses.get((uid, req["course"]))
        met = at is not None and (since is None or at >= since)
        return RequirementResult(req, met, "", None if met else links["course"] + req["course"], at)
    if kind in ("exam", "scenario"):
        slug = req[kind]
        rows = (ev.exams if kind == "exam" else ev.calls).get((uid, slug), [])
        rows = [(p, at) for p, at in rows if since is None or (at is not None and at >= since)]
        minimum = req.get("min_score", 0 if kind == "scenario" else 100)
        good = [(p, at) for p, at in rows if p >= minimum]
        best = max((p for p, _at in rows), default=None)
        detail = f"{best:.0f}%" if best is not None and best >= 0 else ""
        at = min((at for _p, at in good), default=None)
        return RequirementResult(req, bool(good), detail, None if good else links[kind] + slug, at)
    # signoff
    rows = [s for s in ev.signoffs.get((uid, programme.id, req["id"]), [])
            if s.passed and (since is None or s.created_at >= since)]
    best = max((s.percent for s in ev.signoffs.get((uid, programme.id, req["id"]), [])), default=None)
    return RequirementResult(req, bool(rows), f"{best:.0f}%" if best is not None else "", None,
                             rows[0].created_at if rows else None)


def evaluate(users: list[User], programmes: list[Programme], now: datetime | None = None
             ) -> dict[tuple[int, int], Eligibility]:
    """Eligibility of every (user, programme) pair, in a fixed number of queries."""
    now = now or utcnow()
    if not users or not programmes:
        return {}
    ids = [u.id for u in users]
    ev = _gather(ids, programmes)
    links = _links()
    by_slug = {p.slug: p for p in programmes}
    out = {}
    for uid in ids:
        certificates = ev.certificates.get(uid, [])
        for programme in programmes:
            mine = [c for c in certificates if c.programme_id == programme.id]
            current = next((c for c in reversed(mine) if certificate_state(c, now) in ("valid", "expiring", "grace")),
                           None)
            renewing = current is not None and certificate_state(current, now) in ("expiring", "grace")
            if renewing:
                kind, reqs, since = (ApplicationKind.RENEWAL, programme.definition["recertification"]["requirements"],
                                     current.issued_at)
            else:
                kind, reqs, since = ApplicationKind.INITIAL, programme.definition["requirements"], None
            missing = []
            for slug in programme.definition.get("prerequisites", []):
                other = by_slug.get(slug) or db.session.scalar(select(Programme).where(Programme.slug == slug))
                held = other is not None and any(
                    c.programme_id == other.id and certificate_state(c, now) in ("valid", "expiring", "grace")
                    for c in certificates)
                if not held:
                    missing.append(other.title if other else slug)
            results = [_check(r, uid, programme, ev, since, links) for r in reqs]
            out[(uid, programme.id)] = Eligibility(uid, programme, kind, results, missing,
                                                   current if current is not None else None,
                                                   ev.applications.get((uid, programme.id)), mine)
    return out


def eligibility(user: User, programme: Programme) -> Eligibility:
    return evaluate([user], [programme])[(user.id, programme.id)]
