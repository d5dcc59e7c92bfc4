"""Enrolment: a learner enrolling themselves (audience and prerequisites permitting), and managers or trainers
assigning a course to people and whole teams with a due date."""

import re
import secrets
from dataclasses import dataclass
from datetime import date

from blinker import Namespace
from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.identifiers import normalise_employee_no
from lms.accounts.models import Role, User
from lms.audit.services import record_event
from lms.courses.catalogue import PrerequisiteStatus, find_course_page, get_published
from lms.courses.models import Course, CourseAssignment, Enrolment, EnrolmentSource
from lms.db import db
from lms.errors import DomainError
from lms.timeutil import local_today

signals = Namespace()
# Sent with the enrolments someone else created (assigned, onboarding): the learners are told.
courses_assigned = signals.signal("courses-assigned")


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


def new_assignment_batch() -> str:
    """A name for one assigning action: what it enrols a learner in is told to them in one message."""
    return secrets.token_hex(16)


def enrol_users(course: Course, users: list[User], due: date | None, source: EnrolmentSource,
                actor: User | None, move_due: bool = True, due_floored: bool = False, batch: str | None = None) -> int:
    """Enrol users (or, with ``move_due``, move their due date); return how many enrolments were
    created or changed. ``due_floored``: the due date is the onboarding floor's, not the plan's. ``batch``:
    the action this is part of (new_assignment_batch); an action enrolling someone in several courses passes
    one batch to every call, so they hear of all of them in one message. None: this call is an action."""
    existing = {e.user_id: e for e in db.session.scalars(
        select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id.in_([u.id for u in users])))}
    if source != EnrolmentSource.SELF:
        batch = batch or new_assignment_batch()
    changed, created = 0, []
    for user in users:
        enrolment = existing.get(user.id)
        if enrolment is None:
            created.append(Enrolment(user_id=user.id, course_id=course.id, source=source, due_date=due,
                                     due_floored=due_floored, assigned_by_id=actor.id if actor else None,
                                     assignment_batch=batch if source != EnrolmentSource.SELF else None))
            db.session.add(created[-1])
            changed += 1
        elif move_due and enrolment.completed_at is None and due is not None and enrolment.due_date != due:
            enrolment.due_date, enrolment.due_floored = due, due_floored
            enrolment.assigned_by_id = actor.id if actor else enrolment.assigned_by_id
            changed += 1
    db.session.flush()
    if created and source != EnrolmentSource.SELF:
        courses_assigned.send(course, enrolments=created)
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


def _people(actor: User, employee_nos: list[str]) -> list[User]:
    """The active accounts these employee numbers name, if the actor may assign to every one of them.

    An unknown number, an inactive account and (for a manager) someone outside the manager's teams get the
    same message through the same queries, so the form does not tell which employee numbers exist."""
    # A NUL cannot be in an employee number (nor in PostgreSQL text): it reads as U+FFFD and matches no one.
    wanted = {normalise_employee_no(n).replace("\x00", "\ufffd") for n in employee_nos}
    if not wanted:
        return []
    users = list(db.session.scalars(select(User).where(User.employee_no.in_(wanted), User.is_active.is_(True))))
    allowed = assignable_users(actor, users)
    refused = sorted(wanted - {u.employee_no for u in allowed})
    if refused:
        nos = "、".join(refused)
        if actor.has_role(Role.TRAINER, Role.ADMIN):
            message = _("No active account has the employee number %(nos)s.", nos=nos)
        else:
            message = _("You cannot assign courses to %(nos)s: only active members of your own teams.", nos=nos)
        raise DomainError(message, field="people")
    return allowed


def _with_teams(people: list[User], team_ids: list[int]) -> list[User]:
    users = list(people)
    if team_ids:
        users += list(db.session.scalars(select(User).where(User.is_active.is_(True), User.team_id.in_(team_ids))))
    return list({u.id: u for u in users}.values())


def _check_teams(actor: User, team_ids: list[int]) -> None:
    if not actor.has_role(Role.TRAINER, Role.ADMIN):
        managed = {t.id for t in actor.managed_teams}
        if any(t not in managed for t in team_ids):
            raise DomainError(_("You can only assign courses to your own teams."), field="teams")


def assign_course(actor: User, code: str, due: date | None, people: str | None, team_ids: list[int]) -> int:
    """Assign a course to people (employee numbers, one box) and/or whole teams with a due date; return the
    number of enrolments created or updated."""
    found = get_published(code)
    if found is None:
        raise DomainError(_("There is no such course."), field="course")
    course, _version = found
    if due is not None and due < local_today():
        raise DomainError(_("The due date is in the past."), field="due_date")
    _check_teams(actor, team_ids)
    named = _people(actor, split_employee_nos(people))
    users = _with_teams(named, team_ids)
    if not users:
        raise DomainError(_("Choose at least one person or team."), field="people")
    changed = enrol_users(course, users, due, EnrolmentSource.ASSIGNED, actor)
    for team_id in team_ids:
        db.session.add(CourseAssignment(course_id=course.id, team_id=team_id, due_date=due, assigned_by_id=actor.id,
                                        enrolled_count=changed))
    for person in named:
        db.session.add(CourseAssignment(course_id=course.id, user_id=person.id, due_date=due, assigned_by_id=actor.id,
                                        enrolled_count=1))
    record_event("course.assigned", "course", course.id, summary=f"{course.code} → {len(users)}",
                 after={"due_date": due, "users": sorted(u.employee_no for u in users), "teams": sorted(team_ids)})
    return changed


@dataclass(frozen=True)
class CoursesAssigned:
    """What one action assigning several courses did: new enrolments, and the pairs it left alone."""

    people: int  # the people it was asked for
    courses: int  # the courses it was asked for
    created: int  # enrolments made
    skipped: int  # (person, course) pairs already enrolled in or completed, left as they were
    reached: int  # people who got at least one new enrolment


def assign_courses(actor: User, courses: list[Course], users: list[User], due: date | None) -> CoursesAssigned:
    """Assign several courses to people in one action, due on one date: each person is enrolled in those of
    the courses they are neither enrolled in nor have completed; an existing enrolment (its due date too) is
    left as it is. The people must be the actor's to assign (the caller checked them)."""
    if due is not None and due < local_today():
        raise DomainError(_("The due date is in the past."), field="due_date")
    refused = {u.id for u in users} - {u.id for u in assignable_users(actor, users)}
    if refused:
        raise DomainError(_("You can only assign courses to active members of your own teams."), field="people")
    enrolled = {(user_id, course_id) for user_id, course_id in db.session.execute(
        select(Enrolment.user_id, Enrolment.course_id).where(Enrolment.user_id.in_([u.id for u in users]),
                                                             Enrolment.course_id.in_([c.id for c in courses])))}
    batch, created, reached = new_assignment_batch(), 0, set()
    for course in courses:
        newcomers = [u for u in users if (u.id, course.id) not in enrolled]
        if not newcomers:
            continue
        created += enrol_users(course, newcomers, due, EnrolmentSource.ASSIGNED, actor, move_due=False, batch=batch)
        reached |= {u.id for u in newcomers}
        db.session.add_all(CourseAssignment(course_id=course.id, user_id=u.id, due_date=due, assigned_by_id=actor.id,
                                            enrolled_count=1) for u in newcomers)
        record_event("course.assigned", "course", course.id, summary=f"{course.code} → {len(newcomers)}",
                     after={"due_date": due, "users": sorted(u.employee_no for u in newcomers)}, actor=actor)
    db.session.flush()
    return CoursesAssigned(len(users), len(courses), created, len(users) * len(courses) - created, len(reached))
