"""Assignments, progress, exam and call results, observations, certificates and survey results."""

from flask_login import current_user

from lms.api import records
from lms.api.framework import bp, operation
from lms.api.pagination import page
from lms.api.record_schemas import (
    AssignmentDone,
    AssignmentIn,
    AssignmentPage,
    CallResultPage,
    CertificateOut,
    CertificatePage,
    ExamResultPage,
    ObservationPage,
    PersonQuery,
    ProgressPage,
    SurveyQuery,
    SurveyResults,
)
from lms.calls.models import CallAttempt
from lms.certification.models import Certificate
from lms.courses.models import Enrolment
from lms.evaluation.models import Observation
from lms.exams.models import Attempt


def _by_id(row):
    return row.id


@bp.get("/assignments")
@operation("assignments:read", ok=AssignmentPage, query=PersonQuery, errors=(400,))
def list_assignments(query: PersonQuery):
    """Course assignments (enrolments), oldest first."""
    rows, link = page(records.enrolments(query.employee_no), Enrolment.id, query, _by_id)
    return AssignmentPage(items=[records.assignment_out(e) for e in rows], next=link)


@bp.post("/assignments")
@operation("assignments:write", ok=AssignmentDone, json=AssignmentIn)
def create_assignment(json: AssignmentIn):
    """Assign a course to people and whole teams, with a due date; people already enrolled keep their
    enrolment (its due date moves when a new one is given)."""
    return AssignmentDone(changed=records.assign(json, current_user))


@bp.get("/progress")
@operation("progress:read", ok=ProgressPage, query=PersonQuery, errors=(400,))
def list_progress(query: PersonQuery):
    """Each person's progress in each course they are enrolled in."""
    rows, link = page(records.enrolments(query.employee_no), Enrolment.id, query, _by_id)
    return ProgressPage(items=records.progress_out(rows), next=link)


@bp.get("/results/exams")
@operation("results:read", ok=ExamResultPage, query=PersonQuery, errors=(400,))
def list_exam_results(query: PersonQuery):
    """Exam attempts with their scores."""
    rows, link = page(records.exam_results(query.employee_no), Attempt.id, query, _by_id)
    return ExamResultPage(items=[records.exam_result_out(a) for a in rows], next=link)


@bp.get("/results/calls")
@operation("results:read", ok=CallResultPage, query=PersonQuery, errors=(400,))
def list_call_results(query: PersonQuery):
    """Simulated calls with their scores."""
    rows, link = page(records.call_results(query.employee_no), CallAttempt.id, query, _by_id)
    return CallResultPage(items=[records.call_result_out(c) for c in rows], next=link)


@bp.get("/results/observations")
@operation("results:read", ok=ObservationPage, query=PersonQuery, errors=(400,))
def list_observations(query: PersonQuery):
    """Observed calls (scheduled, done, cancelled) with their scores."""
    rows, link = page(records.observations(query.employee_no), Observation.id, query, _by_id)
    return ObservationPage(items=records.observations_out(rows), next=link)


@bp.get("/certificates")
@operation("certificates:read", ok=CertificatePage, query=PersonQuery, errors=(400,))
def list_certificates(query: PersonQuery):
    """Certificates issued, with their state today."""
    rows, link = page(records.certificates(query.employee_no), Certificate.id, query, _by_id)
    return CertificatePage(items=[records.certificate_out(c) for c in rows], next=link)


@bp.get("/certificates/<public_id>")
@operation("certificates:read", ok=CertificateOut, errors=(404,))
def verify_certificate(public_id: str):
    """Verify a certificate by its public identifier (the one printed on it and in its QR code)."""
    return CertificateOut(**records.certificate_out(records.certificate(public_id)))


@bp.get("/surveys/results")
@operation("surveys:read", ok=SurveyResults, query=SurveyQuery)
def list_survey_results(query: SurveyQuery):
    """Reaction survey results per survey, hidden below the minimum group size."""
    return SurveyResults(items=records.surveys(query))
