"""Certification workflow: programmes from files, sign-offs, applications and their review, issuing,
renewal, revocation, the holder's visibility choice, reminders and update requirements."""

import calendar
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role, User
from lms.audit.services import record_event
from lms.certification.eligibility import Eligibility, certificate_state, eligibility, evaluate
from lms.certification.loader import ProgrammeSpec
from lms.certification.models import (
    OPEN_STATUSES,
    Acknowledgement,
    Application,
    ApplicationKind,
    ApplicationStatus,
    Certificate,
    CertificateReminder,
    Programme,
    SignOff,
    UpdateRequirement,
)
from lms.db import db, utcnow
from lms.errors import DomainError
from lms.standards.models import StandardCitation
from lms.standards.services import SyncCounts, sync_by_slug

ACTIVE_STATES = ("valid", "expiring", "grace")


# ---------------------------------------------------------------- programmes


def covered_items(definition: dict) -> list[str]:
    """The standard items a programme's evidence cites: lessons of its courses, questions its exams can
    draw, criteria of its scenarios and lines of its checklists."""
    from lms.calls.models import Scenario, ScenarioVersion
    from lms.exams.models import Exam
    from lms.exams.queries import exam_items

    items: set[str] = set()
    requirements = definition["requirements"] + definition.get("recertification", {}).get("requirements", [])
    for req in requirements:
        if req["kind"] == "signoff":
            items |= {code for line in req["checklist"] for code in line["standards"]}
    codes = [r["course"] for r in requirements if r["kind"] == "course"]
    if codes:
        from lms.standards.models import StandardItem

        prefixes = [StandardCitation.link.like(f"%/courses/{code}/%") for code in codes]
        items |= set(db.session.scalars(
            select(StandardItem.code).join(StandardCitation, StandardCitation.item_id == StandardItem.id)
            .where(StandardCitation.kind == "lesson", or_(*prefixes))))
    for slug in {r["exam"] for r in requirements if r["kind"] == "exam"}:
        exam = db.session.scalar(select(Exam).where(Exam.slug == slug))
        if exam is not None and exam.current_version is not None:
            items |= exam_items(exam.current_version)
    slugs = {r["scenario"] for r in requirements if r["kind"] == "scenario"}
    if slugs:
        for definition_ in db.session.scalars(
                select(ScenarioVersion.definition).join(Scenario, and_(
                    Scenario.id == ScenarioVersion.scenario_id, Scenario.current_number == ScenarioVersion.number))
                .where(Scenario.slug.in_(slugs))):
            items |= {code for c in definition_["rubric"] for code in c.get("standards", [])}
    return sorted(items)


def save_programme(definition: dict, actor: User | None = None) -> tuple[Programme, bool]:
    from lms.content.files import content_hash

    digest = content_hash(definition)
    programme = db.session.scalar(select(Programme).where(Programme.slug == definition["slug"]))
    if programme is not None and programme.content_hash == digest:
        return programme, False
    if programme is None:
        programme = Programme(slug=definition["slug"], version=0)
        db.session.add(programme)
    before = dict(programme.definition) if programme.definition else None
    programme.title, programme.level = definition["title"], definition["level"]
    programme.definition, programme.content_hash = definition, digest
    programme.version = (programme.version or 0) + 1
    programme.updated_at = utcnow()
    programme.covered_items = covered_items(definition)
    db.session.flush()
    if actor is not None:
        record_event("programme.saved", "programme", programme.id, summary=f"{programme.slug} v{programme.version}",
                     before=before, after=definition, actor=actor)
    return programme, True


def sync_programmes(specs: list[ProgrammeSpec]) -> SyncCounts:
    return sync_by_slug(Programme.slug, specs, lambda spec: save_programme(spec.definition))


def programmes() -> list[Programme]:
    return list(db.session.scalars(select(Programme).order_by(Programme.level, Programme.slug)))


def get_programme(slug: str) -> Programme | None:
    return db.session.scalar(select(Programme).where(Programme.slug == slug))


# ---------------------------------------------------------------- who may act on whom


