"""Events raised in a request (a course assigned, an application decided, an answer graded): the signal
handlers pass the ids on to a task, which runs once the request has committed, in a transaction of its own,
and sends what the recipients' preferences ask for (the same once-only record as the daily run)."""

from lms.db import utcnow
from lms.notifications.dispatch import dispatch
from lms.notifications.kinds import load_kinds
from lms.tasks import app_task, enqueue_after_commit


@app_task(retries=2, retry_delay=60)
def notify_task(kind: str, ids: list[int]) -> None:
    now = utcnow()
    dispatch(load_kinds()[kind].for_ids(ids, now), now)


def raise_event(kind: str, ids: list[int]) -> None:
    """Tell of these subjects once the current transaction commits."""
    if ids:
        enqueue_after_commit(notify_task, kind, list(ids))


def on_courses_assigned(_course, enrolments, **_extra) -> None:
    raise_event("course_assigned", [e.id for e in enrolments])


def on_attempt_graded(attempt, **_extra) -> None:
    raise_event("results_released", [attempt.id])


def on_certificate_issued(certificate, **_extra) -> None:
    if certificate.application_id is not None:
        raise_event("application_issued", [certificate.application_id])


def on_application_returned(application, **_extra) -> None:
    raise_event("application_returned", [application.id])


def on_kpis_imported(kpi_import, **_extra) -> None:
    raise_event("kpi_below_threshold", [kpi_import.id])


def on_case_returned(case, **_extra) -> None:
    raise_event("case_returned", [case.id])
