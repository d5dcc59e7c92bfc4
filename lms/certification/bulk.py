"""Bulk issue after an exam session: every learner who now meets a programme's requirements gets the
certificate, on the task queue in chunks (never in the request), with live progress.

Each chunk issues its certificates in one transaction; each certificate's PDF is then rendered by a task
of its own (lms.certification.documents.render_certificate), which counts the certificate as done. A
task commits once (lms/db.py, the write rule)."""

from sqlalchemy import select, update

from lms.accounts.models import User
from lms.certification.eligibility import evaluate
from lms.certification.models import BulkJob, JobStatus, Programme
from lms.db import db, utcnow
from lms.tasks import app_task, enqueue_after_commit

CHUNK = 50


def candidates(programme: Programme, limit: int = 5000) -> list[User]:
    """Active people who meet every requirement and hold no valid certificate of the programme."""
    users = list(db.session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.employee_no)
                                    .limit(limit)))
    states = evaluate(users, [programme])
    return [u for u in users if (s := states[(u.id, programme.id)]).met
            and s.working_towards]


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


def record_progress(job_id: int, done: int = 0, failed: int = 0, message: str = "") -> None:
    """Count work done on a job (in the caller's transaction); the last piece of work finishes it."""
    values = {"done": BulkJob.done + done, "failed": BulkJob.failed + failed, "status": JobStatus.RUNNING}
    if message:
        values["message"] = message[:2000]
    db.session.execute(update(BulkJob).where(BulkJob.id == job_id).values(**values))
    db.session.execute(update(BulkJob).where(BulkJob.id == job_id, BulkJob.done + BulkJob.failed >= BulkJob.total)
                       .values(status=JobStatus.FINISHED, finished_at=utcnow()))


def _issue_to(user: User, state, actor: User):
    """Issue one person's certificate in a savepoint: their problem rolls back only their own rows."""
    from lms.certification.workflow import application_from, issue_certificate

    with db.session.begin_nested():
        if not state.met:
            raise ValueError("no longer meets the requirements")
        application = state.open_application
        if application is None:
            application = application_from(state)
            db.session.add(application)
            db.session.flush()
        return issue_certificate(application, actor, check_requirements=False, render=False)


@app_task()
def issue_chunk(job_id: int, programme_id: int, user_ids: list[int], actor_id: int) -> int:
    """Issue the certificates of one chunk in one transaction (each person in a savepoint). Once it
    commits, each certificate's PDF is rendered by a task of its own, which counts it as done."""
    from lms.certification.documents import render_certificate

    programme = db.session.get(Programme, programme_id)
    actor = db.session.get(User, actor_id)
    users = list(db.session.scalars(select(User).where(User.id.in_(user_ids))))
    states = evaluate(users, [programme])
    issued, failures = [], []
    for user in users:
        try:
            issued.append(_issue_to(user, states[(user.id, programme.id)], actor).id)
        except Exception as exc:  # noqa: BLE001 - reported in the job, the batch goes on
            failures.append(f"{user.employee_no}: {exc}")
    if failures:
        record_progress(job_id, failed=len(failures), message=failures[-1])
    for certificate_id in issued:  # queued once the savepoints are all behind
        enqueue_after_commit(render_certificate, certificate_id, job_id)
    return len(issued)