def can_review(actor: User, learner: User) -> bool:
    """Trainers and administrators review anyone; managers review the members of their teams."""
    if actor.id == learner.id:
        return False
    if actor.has_role(Role.TRAINER, Role.ADMIN):
        return True
    return actor.has_role(Role.MANAGER) and learner.team_id in {t.id for t in actor.managed_teams}


def reviewable_user_ids(actor: User):
    """A subquery condition on users the actor may review (None: everyone)."""
    if actor.has_role(Role.TRAINER, Role.ADMIN):
        return None
    return [t.id for t in actor.managed_teams]


# ---------------------------------------------------------------- sign-offs


def record_signoff(trainer: User, learner: User, programme: Programme, requirement_id: str, ratings: list[int],
                   comment: str, observed_on: date) -> SignOff:
    req = next((r for r in programme.definition["requirements"] + programme.definition["recertification"][
        "requirements"] if r["id"] == requirement_id and r["kind"] == "signoff"), None)
    if req is None:
        raise DomainError(_("This programme has no such sign-off."), field="requirement")
    if not trainer.has_role(Role.TRAINER, Role.ADMIN) or trainer.id == learner.id:
        raise DomainError(_("Only a trainer can sign off someone else's practice."))
    if len(ratings) != len(req["checklist"]) or any(r not in (0, 1, 2) for r in ratings):
        raise DomainError(_("Rate every line of the checklist 0, 1 or 2."), field="ratings")
    if observed_on > utcnow().date() + timedelta(days=1):
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


# ---------------------------------------------------------------- applications


def apply(user: User, programme: Programme) -> Application:
    state = eligibility(user, programme)
    if state.open_application is not None:
        return state.open_application
    if state.holds_valid and state.kind == ApplicationKind.INITIAL:
        raise DomainError(_("You already hold this certificate; renewal opens %(days)d days before it expires.",
                            days=programme.definition["recertification"]["window_days"]))
    if not state.met:
        raise DomainError(_("Some requirements are not met yet."))
    application = Application(user_id=user.id, programme_id=programme.id, kind=state.kind,
                              status=ApplicationStatus.APPLIED, evidence=[r.as_evidence() for r in state.results],
                              renewing_id=state.current.id if state.kind == ApplicationKind.RENEWAL else None)
    try:
        with db.session.begin_nested():
            db.session.add(application)
            db.session.flush()
    except IntegrityError:
        existing = db.session.scalar(select(Application).where(
            Application.user_id == user.id, Application.programme_id == programme.id,
            Application.status.in_(OPEN_STATUSES)))
        if existing is None:
            raise
        return existing
    record_event("certification.applied", "application", application.id, summary=f"{programme.slug} {state.kind}",
                 after={"evidence": application.evidence}, actor=user)
    return application


def withdraw(application: Application, user: User) -> None:
    if application.user_id != user.id or application.status not in OPEN_STATUSES:
        raise DomainError(_("This application can no longer be withdrawn."))
    application.status, application.decided_at = ApplicationStatus.WITHDRAWN, utcnow()
    record_event("certification.withdrawn", "application", application.id, actor=user)


