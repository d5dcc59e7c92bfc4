"""Notifications to learners (and the manager copies that go with them): courses assigned, due in 3 days and
overdue; results released; certification applications decided; certificates expiring."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Team, User
from lms.cases.models import Case, CaseStatus
from lms.certification.models import Application, ApplicationStatus, Certificate
from lms.courses.models import Course, CourseVersion, Enrolment, EnrolmentSource
from lms.db import db
from lms.exams.models import Attempt, AttemptQuestion, AttemptStatus, Exam, ExamVersion
from lms.exams.review import release_policy
from lms.notifications.kinds import Event, NotificationKind, isoformat, mailable, register_kind
from lms.timeutil import local_date
from lms.urls import external_url

ASSIGNED_DAYS = 2  # the daily run still tells of assignments this recent (if the request's task did not)
DUE_SOON_DAYS = 3
OVERDUE_DAYS = 30  # overdue courses are told of once, within this many days after their due date
RESULT_DAYS = 7
DECISION_DAYS = 7

# ---------------------------------------------------------------- courses


def _enrolment_rows(*where):
    return db.session.execute(
        select(Enrolment, Course.code, CourseVersion.title).join(Course, Course.id == Enrolment.course_id)
        .join(CourseVersion, CourseVersion.id == Course.published_version_id)
        .where(Enrolment.completed_at.is_(None), *where)
        .options(selectinload(Enrolment.user).selectinload(User.team).selectinload(Team.managers))).all()


def _course_values(enrolment: Enrolment, code: str, title: str) -> dict:
    return {"course": f"{code} {title}", "due": enrolment.due_date.isoformat() if enrolment.due_date else "—",
            "learner": enrolment.user.name, "link": external_url("courses.course", code=code)}


def _learner_events(kind: str, rows, dated: bool) -> list[Event]:
    return [Event(kind, e.user, f"enrolment:{e.id}" + (f":{e.due_date.isoformat()}" if dated else ""),
                  _course_values(e, code, title)) for e, code, title in rows if mailable(e.user)]


_ASSIGNED = Enrolment.source.in_([EnrolmentSource.ASSIGNED, EnrolmentSource.ONBOARDING])


def _assignment_events(rows) -> list[Event]:
    """One message per learner per assigning action: the enrolments found, each with the others the same action
    gave the same learner (open or finished since, so the message and its once-only key do not change with
    progress). One course: "course_assigned" keyed by the enrolment, as always; several: "courses_assigned"
    keyed by the action's batch, so a later action is told of again."""
    batches = {e.assignment_batch for e, _code, _title in rows if e.assignment_batch}
    if batches:
        wanted = {(e.user_id, e.assignment_batch) for e, _code, _title in rows}
        rows = [row for row in rows if not row[0].assignment_batch] + [
            row for row in _assigned_rows(Enrolment.assignment_batch.in_(batches),
                                          Enrolment.user_id.in_({user_id for user_id, _batch in wanted}))
            if (row[0].user_id, row[0].assignment_batch) in wanted]
    actions: dict[tuple, list] = defaultdict(list)
    for e, code, title in rows:
        if mailable(e.user):
            actions[(e.user_id, e.assignment_batch or f"enrolment:{e.id}")].append((e, code, title))
    events = []
    for (_user_id, batch), found in actions.items():
        if len(found) == 1:
            e, code, title = found[0]
            events.append(Event("course_assigned", e.user, f"enrolment:{e.id}", _course_values(e, code, title)))
            continue
        found.sort(key=lambda row: (row[0].due_date is None, row[0].due_date or date.min, row[1]))
        learner = found[0][0].user
        events.append(Event("courses_assigned", learner, f"assignment:{batch}", {
            "count": len(found), "learner": learner.name, "link": external_url("courses.mine"),
            "courses": [[f"{code} {title}", e.due_date.isoformat() if e.due_date else ""] for e, code, title in found]}))
    return events


def _assigned_rows(*where):
    """Enrolments someone else made, open or finished (what an assigning action gave)."""
    return db.session.execute(
        select(Enrolment, Course.code, CourseVersion.title).join(Course, Course.id == Enrolment.course_id)
        .join(CourseVersion, CourseVersion.id == Course.published_version_id).where(_ASSIGNED, *where)
        .options(selectinload(Enrolment.user))).all()


