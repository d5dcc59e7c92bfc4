"""The reads of the other domains' records (assignments, progress, results, certificates, surveys) and
the assignment of courses: queries in a fixed number of statements per page, through the domains' own
services where they have one."""

from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from lms.accounts.identifiers import normalise_employee_no, without_nul
from lms.accounts.models import Team, User
from lms.api.errors import ApiError
from lms.api.visibility import survey_team_ids, visible_people
from lms.calls.models import CallAttempt, Scenario
from lms.certification.models import Certificate
from lms.certification.rules import certificate_state
from lms.courses.enrolment import assign_course
from lms.courses.models import Course, Enrolment, LessonProgress, LessonVersion
from lms.courses.progress import lesson_counts
from lms.db import db
from lms.errors import DomainError
from lms.evaluation.models import Observation
from lms.evaluation.survey_results import ResultFilter, survey_results
from lms.exams.models import Attempt

FIELDS = {"people": "employee_nos", "teams": "teams", "course": "course", "due_date": "due_date"}


def for_person(stmt, user_column, employee_no: str | None):
    """``stmt`` limited to the people the token's person may see, and to one of them when an employee
    number is given."""
    stmt = visible_people(stmt, user_column, current_user)
    if employee_no is None:
        return stmt
    number = normalise_employee_no(without_nul(employee_no))
    return stmt.where(user_column.in_(select(User.id).where(User.employee_no == number).scalar_subquery()))


def enrolments(employee_no: str | None):
    stmt = select(Enrolment).options(joinedload(Enrolment.user), joinedload(Enrolment.course))
    return for_person(stmt, Enrolment.user_id, employee_no)


def assignment_out(enrolment: Enrolment) -> dict:
    return {"id": enrolment.id, "employee_no": enrolment.user.employee_no, "course": enrolment.course.code,
            "source": str(enrolment.source), "due_date": enrolment.due_date, "enrolled_at": enrolment.enrolled_at,
            "completed_at": enrolment.completed_at}


def assign(item, actor: User) -> int:
    """Assign a course to people and whole teams (lms.courses.enrolment.assign_course)."""
    names = {n.strip().lower() for n in item.teams}
    teams = dict(db.session.execute(select(func.lower(Team.name), Team.id)
                                    .where(func.lower(Team.name).in_(sorted(names)))).all()) if names else {}
    if missing := sorted(names - set(teams)):
        raise ApiError(422, details=[{"field": "teams", "message": _("There is no team called %(name)s.", name=n)}
                                     for n in missing])
    try:
        return assign_course(actor, without_nul(item.course).strip().upper(), item.due_date,
                             "\n".join(without_nul(n) for n in item.employee_nos), sorted(teams.values()))
    except DomainError as exc:
        raise ApiError(422, details=[{"field": FIELDS.get(exc.field, exc.field), "message": str(exc.message)}]) from exc


def progress_out(rows: list[Enrolment]) -> list[dict]:
    """Each enrolment with the lessons its person completed in the course's published version."""
    versions = {e.id: e.course.published_version_id for e in rows}
    totals = lesson_counts([v for v in versions.values() if v])
    done = {}
    if rows:
        done = {(user_id, version): n for user_id, version, n in db.session.execute(
            select(LessonProgress.user_id, LessonVersion.course_version_id, func.count())
            .join(LessonVersion, LessonVersion.lesson_id == LessonProgress.lesson_id)
            .where(LessonProgress.user_id.in_({e.user_id for e in rows}),
                   LessonVersion.course_version_id.in_({v for v in versions.values() if v}),
                   LessonProgress.completed_at.is_not(None))
            .group_by(LessonProgress.user_id, LessonVersion.course_version_id))}
    out = []
    for e in rows:
        total, completed = totals.get(versions[e.id], 0), done.get((e.user_id, versions[e.id]), 0)
        percent = 100 if e.completed_at else (round(100 * completed / total) if total else 0)
        out.append({**assignment_out(e), "lessons_completed": completed, "lessons_total": total, "percent": percent})
    return out


def exam_results(employee_no: str | None):
    stmt = select(Attempt).options(joinedload(Attempt.user), joinedload(Attempt.exam))
    return for_person(stmt, Attempt.user_id, employee_no)


def exam_result_out(a: Attempt) -> dict:
    return {"id": a.id, "employee_no": a.user.employee_no, "exam": a.exam.slug, "number": a.number,
            "status": str(a.status), "submitted_at": a.submitted_at, "percent": a.percent, "passed": a.passed}


def call_results(employee_no: str | None):
    stmt = select(CallAttempt).options(joinedload(CallAttempt.user), joinedload(CallAttempt.scenario))
    return for_person(stmt, CallAttempt.user_id, employee_no)


def call_result_out(c: CallAttempt) -> dict:
    return {"id": c.id, "employee_no": c.user.employee_no, "scenario": c.scenario.slug, "mode": str(c.mode),
            "status": str(c.status), "finished_at": c.finished_at, "percent": c.percent, "passed": c.passed}


def observations(employee_no: str | None):
    stmt = select(Observation).options(joinedload(Observation.learner))
    return for_person(stmt, Observation.learner_id, employee_no)


def observations_out(rows: list[Observation]) -> list[dict]:
    ids = {o.scenario_id for o in rows}
    slugs = dict(db.session.execute(select(Scenario.id, Scenario.slug).where(Scenario.id.in_(ids))).all()) if ids else {}
    return [{"id": o.id, "employee_no": o.learner.employee_no, "scenario": slugs.get(o.scenario_id, ""),
             "status": str(o.status), "due_on": o.due_on, "observed_on": o.observed_on, "percent": o.percent}
            for o in rows]


def certificates(employee_no: str | None):
    stmt = select(Certificate).options(joinedload(Certificate.user), joinedload(Certificate.programme))
    return for_person(stmt, Certificate.user_id, employee_no)


def certificate_out(c: Certificate) -> dict:
    return {"public_id": c.public_id, "employee_no": c.user.employee_no, "holder": c.holder_name,
            "programme": c.programme_title, "issued_at": c.issued_at, "expires_at": c.expires_at,
            "state": certificate_state(c), "revoked_at": c.revoked_at}


def certificate(public_id: str) -> Certificate:
    cert = db.session.scalar(certificates(None).where(Certificate.public_id == without_nul(public_id)[:64]))
    if cert is None:
        raise ApiError(404, _("No certificate has this identifier."))
    return cert


def surveys(query) -> list[dict]:
    """Each survey's aggregate (lms.evaluation.survey_results), hidden below the minimum group."""
    course = without_nul(query.course).strip().upper() if query.course else ""
    if course and db.session.scalar(select(Course.id).where(Course.code == course)) is None:
        raise ApiError(422, details=[{"field": "course", "message": _("There is no such course.")}])
    out = []
    for result in survey_results(ResultFilter(course=course, start=query.start, end=query.end,
                                                team_ids=survey_team_ids(current_user))):
        total = result.total
        out.append({"survey": result.slug, "title": result.title, "offered": total.offered,
                    "responded": total.responded, "response_rate": total.rate, "hidden": total.hidden,
                    "overall_mean": None if total.hidden else total.overall_mean,
                    "nps": total.nps.score if total.nps and not total.hidden else None,
                    "items": [] if total.hidden else [{"id": i.id, "text": i.text, "n": i.n, "mean": i.mean}
                                                      for i in total.items]})
    return out