def load_application(application_id: int, lock: bool = False) -> Application:
    stmt = select(Application).where(Application.id == application_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    found = db.session.scalar(stmt)
    if found is None:
        raise LookupError(application_id)
    return found


def start_review(application: Application, reviewer: User) -> None:
    if not can_review(reviewer, application.user):
        raise PermissionError
    if application.status != ApplicationStatus.APPLIED:
        raise DomainError(_("This application is not waiting for a reviewer."))
    application.status, application.reviewer_id = ApplicationStatus.UNDER_REVIEW, reviewer.id
    application.review_started_at = utcnow()
    record_event("certification.review_started", "application", application.id, actor=reviewer,
                 summary=application.programme.slug)


def return_application(application: Application, reviewer: User, reasons: str) -> None:
    if not can_review(reviewer, application.user):
        raise PermissionError
    if application.status not in OPEN_STATUSES:
        raise DomainError(_("This application has already been decided."))
    reasons = (reasons or "").strip()
    if not reasons:
        raise DomainError(_("Say what the learner must do before applying again."), field="reasons")
    application.status, application.reasons = ApplicationStatus.RETURNED, reasons[:4000]
    application.reviewer_id, application.decided_at = reviewer.id, utcnow()
    record_event("certification.returned", "application", application.id, summary=application.programme.slug,
                 after={"reasons": application.reasons}, actor=reviewer)


def add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def validity(programme: Programme, now: datetime, renewing: Certificate | None) -> tuple[datetime, datetime, datetime]:
    """(expires_at, renew_from, grace_until) of a new certificate. Renewed before the old expiry, the new
    cycle runs on from the old expiry (renewing early loses nothing); renewed later (in the grace period
    or after), it runs from its own issue date: no backdating."""
    months = programme.definition["validity_months"]
    recert = programme.definition["recertification"]
    anchor = renewing.expires_at if renewing is not None and now < renewing.expires_at else now
    expires = add_months(anchor, months)
    return expires, expires - timedelta(days=recert["window_days"]), expires + timedelta(days=recert["grace_days"])


def new_public_id() -> str:
    return secrets.token_urlsafe(32)  # 256 random bits


def issue(application: Application, reviewer: User, now: datetime | None = None,
          check_requirements: bool = True, render: bool = True) -> Certificate:
    """Issue the certificate of an open application (once, whatever the races)."""
    now = now or utcnow()
    application = load_application(application.id, lock=True)
    if not can_review(reviewer, application.user):
        raise PermissionError
    if application.status == ApplicationStatus.ISSUED:
        existing = db.session.scalar(select(Certificate).where(Certificate.application_id == application.id))
        if existing is not None:
            return existing
    if application.status not in OPEN_STATUSES:
        raise DomainError(_("This application has already been decided."))
    programme = application.programme
    if check_requirements:
        state = eligibility(application.user, programme)
        if not state.met:
            raise DomainError(_("The learner no longer meets every requirement: return the application instead."))
    renewing = db.session.get(Certificate, application.renewing_id) if application.renewing_id else None
    if renewing is not None and certificate_state(renewing, now) not in ACTIVE_STATES:
        renewing = None
    expires, renew_from, grace_until = validity(programme, now, renewing)
    previous = db.session.scalar(select(func.max(Certificate.cycle)).where(
        Certificate.user_id == application.user_id, Certificate.programme_id == programme.id)) or 0
    cert = Certificate(public_id=new_public_id(), user_id=application.user_id, programme_id=programme.id,
                       application_id=application.id, cycle=previous + 1, holder_name=application.user.name,
                       programme_title=programme.title, issuer_name=current_app.config["ORGANISATION_NAME"],
                       issued_by_id=reviewer.id, issued_at=now, expires_at=expires, renew_from=renew_from,
                       grace_until=grace_until)
    db.session.add(cert)
    db.session.flush()
    if renewing is not None:
        renewing.superseded_by_id, renewing.superseded_at = cert.id, now
    application.status, application.decided_at = ApplicationStatus.ISSUED, now
    application.reviewer_id = application.reviewer_id or reviewer.id
    record_event("certification.issued", "certificate", cert.id,
                 summary=f"{application.user.employee_no} {programme.slug} cycle {cert.cycle}",
                 after={"application": application.id, "expires_at": expires.isoformat(),
                        "renewed": renewing.id if renewing else None}, actor=reviewer)
    if render:  # the PDF is made once, on the task queue, and kept
        from lms.certification.documents import render_certificate
        from lms.tasks import enqueue_after_commit

        enqueue_after_commit(render_certificate, cert.id)
    return cert


def revoke(cert: Certificate, actor: User, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for revoking."), field="reason")
    if cert.revoked_at is not None:
        raise DomainError(_("This certificate is already revoked."))
    cert.revoked_at, cert.revoked_reason, cert.revoked_by_id = utcnow(), reason[:2000], actor.id
    record_event("certification.revoked", "certificate", cert.id, summary=f"{cert.public_id[:8]}…",
                 after={"reason": cert.revoked_reason}, actor=actor)


def set_public(cert: Certificate, holder: User, public: bool) -> None:
    if cert.user_id != holder.id:
        raise PermissionError
    if cert.public != public:
        cert.public = public
        record_event("certification.visibility", "certificate", cert.id, after={"public": public}, actor=holder)


def certificate_by_public_id(public_id: str) -> Certificate | None:
    if not public_id or len(public_id) > 64:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.public_id == public_id))


