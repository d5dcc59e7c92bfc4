"""One action for KPI flags: assign the recommended courses of the selected flags with a due date, through
the same enrolment service as every assignment, and record which flag each assignment answered."""

from collections import defaultdict
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.courses.enrolment import assignable_users, enrol_users, new_assignment_batch
from lms.courses.models import Course, CourseAssignment, Enrolment, EnrolmentSource
from lms.db import db
from lms.errors import DomainError
from lms.kpi.flags import KpiFlag, kpi_flags_for
from lms.kpi.models import KpiFlagAssignment
from lms.timeutil import local_today


def parse_selection(values: list[str] | None) -> list[tuple[int, str]]:
    """The posted flags, each "user id:KPI code"; anything else is left out (it names no flag)."""
    chosen = []
    for value in values or ():
        user_id, _sep, code = (value or "").partition(":")
        if user_id.isdigit() and code:
            chosen.append((int(user_id), code))
    return list(dict.fromkeys(chosen))


def _agents(actor: User, user_ids: set[int]) -> dict[int, User]:
    users = list(db.session.scalars(select(User).where(User.id.in_(user_ids), User.is_active.is_(True))))
    allowed = {u.id: u for u in assignable_users(actor, users)}
    if set(allowed) != user_ids:
        raise DomainError(_("You can only assign courses to active members of your own teams."), field="flags")
    return allowed


def _check(selection: list[tuple[int, str]], due: date | None) -> None:
    if not selection:
        raise DomainError(_("Choose at least one agent whose KPI is below its threshold."), field="flags")
    if due is None:
        raise DomainError(_("Give a due date."), field="due_date")
    if due < local_today():
        raise DomainError(_("The due date is in the past."), field="due_date")


def _record(actor: User, answered: list[tuple[User, KpiFlag, Course]], enrolments: dict) -> None:
    per_kpi: dict[str, list] = defaultdict(list)
    for user, flag, course in answered:
        db.session.add(KpiFlagAssignment(
            user_id=user.id, kpi_id=flag.kpi_id, course_id=course.id, enrolment_id=enrolments.get((user.id, course.id)),
            value=flag.value, threshold=flag.threshold, period_kind=flag.period_kind, period_start=flag.period,
            assigned_by_id=actor.id))
        per_kpi[flag.kpi_code].append((user.id, course.id))
    for code, pairs in per_kpi.items():
        record_event("kpi.flag_courses_assigned", "kpi", code, summary=f"{code}: {len(pairs)}", actor=actor,
                     after={"courses": len({c for _u, c in pairs}), "people": len({u for u, _c in pairs})})


def assign_flag_courses(actor: User, selection: list[tuple[int, str]], due: date | None) -> int:
    """Assign the recommended courses of each selected flag (user id, KPI code) with the due date; return
    how many enrolments were created. Flags that cleared since the page was drawn are passed over."""
    _check(selection, due)
    agents = _agents(actor, {user_id for user_id, _code in selection})
    flags = kpi_flags_for(list(agents))
    wanted = [(agents[user_id], flag) for user_id, code in selection
              for flag in flags.get(user_id, []) if flag.kpi_code == code]
    codes = {ref.code for _user, flag in wanted for ref in flag.recommended}
    if not codes:
        raise DomainError(_("There is nothing left to assign: the chosen agents have no recommended course "
                            "they have not started."), field="flags")
    courses = {c.code: c for c in db.session.scalars(select(Course).where(Course.code.in_(codes)))}
    answered = [(user, flag, courses[ref.code]) for user, flag in wanted for ref in flag.recommended]
    people: dict[str, dict[int, User]] = defaultdict(dict)
    for user, _flag, course in answered:
        people[course.code][user.id] = user
    created, batch = 0, new_assignment_batch()  # one action: each agent hears of their courses in one message
    for code, users in sorted(people.items()):
        course = courses[code]
        created += enrol_users(course, list(users.values()), due, EnrolmentSource.ASSIGNED, actor, batch=batch)
        db.session.add_all(CourseAssignment(course_id=course.id, user_id=user_id, due_date=due,
                                            assigned_by_id=actor.id, enrolled_count=1) for user_id in users)
        record_event("course.assigned", "course", course.id, summary=f"{course.code} → {len(users)}", actor=actor,
                     after={"due_date": due, "users": sorted(u.employee_no for u in users.values())})
    enrolments = {(u, c): e for u, c, e in db.session.execute(select(Enrolment.user_id, Enrolment.course_id, Enrolment.id)
                  .where(Enrolment.user_id.in_(list(agents)), Enrolment.course_id.in_([c.id for c in courses.values()])))}
    _record(actor, answered, enrolments)
    db.session.flush()
    return created
