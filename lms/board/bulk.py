"""The board's bulk actions on the people ticked: assign a course with a due date (through the course
assignment of lms.courses.enrolment), assign a certification programme's courses in one action, and remind them of what they have to finish (one e-mail each, in the
recipient's language). Refusals name the field; a refused action writes nothing."""

from collections import defaultdict
from datetime import date

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.audit.services import record_event
from lms.certification.programmes import find_programme, programme_course_codes
from lms.courses.enrolment import CoursesAssigned, assign_course, assign_courses
from lms.courses.models import Course, CourseVersion, Enrolment
from lms.db import db
from lms.errors import DomainError
from lms.mail import send_mail
from lms.timeutil import local_today
from lms.urls import external_url

MAX_PEOPLE = 1000


def chosen_people(actor: User, user_ids: list[int]) -> list[User]:
    """The active people ticked, if the actor may act on every one (a manager: members of their teams)."""
    wanted = set(user_ids or [])
    if not wanted:
        raise DomainError(_("Choose at least one person: tick the box beside their name."), field="people")
    if len(wanted) > MAX_PEOPLE:
        raise DomainError(_("Choose at most %(n)d people at a time.", n=MAX_PEOPLE), field="people")
    people = list(db.session.scalars(select(User).where(User.id.in_(wanted), User.is_active.is_(True))
                                     .order_by(User.name, User.employee_no)))
    managed = {t.id for t in actor.managed_teams}
    allowed = [p for p in people if actor.has_role(Role.ADMIN) or p.team_id in managed]
    if len(allowed) != len(wanted):
        raise DomainError(_("Some of the people chosen are not active members of your teams; reload the board "
                            "and choose again."), field="people")
    return allowed


def assign_to_chosen(actor: User, user_ids: list[int], code: str | None, due: date | None) -> int:
    """Assign a course with a due date to the people ticked; return the enrolments created or moved."""
    people = chosen_people(actor, user_ids)
    if not code:
        raise DomainError(_("Choose a course to assign."), field="course")
    return assign_course(actor, code, due, ",".join(p.employee_no for p in people), [])


def assign_programme_to_chosen(actor: User, user_ids: list[int], slug: str | None,
                               due: date | None) -> tuple[str, CoursesAssigned]:
    """Assign every course a certification programme's requirements name to the people ticked, due on one
    date, leaving alone the courses each is already enrolled in or has completed; return the programme's
    title and what was done. Each person hears of their new courses in one message."""
    people = chosen_people(actor, user_ids)
    if not slug:
        raise DomainError(_("Choose a certification programme to assign."), field="programme")
    programme = find_programme(slug)
    if programme is None:
        raise DomainError(_("There is no such certification programme."), field="programme")
    courses = list(db.session.scalars(select(Course).where(Course.code.in_(programme_course_codes(programme)),
                                                          Course.published_version_id.is_not(None))
                                      .order_by(Course.code)))
    if not courses:
        raise DomainError(_("This programme names no published course to assign."), field="programme")
    done = assign_courses(actor, courses, people, due)
    record_event("programme.assigned", "programme", programme.id, summary=f"{programme.slug} → {len(people)}",
                 after={"due_date": due, "courses": [c.code for c in courses], "people": done.people,
                        "created": done.created, "skipped": done.skipped,
                        "users": sorted(p.employee_no for p in people)})
    return programme.title, done


def _open_courses(people: list[User]) -> dict[int, list[tuple[str, str, date | None]]]:
    rows = db.session.execute(
        select(Enrolment.user_id, Course.code, CourseVersion.title, Enrolment.due_date)
        .join(Course, Course.id == Enrolment.course_id)
        .join(CourseVersion, CourseVersion.id == Course.published_version_id)
        .where(Enrolment.user_id.in_([p.id for p in people]), Enrolment.completed_at.is_(None))
        .order_by(Enrolment.user_id, Enrolment.due_date.is_(None), Enrolment.due_date, Course.code))
    found = defaultdict(list)
    for user_id, code, title, due in rows:
        found[user_id].append((code, title, due))
    return found


def _course_line(code: str, title: str, due: date | None, today: date) -> str:
    if due is None:
        return _("- %(code)s %(title)s", code=code, title=title)
    if due < today:
        return _("- %(code)s %(title)s: overdue since %(due)s", code=code, title=title, due=format_date(due, "long"))
    return _("- %(code)s %(title)s: due %(due)s", code=code, title=title, due=format_date(due, "long"))


def _reminder(person: User, sender: User, courses: list, today: date, link: str) -> tuple[str, str]:
    """The subject and body, in the person's language."""
    with force_locale(str(person.locale)):
        subject = _("A reminder about your training")
        lines = [_course_line(code, title, due, today) for code, title, due in courses] or \
            [_("Nothing is waiting for you just now; thank you.")]
        body = "\n".join([_("Hello %(name)s,", name=person.name), "",
                          _("%(sender)s reminds you of the training you have to finish:", sender=sender.name), "",
                          *lines, "", _("Your courses: %(link)s", link=link)])
    return subject, body


def remind_chosen(actor: User, user_ids: list[int]) -> int:
    """E-mail each person ticked a reminder of their open courses, in their own language; return how many."""
    people = chosen_people(actor, user_ids)
    courses, today, link = _open_courses(people), local_today(), external_url("courses.mine")
    for person in people:
        subject, body = _reminder(person, actor, courses.get(person.id, []), today, link)
        send_mail(person.email, subject, body)
    record_event("board.reminded", "user", actor.id, summary=f"{len(people)}",
                 after={"count": len(people), "users": sorted(p.employee_no for p in people)})
    return len(people)
