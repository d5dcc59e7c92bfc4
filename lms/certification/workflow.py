"""The certification workflow: a learner applies (or withdraws); a reviewer takes the application,
returns it with reasons or issues the certificate; a trainer revokes a certificate; the holder chooses
whether its verification page shows anything."""

import secrets
from datetime import datetime

from blinker import Namespace
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.certification.credential_status import allocate_status_index
from lms.certification.eligibility import eligibility
from lms.certification.models import (
    OPEN_STATUSES,
    Application,
    ApplicationKind,
    ApplicationStatus,
    Certificate,
    Programme,
)
from lms.certification.reviewers import NotYours, check_reviewer
from lms.certification.rules import ACTIVE_STATES, Eligibility, certificate_state, validity
from lms.db import db, get_row, utcnow
from lms.errors import DomainError


def application_from(state: Eligibility) -> Application:
    """A new application for what the person's standing shows: first certification or renewal, with the
    evidence as it stands now."""
    return Application(user_id=state.user_id, programme_id=state.programme.id, kind=state.kind,
                       status=ApplicationStatus.APPLIED, evidence=[r.as_evidence() for r in state.results],
                       renewing_id=state.current.id if state.kind == ApplicationKind.RENEWAL else None)


def apply_for_certificate(user: User, programme: Programme) -> Application:
    """Apply once every requirement is met (the open application, if there is one already)."""
    state = eligibility(user, programme)
    if state.open_application is not None:
        return state.open_application
    if not state.working_towards:
        raise DomainError(_("You already hold this certificate; renewal opens %(days)d days before it expires.",
                            days=programme.definition["recertification"]["window_days"]))
    if not state.met:
        raise DomainError(_("Some requirements are not met yet."))
    application = application_from(state)
    try:
        with db.session.begin_nested():
            db.session.add(application)
            db.session.flush()
    except IntegrityError:  # applied twice at once: the other request's application stands
        existing = db.session.scalar(select(Application).where(
            Application.user_id == user.id, Application.programme_id == programme.id,
            Application.status.in_(OPEN_STATUSES)))
        if existing is None:
            raise
        return existing
    record_event("certification.applied", "application", application.id, summary=f"{programme.slug} {state.kind}",
                 after={"evidence": application.evidence}, actor=user)
    return application


def withdraw_application(application: Application, user: User) -> None:
    if application.user_id != user.id or not application.is_open:
        raise DomainError(_("This application can no longer be withdrawn."))
    application.status, application.decided_at = ApplicationStatus.WITHDRAWN, utcnow()
    record_event("certification.withdrawn", "application", application.id, actor=user)


def start_review(application: Application, reviewer: User) -> None:
    """Mark the application as under this reviewer's review, so others know."""
    check_reviewer(reviewer, application.user)
    if application.status != ApplicationStatus.APPLIED:
        raise DomainError(_("This application is not waiting for a reviewer."))
    application.status, application.reviewer_id = ApplicationStatus.UNDER_REVIEW, reviewer.id
    application.review_started_at = utcnow()
    record_event("certification.review_started", "application", application.id, actor=reviewer,
                 summary=application.programme.slug)


def return_application(application: Application, reviewer: User, reasons: str) -> None:
    """Send the application back with what the learner must do before applying again."""
    check_reviewer(reviewer, application.user)
    if not application.is_open:
        raise DomainError(_("This application has already been decided."))
    reasons = (reasons or "").strip()
    if not reasons:
        raise DomainError(_("Say what the learner must do before applying again."), field="reasons")
    application.status, application.reasons = ApplicationStatus.RETURNED, reasons[:4000]
    application.reviewer_id, application.decided_at = reviewer.id, utcnow()
    record_event("certification.returned", "application", application.id, summary=application.programme.slug,
                 after={"reasons": application.reasons}, actor=reviewer)
    application_returned.send(application)


def new_public_id() -> str:
    return secrets.token_urlsafe(32)  # 256 random bits


