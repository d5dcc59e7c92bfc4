"""What the home page shows: gathered here so that the view only renders."""

from dataclasses import dataclass

from lms.accounts.models import Role, User
from lms.courses.progress import my_courses


@dataclass
class LearningSummary:
    courses: list  # the courses still open, as my_courses returns them
    completed: int
    overdue: int


def learning_summary(user: User) -> LearningSummary:
    """A learner's open courses, how many are finished, and how many of the open ones are overdue."""
    courses = my_courses(user) if user.has_role(Role.LEARNER) else []
    open_courses = [c for c in courses if not c.enrolment.completed_at]
    return LearningSummary(open_courses, completed=len(courses) - len(open_courses),
                           overdue=sum(1 for c in open_courses if c.overdue))