def assigned_events(now: datetime) -> list[Event]:
    return _assignment_events(_enrolment_rows(_ASSIGNED, Enrolment.enrolled_at >= now - timedelta(days=ASSIGNED_DAYS)))


def assigned_events_for(ids: list[int], _now: datetime) -> list[Event]:
    return _assignment_events(_enrolment_rows(_ASSIGNED, Enrolment.id.in_(ids)))


def course_lines(values: dict) -> dict:
    """The courses of a several-course assignment, a line each with its due date, in the current language."""
    lines = [_("- %(course)s, due %(due)s", course=course, due=due) if due else
             _("- %(course)s, no due date", course=course) for course, due in values["courses"]]
    return {"lines": "\n".join(lines)}


def due_soon_events(now: datetime) -> list[Event]:
    today = local_date(now)
    return _learner_events("course_due_soon", _enrolment_rows(
        Enrolment.due_date >= today, Enrolment.due_date <= today + timedelta(days=DUE_SOON_DAYS)), dated=True)


def overdue_events(now: datetime) -> list[Event]:
    """Each overdue course to its learner, and a copy to each manager of the learner's team, addressed to them."""
    today = local_date(now)
    rows = _enrolment_rows(Enrolment.due_date < today, Enrolment.due_date >= today - timedelta(days=OVERDUE_DAYS))
    events = _learner_events("course_overdue", rows, dated=True)
    for e, code, title in rows:
        if not e.user.is_active or e.user.team is None:
            continue
        for manager in e.user.team.managers:
            if mailable(manager) and manager.id != e.user_id:
                events.append(Event("team_overdue", manager, f"enrolment:{e.id}:{e.due_date.isoformat()}",
                                    {**_course_values(e, code, title), "link": external_url("courses.team")}))
    return events


register_kind(NotificationKind(
    "course_assigned", "courses", _l("New course assigned: %(course)s"),
    _l("The course %(course)s has been assigned to you. Due date: %(due)s."),
    find=assigned_events, for_ids=assigned_events_for, order=10))
# Several courses given in one action (a programme, an onboarding path): found with "course_assigned" above.
register_kind(NotificationKind(
    "courses_assigned", "courses", _l("%(count)d courses assigned to you"),
    _l("These courses have been assigned to you:\n%(lines)s"), words=course_lines, order=10))
register_kind(NotificationKind(
    "course_due_soon", "courses", _l("Course due on %(due)s: %(course)s"),
    _l("Your course %(course)s is due on %(due)s and is not finished yet."), find=due_soon_events, order=11))
register_kind(NotificationKind(
    "course_overdue", "courses", _l("Course overdue: %(course)s"),
    _l("Your course %(course)s was due on %(due)s and is not finished. Please finish it as soon as you can."),
    find=overdue_events, order=12))

# ---------------------------------------------------------------- results released


def _result_events(*where, now: datetime) -> list[Event]:
    marked = exists().where(AttemptQuestion.attempt_id == Attempt.id, AttemptQuestion.graded_by_id.is_not(None))
    rows = db.session.execute(
        select(Attempt, ExamVersion.title, ExamVersion.settings, Exam.results_released_at, marked)
        .join(ExamVersion, ExamVersion.id == Attempt.exam_version_id).join(Exam, Exam.id == Attempt.exam_id)
        .where(Attempt.status == AttemptStatus.GRADED, *where).options(selectinload(Attempt.user))).all()
    events = []
    for attempt, title, settings, released_at, was_marked in rows:
        waited = was_marked or settings.get("review") == "after_close"
        if waited and mailable(attempt.user) and release_policy(attempt.status, settings, released_at, now).show_marks:
            events.append(Event("results_released", attempt.user, f"attempt:{attempt.id}", {
                "exam": title, "link": external_url("exams.review", attempt_id=attempt.id)}))
    return events


def result_events(now: datetime) -> list[Event]:
    since = now - timedelta(days=RESULT_DAYS)
    return _result_events(or_(Attempt.graded_at >= since, Exam.results_released_at >= since), now=now)