def _renewed_certificate(application: Application, now: datetime) -> Certificate | None:
    renewing = db.session.get(Certificate, application.renewing_id) if application.renewing_id else None
    return renewing if renewing is not None and certificate_state(renewing, now) in ACTIVE_STATES else None


signals = Namespace()
# Sent with each certificate issued (observations of real calls are scheduled from it).
certificate_issued = signals.signal("certificate-issued")
# Sent with each application sent back to the learner (the learner is told why).
application_returned = signals.signal("application-returned")
# Sent with each certificate revoked (webhooks tell other systems).
certificate_revoked = signals.signal("certificate-revoked")


def _new_certificate(application: Application, reviewer: User, now: datetime) -> Certificate:
    programme = application.programme
    renewing = _renewed_certificate(application, now)
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
    allocate_status_index(cert)
    if renewing is not None:
        renewing.superseded_by_id, renewing.superseded_at = cert.id, now
    record_event("certification.issued", "certificate", cert.id,
                 summary=f"{application.user.employee_no} {programme.slug} cycle {cert.cycle}",
                 after={"application": application.id, "expires_at": expires.isoformat(),
                        "renewed": renewing.id if renewing else None}, actor=reviewer)
    return cert


def still_met(application: Application, state=None) -> bool:
    """Whether an open application can be decided: the applicant meets the requirements today, or, when the
    programme was saved again after they applied (its editor makes a new version), the programme they
    applied under — every requirement met then (the application's evidence), prerequisites still held.
    A requirement added while the application waited does not hold it up. (``state``: its eligibility, when
    the caller has it already.)"""
    state = state or eligibility(application.user, application.programme)
    if state.met or application.programme.updated_at <= application.applied_at:
        return state.met
    met_then = {e["id"]: bool(e.get("met")) for e in application.evidence or []}
    return bool(met_then) and not state.missing_prerequisites and all(
        r.met or met_then.get(r.requirement["id"], True) for r in state.results)


def issue_certificate(application: Application, reviewer: User, now: datetime | None = None,
                      check_requirements: bool = True, render: bool = True) -> Certificate:
    """Issue the certificate of an open application (once, whatever the races). Its PDF is rendered by a
    task of its own once this transaction commits (``render``; bulk issue queues its own)."""
    now = now or utcnow()
    application = get_row(Application, application.id, lock=True)
    check_reviewer(reviewer, application.user)
    if application.status == ApplicationStatus.ISSUED:
        existing = db.session.scalar(select(Certificate).where(Certificate.application_id == application.id))
        if existing is not None:
            return existing
    if not application.is_open:
        raise DomainError(_("This application has already been decided."))
    if check_requirements and not still_met(application):
        raise DomainError(_("The learner no longer meets every requirement: return the application instead."))
    cert = _new_certificate(application, reviewer, now)
    application.status, application.decided_at = ApplicationStatus.ISSUED, now
    application.reviewer_id = application.reviewer_id or reviewer.id
    certificate_issued.send(cert)
    if render:
        from lms.certification.documents import render_certificate
        from lms.tasks import enqueue_after_commit

        enqueue_after_commit(render_certificate, cert.id)
    return cert


def revoke_certificate(cert: Certificate, actor: User, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for revoking."), field="reason")
    if cert.revoked_at is not None:
        raise DomainError(_("This certificate is already revoked."))
    cert.revoked_at, cert.revoked_reason, cert.revoked_by_id = utcnow(), reason[:2000], actor.id
    record_event("certification.revoked", "certificate", cert.id, summary=f"{cert.public_id[:8]}…",
                 after={"reason": cert.revoked_reason}, actor=actor)
    certificate_revoked.send(cert)


def set_certificate_visibility(cert: Certificate, holder: User, public: bool) -> None:
    """The holder shows or hides the certificate's public verification page."""
    if cert.user_id != holder.id:
        raise NotYours(f"{holder.id} does not hold certificate {cert.id}")
    if cert.public != public:
        cert.public = public
        record_event("certification.visibility", "certificate", cert.id, after={"public": public}, actor=holder)