# ---------------------------------------------------------------- review queue and overviews


def review_queue(actor: User) -> list[Application]:
    stmt = (select(Application).where(Application.status.in_(OPEN_STATUSES))
            .options(selectinload(Application.user), selectinload(Application.programme))
            .order_by(Application.applied_at))
    teams = reviewable_user_ids(actor)
    if teams is not None:
        stmt = stmt.join(User, User.id == Application.user_id).where(User.team_id.in_(teams or [-1]),
                                                                      User.id != actor.id)
    return list(db.session.scalars(stmt.limit(500)))


def my_overview(user: User) -> list[Eligibility]:
    found = evaluate([user], programmes())
    return [found[(user.id, p.id)] for p in programmes()]


def applications_of(user: User, programme: Programme) -> list[Application]:
    return list(db.session.scalars(select(Application).where(
        Application.user_id == user.id, Application.programme_id == programme.id).order_by(Application.applied_at.desc())))


@dataclass
class TeamRow:
    user: User
    states: dict = field(default_factory=dict)  # programme id → Eligibility


def team_overview(actor: User, text: str = "", page: int = 1, per_page: int = 50):
    """One page of the people the actor may see (a manager's teams; everyone for trainers), found by name
    or employee number, with each programme's state: a fixed number of queries whatever the page size."""
    from lms.accounts.users import where_user_matches

    teams = reviewable_user_ids(actor)
    conditions = [User.is_active.is_(True)] + ([User.team_id.in_(teams or [-1])] if teams is not None else [])
    stmt = where_user_matches(select(User).where(*conditions).order_by(User.employee_no), text)
    found_page = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=False)
    # A count of ids alone, not of the whole rows paginate() would wrap in a subquery.
    found_page.total = db.session.scalar(where_user_matches(select(func.count(User.id)).where(*conditions), text))
    users = list(found_page.items)
    progs = programmes()
    found = evaluate(users, progs)
    return progs, found_page, [TeamRow(u, {p.id: found[(u.id, p.id)] for p in progs}) for u in users]


# ---------------------------------------------------------------- reminders


def due_reminders(now: datetime | None = None) -> list[tuple[Certificate, int]]:
    """Certificates that crossed a rung of their programme's reminder ladder and were not reminded of it."""
    now = now or utcnow()
    certs = list(db.session.scalars(
        select(Certificate).where(Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None),
                                  Certificate.expires_at > now, Certificate.expires_at <= now + timedelta(days=366))
        .options(selectinload(Certificate.user), selectinload(Certificate.programme))))
    sent = defaultdict_set(db.session.execute(select(CertificateReminder.certificate_id, CertificateReminder.days)
                                              .where(CertificateReminder.certificate_id.in_([c.id for c in certs]))))
    due = []
    for cert in certs:
        left = (cert.expires_at - now).total_seconds() / 86400
        ladder = cert.programme.definition["recertification"].get("reminder_days", [])
        crossed = [d for d in ladder if left <= d and d not in sent.get(cert.id, set())]
        if crossed:
            due.append((cert, min(crossed)))
    return due


def defaultdict_set(rows) -> dict[int, set]:
    out: dict[int, set] = {}
    for key, value in rows:
        out.setdefault(key, set()).add(value)
    return out


