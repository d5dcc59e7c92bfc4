"""Bulk issue after an exam session: every learner who now meets a programme's requirements gets the
certificate, on the task queue in chunks (never in the request), with live progress."""

from sqlalchemy import select, update

from lms.accounts.models import User
from lms.certification.eligibility import evaluate
from lms.certification.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    BulkJob,
    JobStatus,
    Programme,
)
from lms.db import db, utcnow
from lms.tasks import app_task, enqueue_after_commit, huey

CHUNK = 50


def candidates(programme: Programme, limit: int = 5000) -> list[User]:
    """Active people who meet every requirement and hold no valid certificate of the programme."""
    users = list(db.session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.employee_no)
                                    .limit(limit)))
    states = evaluate(users, [programme])
    return [u for u in users if (s := states[(u.id, programme.id)]).met
            and (not s.holds_valid or s.kind == ApplicationKind.RENEWAL)]


def start(programme: Programme, actor: User, user_ids: list[int]) -> BulkJob:
    job = BulkJob(kind="issue", programme_id=programme.id, total=len(user_ids), created_by_id=actor.id,
                  status=JobStatus.QUEUED)
    db.session.add(job)
    db.session.flush()
    for i in range(0, len(user_ids), CHUNK):
        enqueue_after_commit(issue_chunk, job.id, programme.id, user_ids[i:i + CHUNK], actor.id)
    if not user_ids:
        job.status, job.finished_at = JobStatus.FINISHED, utcnow()
    return job


def _progress(job_id: int, done: int = 0, failed: int = 0, message: str = "") -> None:
    values = {"done": BulkJob.done + done, "failed": BulkJob.failed + failed, "status": JobStatus.RUNNING}
    if message:
        values["message"] = message[:2000]
    db.session.execute(update(BulkJob).where(BulkJob.id == job_id).values(**values))
    job = db.session.get(BulkJob, job_id)
    db.session.refresh(job)
    if job.done + job.failed >= job.total:
        job.status, job.finished_at = JobStatus.FINISHED, utcnow()


def _commit() -> None:
    """End the task's transaction (in immediate mode the task is part of the caller's, which commits)."""
    if not huey.immediate:
        db.session.commit()


@app_task()
def issue_chunk(job_id: int, programme_id: int, user_ids: list[int], actor_id: int) -> int:
    """Issue the certificates of one chunk in one short transaction (each person in a savepoint), then
    render their PDFs one by one outside any transaction, so parallel workers never wait for a render."""
    from lms.certification import documents, services
    from lms.pdf import PdfError

    programme = db.session.get(Programme, programme_id)
    actor = db.session.get(User, actor_id)
    users = list(db.session.scalars(select(User).where(User.id.in_(user_ids))))
    states = evaluate(users, [programme])
    issued: list[tuple[int, str]] = []
    failures: list[str] = []
    for user in users:
        state = states[(user.id, programme.id)]
        try:
            with db.session.begin_nested():  # one person's problem rolls back only their own rows
                if not state.met:
                    raise ValueError("no longer meets the requirements")
                application = state.open_application
                if application is None:
                    application = Application(
                        user_id=user.id, programme_id=programme.id, kind=state.kind,
                        status=ApplicationStatus.APPLIED, evidence=[r.as_evidence() for r in state.results],
                        renewing_id=state.current.id if state.kind == ApplicationKind.RENEWAL else None)
                    db.session.add(application)
                    db.session.flush()
                issued.append((services.issue(application, actor, check_requirements=False, render=False).id,
                               user.employee_no))
        except Exception as exc:  # noqa: BLE001 - reported in the job, the batch goes on
            failures.append(f"{user.employee_no}: {exc}")
    if failures:
        _progress(job_id, failed=len(failures), message=failures[-1])
    _commit()  # the certificates are valid from here, whatever happens to their PDFs
    for certificate_id, employee_no in issued:
        message = ""
        try:
            documents.keep_rendered(certificate_id, release=_commit)
        except PdfError as exc:  # the certificate stands; its PDF renders on the first download instead
            message = f"{employee_no}: PDF not kept ({exc})"
        _progress(job_id, done=1, message=message)
        _commit()
    return len(issued)
