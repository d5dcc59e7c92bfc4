"""Enrolment: a learner enrolling themselves (audience and prerequisites permitting), and managers or trainers
assigning a course to people and whole teams with a due date."""

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.accounts.users import user_ids_for_employee_nos
from lms.audit.services import record_event
from lms.courses.catalogue import PrerequisiteStatus, find_course_page, get_published
from lms.courses.models import Course, CourseAssignment, Enrolment, EnrolmentSource
from lms.db import db
from lms.errors import DomainError
from lms.timeutil import local_today


def _prerequisite_message(missing: list[PrerequisiteStatus]) -> str:
    return _("Finish these courses first: %(courses)s.",
             courses="、".join(f"{p.code} {p.title}" for p in missing))


def enrol_self(user: User, code: str) -> Enrolment:
    """Enrol the user in a course open to self-enrolment once its prerequisites are complete."""
    page = find_course_page(user, code)
    if page is None:
        raise DomainError(_("There is no such course."))
    if page.enrolment is not None:
        return page.enrolment
    if not page.can_self_enrol:
        raise DomainError(_("This course is assigned by your manager or trainer; you cannot enrol yourself."))
    if page.missing_prerequisites:
        raise DomainError(_prerequisite_message(page.missing_prerequisites))
    enrolment = Enrolment(user_id=user.id, course_id=page.course.id, source=EnrolmentSource.SELF)
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def enrol_users(course: Course, users: list[User], due: date | None, source: EnrolmentSource,
                actor: User | None, move_due: bool = True) -> int:
    """Enrol users (or, with ``move_due``, move their due date); return how many enrolments were
    created or changed."""
    existing = {e.user_id: e for e in db.session.scalars(
        select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id.in_([u.id for u in users])))}
    changed = 0
    for user in users:
        enrolment = existing.get(user.id)
        if enrolment is None:
            db.session.add(Enrolment(user_id=user.id, course_id=course.id, source=source, due_date=due,
                                     assigned_by_id=actor.id if actor else None))
            changed += 1
        elif move_due and enrolment.completed_at is None and due is not None and enrolment.due_date != due:
            enrolment.due_date = due
            enrolment.assigned_by_id = actor.id if actor else enrolment.assigned_by_id
            changed += 1
    db.session.flush()
    return changed


def assignable_users(actor: User, users: list[User]) -> list[User]:
    """Managers assign within their own teams; trainers and admins to anyone."""
    if actor.has_role(Role.TRAINER, Role.ADMIN):
        return users
    managed = {t.id for t in actor.managed_teams}
    return [u for u in users if u.team_id in managed]


def split_employee_nos(text: str | None) -> list[str]:
    """Employee numbers typed in one box, separated by commas (either width) or new lines."""
    return [p.strip() for p in re.split(r"[,，\n]", text or "") if p.strip()]


def _active_users(user_ids: list[int], team_ids: list[int]) -> list[User]:
    users = list(db.session.scalars(select(User).where(User.is_active.is_(True), User.id.in_(user_ids)))) if user_ids else []
    if team_ids:
        users += list(db.session.scalars(select(User).where(User.is_active.is_(True), User.team_id.in_(team_ids))))
    return list({u.id: u for u in users}.values())


def _check_teams(actor: User, team_ids: list[int]) -> None:
    if not actor.has_role(Role.TRAINER, Role.ADMIN):
        managed = {t.id for t in actor.managed_teams}
        if any(t not in managed for t in team_ids):
            raise DomainError(_("You can only assign courses to your own teams."), field="teams")


def _check_people(actor: User, users: list[User]) -> None:
    if len(assignable_users(actor, users)) != len(users):
        raise DomainError(_("You can only assign courses to members of your own teams."), field="people")
    if not users:
        raise DomainError(_("Choose at least one person or team."), field="people")


def assign_course(actor: User, code: str, due: date | None, people: str | None, team_ids: list[int]) -> int:
    """Assign a course to people (employee numbers, one box) and/or whole teams with a due date; return the
    number of enrolments created or updated."""
    user_ids = user_ids_for_employee_nos(split_employee_nos(people))
    found = get_published(code)
    if found is None:
        raise DomainError(_("There is no such course."), field="course")
    course, _version = found
    if due is not None and due < local_today():
        raise DomainError(_("The due date is in the past."), field="due_date")
    _check_teams(actor, team_ids)
    users = _active_users(user_ids, team_ids)
    _check_people(actor, users)
    changed = enrol_users(course, users, due, EnrolmentSource.ASSIGNED, actor)
    for team_id in team_ids:
        db.session.add(CourseAssignment(course_id=course.id, team_id=team_id, due_date=due, assigned_by_id=actor.id,
                                        enrolled_count=changed))
    for user_id in user_ids:
        db.session.add(CourseAssignment(course_id=course.id, user_id=user_id, due_date=due, assigned_by_id=actor.id,
                                        enrolled_count=1))
    record_event("course.assigned", "course", course.id, summary=f"{course.code} → {len(users)}",
                 after={"due_date": due, "users": sorted(u.employee_no for u in users), "teams": sorted(team_ids)})
    return changed