def send_reminders(now: datetime | None = None) -> int:
    """Mail each holder (and their team's managers) once per rung; rungs skipped at once are recorded too."""
    from lms.mail import send_mail
    from lms.urls import external_url

    now = now or utcnow()
    count = 0
    for cert, days in due_reminders(now):
        ladder = cert.programme.definition["recertification"].get("reminder_days", [])
        left = max(0, (cert.expires_at - now).days)
        link = external_url("certification.programme", slug=cert.programme.slug)
        subject = f"認證即將到期：{cert.programme_title}（剩 {left} 天）"
        body = (f"{cert.holder_name} 您好：\n\n您的「{cert.programme_title}」認證將於 "
                f"{cert.expires_at.date().isoformat()} 到期（剩 {left} 天）。請在到期前完成重新認證的要求並提出申請：\n"
                f"{link}\n\n客戶服務中心 培訓組")
        recipients = [cert.user.email] if cert.user.email else []
        if cert.user.team is not None:
            for manager in cert.user.team.managers:
                if manager.email and manager.is_active:
                    recipients.append(manager.email)
        for to in dict.fromkeys(recipients):
            send_mail(to, subject, body)
        for rung in [d for d in ladder if d >= days]:
            if db.session.scalar(select(CertificateReminder.id).where(CertificateReminder.certificate_id == cert.id,
                                                                      CertificateReminder.days == rung)) is None:
                db.session.add(CertificateReminder(certificate_id=cert.id, days=rung, sent_at=now,
                                                   recipients=len(recipients) if rung == days else 0))
        count += 1
    db.session.flush()
    return count


# ---------------------------------------------------------------- update requirements after a standard changes


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
    progs = programmes()
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


def create_update(programme: Programme, actor: User, title: str, reason: str, item_codes: list[str],
                  requirements: list[dict], due_on: date) -> UpdateRequirement:
    if not title.strip():
        raise DomainError(_("Give the update a title."), field="title")
    if not requirements:
        raise DomainError(_("Choose at least one thing the holders must do."), field="requirements")
    if due_on <= utcnow().date():
        raise DomainError(_("The due date must be in the future."), field="due_on")
    update = UpdateRequirement(programme_id=programme.id, title=title.strip()[:200], reason=reason.strip()[:4000],
                               item_codes=item_codes, requirements=requirements, issued_before=utcnow(),
                               due_on=due_on, created_by_id=actor.id)
    db.session.add(update)
    db.session.flush()
    record_event("certification.update_required", "update_requirement", update.id, summary=programme.slug,
                 after={"items": item_codes, "requirements": requirements, "due_on": due_on.isoformat()}, actor=actor)
    return update


@dataclass
class UpdateState:
    update: UpdateRequirement
    certificate: Certificate
    results: list  # (requirement, met, link)

    @property
    def done(self) -> bool:
        return all(met for _r, met, _l in self.results)

    @property
    def overdue(self) -> bool:
        return not self.done and utcnow().date() > self.update.due_on


def updates_for(user: User) -> list[UpdateState]:
    """The update requirements that apply to the user's active certificates, with what is done."""
    certs = [c for c in db.session.scalars(select(Certificate).where(Certificate.user_id == user.id))
             if certificate_state(c) in ACTIVE_STATES]
    if not certs:
        return []
    updates = list(db.session.scalars(select(UpdateRequirement).where(
        UpdateRequirement.programme_id.in_([c.programme_id for c in certs]))))
    if not updates:
        return []
    acks = {(a.update_id, a.requirement_id) for a in db.session.scalars(
        select(Acknowledgement).where(Acknowledgement.user_id == user.id))}
    from lms.certification.eligibility import _check, _gather, _links

    ev = _gather([user.id], [Programme(id=u.programme_id, slug="", definition={"requirements": u.requirements})
                             for u in updates])
    links = _links()
    out = []
    for update in updates:
        cert = next((c for c in certs if c.programme_id == update.programme_id and c.issued_at < update.issued_before),
                    None)
        if cert is None:
            continue
        results = []
        for req in update.requirements:
            if req["kind"] == "acknowledge":
                results.append((req, (update.id, req["id"]) in acks, None))
            else:
                r = _check(req, user.id, update.programme, ev, update.created_at, links)
                results.append((req, r.met, r.link))
        out.append(UpdateState(update, cert, results))
    return out


