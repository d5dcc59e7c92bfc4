"""What a debrief recommends: the lessons that teach the standard items behind the criteria the learner
missed, from the courses meant for them. A new hire is sent to foundation and professional courses (the
lessons of their onboarding path first), never to a development or management course; a learner past
onboarding may also read development courses; management courses are for managers and trainers. A
course whose audience names roles is recommended only to people with one of them."""

from datetime import date

from sqlalchemy import func, select

from lms.accounts.models import Role, User
from lms.calls.scoring import ScoreResult
from lms.courses.models import Course, CourseVersion, Enrolment, EnrolmentSource, Lesson, OnboardingPath, Tier
from lms.db import db
from lms.standards.models import StandardCitation, StandardItem
from lms.timeutil import local_today

MAX_LESSONS = 8
NEW_HIRE_DAYS = 90  # when no onboarding path says how long someone counts as newly hired
NEW_HIRE_TIERS = frozenset({Tier.FOUNDATION, Tier.PROFESSIONAL})
LEARNER_TIERS = NEW_HIRE_TIERS | {Tier.DEVELOPMENT}
STAFF_TIERS = frozenset(Tier)


def is_new_hire(user: User, today: date, new_hire_days: int) -> bool:
    """A learner hired within the onboarding window (or whose hire date is unknown: the safer guess)."""
    if user.has_role(Role.MANAGER, Role.TRAINER, Role.ADMIN):
        return False
    return user.hire_date is None or (today - user.hire_date).days <= new_hire_days


def tiers_for(user: User, new_hire: bool) -> frozenset[Tier]:
    """The tiers of course a debrief may send this person to."""
    if user.has_role(Role.MANAGER, Role.TRAINER, Role.ADMIN):
        return STAFF_TIERS
    return NEW_HIRE_TIERS if new_hire else LEARNER_TIERS


def missed_items(result: ScoreResult) -> set[str]:
    """The standard items behind the criteria the call missed or breached."""
    return {code for r in result.criteria if r.status in ("missed", "breached") for code in r.criterion.standards}


def _path_courses(user: User) -> set[int]:
    return set(db.session.scalars(select(Enrolment.course_id).where(
        Enrolment.user_id == user.id, Enrolment.source == EnrolmentSource.ONBOARDING)))


def recommended_lessons(result: ScoreResult, user: User, today: date | None = None) -> list[StandardCitation]:
    """The lessons to revisit after a call: they teach an item behind a missed criterion, their course is
    published, of a tier meant for the learner and for one of their roles; the learner's onboarding path
    first, then by label."""
    weak = missed_items(result)
    if not weak:
        return []
    window = db.session.scalar(select(func.max(OnboardingPath.new_hire_days))) or NEW_HIRE_DAYS
    tiers = tiers_for(user, is_new_hire(user, today or local_today(), window))
    rows = db.session.execute(
        select(StandardCitation, Course.id, CourseVersion.audience)
        .join(StandardItem, StandardItem.id == StandardCitation.item_id)
        .join(Lesson, Lesson.id == StandardCitation.ref_id)
        .join(Course, Course.id == Lesson.course_id)
        .join(CourseVersion, CourseVersion.id == Course.published_version_id)
        .where(StandardCitation.kind == "lesson", StandardItem.code.in_(weak), Course.tier.in_(tiers))
        .order_by(StandardCitation.label)).all()
    roles = {str(role) for role in user.roles}
    on_path = _path_courses(user)
    fitting = [(course_id not in on_path, citation) for citation, course_id, audience in rows
               if not audience or roles & set(audience)]
    ranked = [citation for _later, citation in sorted(fitting, key=lambda pair: pair[0])]
    return list({citation.link: citation for citation in ranked}.values())[:MAX_LESSONS]
