"""Certification: programmes, trainers' sign-offs, applications, certificates and their reminders,
update requirements after a standard changes, and bulk-issue jobs."""

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from lms.accounts.models import User
from lms.db import db, str_enum, utcnow


class Programme(db.Model):
    """A certification programme as imported from courses/programmes/<slug>.yaml (or edited by a trainer)."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[int] = mapped_column(default=1)
    definition: Mapped[dict]
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1)
    covered_items: Mapped[list] = mapped_column(default=list)  # standard item codes its evidence cites
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Programme {self.slug} v{self.version}>"


class SignOff(db.Model):
    """A trainer's observed-practice checklist for one learner and one sign-off requirement."""

    __tablename__ = "signoffs"
    __table_args__ = (Index("ix_signoffs_user_programme", "user_id", "programme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    requirement_id: Mapped[str] = mapped_column(String(60))
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ratings: Mapped[list]  # one 0/1/2 per checklist line
    percent: Mapped[float]
    passed: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")
    observed_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    trainer: Mapped[User | None] = relationship(foreign_keys=[trainer_id])


class ApplicationKind(enum.StrEnum):
    INITIAL = "initial"
    RENEWAL = "renewal"


class ApplicationStatus(enum.StrEnum):
    APPLIED = "applied"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"
    ISSUED = "issued"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = (ApplicationStatus.APPLIED, ApplicationStatus.UNDER_REVIEW)


class Application(db.Model):
    __tablename__ = "certification_applications"
    __table_args__ = (
        # At most one open application per person and programme, whatever the races.
        Index("uq_certification_applications_open", "user_id", "programme_id", unique=True,
              sqlite_where=text("status IN ('applied', 'under_review')"),
              postgresql_where=text("status IN ('applied', 'under_review')")),
        Index("ix_certification_applications_status", "status", "applied_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    kind: Mapped[ApplicationKind] = mapped_column(str_enum(ApplicationKind))
    status: Mapped[ApplicationStatus] = mapped_column(str_enum(ApplicationStatus))
    evidence: Mapped[list] = mapped_column(default=list)  # the requirements as met when applying
    renewing_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id", ondelete="SET NULL",
                                                               use_alter=True))
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    review_started_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    reasons: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    programme: Mapped[Programme] = relationship()

    @property
    def is_open(self) -> bool:
        """Not decided yet (nor withdrawn)."""
        return self.status in OPEN_STATUSES

    @property
    def waiting_for_reviewer(self) -> bool:
        return self.status == ApplicationStatus.APPLIED


class Certificate(db.Model):
    """One issued certificate: one cycle of a person's certification in a programme. Its lifecycle
    dates are fixed at issue, so its status can be read (and queried) without the programme."""

    __tablename__ = "certificates"
    __table_args__ = (Index("ix_certificates_user_programme", "user_id", "programme_id"),
                      Index("ix_certificates_expires_at", "expires_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(64), unique=True)  # 256 random bits, URL-safe
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("certification_applications.id", ondelete="SET NULL"), unique=True)
    cycle: Mapped[int] = mapped_column(default=1)
    holder_name: Mapped[str] = mapped_column(String(200))
    programme_title: Mapped[str] = mapped_column(String(200))
    issuer_name: Mapped[str] = mapped_column(String(200))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    renew_from: Mapped[datetime]  # the renewal window opens
    grace_until: Mapped[datetime]  # renewable until; expired after
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id", ondelete="SET NULL"))
    superseded_at: Mapped[datetime | None]
    public: Mapped[bool] = mapped_column(default=True)  # the holder may hide the verification page
    # Its position in the published status lists (credential_status.py): random, unique, kept for ever.
    status_index: Mapped[int | None] = mapped_column(unique=True)
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    pdf_rendered_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    programme: Mapped[Programme] = relationship()

    def __repr__(self) -> str:
        return f"<Certificate {self.id} {self.programme_id} cycle {self.cycle}>"


class KeyState(enum.StrEnum):
    ACTIVE = "active"  # signs new credentials; published
    RETIRED = "retired"  # signs nothing new; still published, so what it signed still verifies
    REVOKED = "revoked"  # compromised or withdrawn: no longer published, what it signed no longer verifies


class IssuerKey(db.Model):
    """A key pair of the issuer for signing Open Badges credentials (credential_signing.py).

    The private key is kept encrypted with a key derived from the application's SECRET_KEY, so every app
    host reads the same keys and a copy of the database alone does not sign anything."""

    __tablename__ = "issuer_keys"
    __table_args__ = (
        # At most one key signs at a time, whatever the races between hosts.
        Index("uq_issuer_keys_active", "state", unique=True,
              sqlite_where=text("state = 'active'"), postgresql_where=text("state = 'active'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thumbprint: Mapped[str] = mapped_column(String(64), unique=True)  # RFC 7638, names the key in its kid
    algorithm: Mapped[str] = mapped_column(String(10))
    public_jwk: Mapped[dict]
    private_key: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))  # encrypted (Fernet)
    state: Mapped[KeyState] = mapped_column(str_enum(KeyState))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<IssuerKey {self.thumbprint[:8]} {self.state}>"


class CertificateReminder(db.Model):
    """A rung of the reminder ladder already sent (or skipped) for a certificate."""

    __tablename__ = "certificate_reminders"
    __table_args__ = (UniqueConstraint("certificate_id", "days"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"))
    days: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    recipients: Mapped[int] = mapped_column(default=0)


class UpdateRequirement(db.Model):
    """After a standard item is revised: what holders of a programme's certificates must do to keep them."""

    __tablename__ = "update_requirements"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")
    item_codes: Mapped[list]
    requirements: Mapped[list]  # same shapes as a programme's requirements (acknowledge, exam, scenario)
    issued_before: Mapped[datetime]  # holders of certificates issued before this must comply
    due_on: Mapped[date]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    programme: Mapped[Programme] = relationship()


class Acknowledgement(db.Model):
    """A holder confirms having read a revised standard item (an update requirement of kind acknowledge)."""

    __tablename__ = "standard_acknowledgements"
    __table_args__ = (UniqueConstraint("update_id", "user_id", "requirement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("update_requirements.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    requirement_id: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


class BulkJob(db.Model):
    """Progress of work done on the task queue (bulk issue), shown live to the person who started it."""

    __tablename__ = "bulk_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id", ondelete="SET NULL"))
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    status: Mapped[JobStatus] = mapped_column(str_enum(JobStatus), default=JobStatus.QUEUED)
    message: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


__all__ = ["Acknowledgement", "Application", "ApplicationKind", "ApplicationStatus", "BulkJob", "Certificate",
           "CertificateReminder", "IssuerKey", "JobStatus", "KeyState", "OPEN_STATUSES", "Programme", "SignOff", "UpdateRequirement"]