def acknowledge(user: User, update: UpdateRequirement, requirement_id: str) -> None:
    if not any(r["id"] == requirement_id and r["kind"] == "acknowledge" for r in update.requirements):
        raise DomainError(_("Nothing to confirm here."))
    if db.session.scalar(select(Acknowledgement.id).where(Acknowledgement.update_id == update.id,
                                                          Acknowledgement.user_id == user.id,
                                                          Acknowledgement.requirement_id == requirement_id)):
        return
    db.session.add(Acknowledgement(update_id=update.id, user_id=user.id, requirement_id=requirement_id))
    record_event("certification.acknowledged", "update_requirement", update.id, actor=user, summary=requirement_id)


def requirement_names(programme_list: list[Programme]) -> dict[str, str]:
    """'course:FND-101' → 'FND-101 企業介紹與服務中心組織', and so on for exams and scenarios (a few queries)."""
    from lms.calls.models import Scenario, ScenarioVersion
    from lms.courses.models import Course, CourseVersion
    from lms.exams.models import Exam, ExamVersion

    reqs = [r for p in programme_list for r in p.definition["requirements"] + p.definition["recertification"][
        "requirements"]]
    names: dict[str, str] = {}
    codes = {r["course"] for r in reqs if r["kind"] == "course"}
    if codes:
        for code, title in db.session.execute(select(Course.code, CourseVersion.title).join(
                CourseVersion, CourseVersion.id == Course.published_version_id).where(Course.code.in_(codes))):
            names[f"course:{code}"] = f"{code} {title}"
    exams = {r["exam"] for r in reqs if r["kind"] == "exam"}
    if exams:
        for slug, title in db.session.execute(select(Exam.slug, ExamVersion.title).join(
                ExamVersion, ExamVersion.id == Exam.current_version_id).where(Exam.slug.in_(exams))):
            names[f"exam:{slug}"] = title
    slugs = {r["scenario"] for r in reqs if r["kind"] == "scenario"}
    if slugs:
        for slug, title in db.session.execute(select(Scenario.slug, ScenarioVersion.title).join(
                ScenarioVersion, and_(ScenarioVersion.scenario_id == Scenario.id,
                                      ScenarioVersion.number == Scenario.current_number)).where(Scenario.slug.in_(slugs))):
            names[f"scenario:{slug}"] = title
    return names


def check_programme_source(source: str, programme: Programme) -> tuple[dict | None, list]:
    """Validate a programme edited in the browser like the importer does, against what the database holds."""
    from lms.calls.models import Scenario
    from lms.certification.loader import References, check_programme_references, programme_from_data
    from lms.content.files import ContentError, load_yaml
    from lms.courses.models import Course
    from lms.exams.models import Exam
    from lms.standards.models import StandardItem

    name = f"{programme.slug}.yaml"
    try:
        data = load_yaml(source or "", name)
    except ContentError as exc:
        return None, [exc]
    spec, errors = programme_from_data(data, name)
    if spec is None:
        return None, errors
    if spec.slug != programme.slug:
        return None, [ContentError(name, data.line_of("slug"), "slug", _("the slug cannot change here"))]
    others = [s for s in _specs_of_other_programmes(programme)]
    errors = [e for e in check_programme_references([spec, *others], References(
        course_codes=set(db.session.scalars(select(Course.code))),
        exam_slugs=set(db.session.scalars(select(Exam.slug))),
        scenario_slugs=set(db.session.scalars(select(Scenario.slug))),
        item_codes=set(db.session.scalars(select(StandardItem.code))))) if e.path == name]
    return (None, errors) if errors else (spec.definition, [])


def _specs_of_other_programmes(programme: Programme):
    from lms.certification.loader import ProgrammeSpec

    for other in programmes():
        if other.id != programme.id:
            yield ProgrammeSpec(other.slug, other.definition, f"{other.slug}.yaml",
                                {("programme", p): None for p in other.definition.get("prerequisites", [])})