register_kind(NotificationKind(
    "results_released", "results", _l("Your result is ready: %(exam)s"),
    _l("Your result of %(exam)s has been released. You can see it on the test's review page."),
    find=result_events, for_ids=lambda ids, now: _result_events(Attempt.id.in_(ids), now=now), order=20))

# ---------------------------------------------------------------- certification decisions


def _decision_events(status: ApplicationStatus, *where) -> list[Event]:
    rows = db.session.scalars(select(Application).where(Application.status == status, *where)
                              .options(selectinload(Application.user), selectinload(Application.programme)))
    kind = "application_issued" if status == ApplicationStatus.ISSUED else "application_returned"
    return [Event(kind, a.user, f"application:{a.id}", {
        "programme": a.programme.title, "reasons": a.reasons,
        "link": external_url("certification.programme", slug=a.programme.slug)}) for a in rows if mailable(a.user)]


def decision_finder(status: ApplicationStatus):
    def find(now: datetime) -> list[Event]:
        return _decision_events(status, Application.decided_at >= now - timedelta(days=DECISION_DAYS))

    def for_ids(ids: list[int], _now: datetime) -> list[Event]:
        return _decision_events(status, Application.id.in_(ids))

    return find, for_ids


_issued, _issued_for = decision_finder(ApplicationStatus.ISSUED)
_returned, _returned_for = decision_finder(ApplicationStatus.RETURNED)
register_kind(NotificationKind(
    "application_issued", "results", _l("Certificate issued: %(programme)s"),
    _l("Your application for %(programme)s was approved and your certificate has been issued."),
    find=_issued, for_ids=_issued_for, order=21))
register_kind(NotificationKind(
    "application_returned", "results", _l("Application returned: %(programme)s"),
    _l("Your application for %(programme)s was returned. What to do before applying again:\n%(reasons)s"),
    find=_returned, for_ids=_returned_for, order=22))

# ---------------------------------------------------------------- a service case returned to its author


def _case_returned_events(ids: list[int], _now: datetime) -> list[Event]:
    rows = db.session.scalars(select(Case).where(Case.id.in_(ids), Case.status == CaseStatus.RETURNED)
                              .options(selectinload(Case.author)))
    return [Event("case_returned", c.author, f"case:{c.id}:{c.reviewed_at.isoformat()}", {
        "title": c.title, "comment": c.review_comment, "link": external_url("cases.edit", case_id=c.id)})
        for c in rows if mailable(c.author)]


register_kind(NotificationKind(
    "case_returned", "results", _l("Your service case was returned: %(title)s"),
    _l("A trainer returned your service case %(title)s with this comment:\n%(comment)s\nChange it and send it "
       "again: %(link)s"), for_ids=_case_returned_events, order=23))

# ---------------------------------------------------------------- certificates expiring (the reminder ladder)


def certificate_events(pairs: list[tuple[Certificate, int]], now: datetime) -> list[Event]:
    """For each certificate on a rung of its reminder ladder: its holder, and a copy to each active manager of
    the holder's team, addressed to the manager."""
    events = []
    for cert, rung in pairs:
        values = {"programme": cert.programme_title, "holder": cert.holder_name, "expires": isoformat(cert.expires_at),
                  "days": max(0, (cert.expires_at - now).days), "certificate_id": cert.id, "rung": rung,
                  "link": external_url("certification.programme", slug=cert.programme.slug)}
        key = f"certificate:{cert.id}:{rung}"
        if mailable(cert.user):
            events.append(Event("certificate_expiring", cert.user, key, values))
        for manager in (cert.user.team.managers if cert.user.team else []):
            if mailable(manager) and manager.id != cert.user_id:
                events.append(Event("team_certificate_expiring", manager, key,
                                    {**values, "link": external_url("certification.team")}))
    return events


def _send_reminders(now: datetime) -> int:
    from lms.certification.reminders import send_reminders

    return send_reminders(now)


register_kind(NotificationKind(
    "certificate_expiring", "certificates", _l("Certificate expiring: %(programme)s (%(days)d days left)"),
    _l("Your certificate %(programme)s expires on %(expires)s (%(days)d days left). Please meet the "
       "recertification requirements and apply before it expires."),
    run=_send_reminders, order=30))
