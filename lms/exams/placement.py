"""A pre-test places a learner before a course; it is not passed or failed. What its result means,
and where the course is, for the result page."""

from dataclasses import dataclass

from flask_babel import gettext as _

from lms.courses.models import Course
from lms.db import db
from lms.exams.models import Attempt, ExamKind


@dataclass(frozen=True)
class Placement:
    meaning: str  # what this score says about the learner and the course
    course_code: str | None = None
    course_title: str | None = None


def placement_for(attempt: Attempt, show_marks: bool) -> Placement | None:
    """None unless the attempt is of a pre-test. The score's meaning is given only when marks are shown."""
    if attempt.exam.kind != ExamKind.PRE_TEST:
        return None
    course = db.session.get(Course, attempt.exam.course_id) if attempt.exam.course_id else None
    version = course.published_version if course else None
    if not show_marks or attempt.percent is None:
        meaning = _("The course starts from what this pre-test found; your trainer sees the result.")
    elif attempt.percent >= attempt.exam_version.settings.get("pass_mark", 0):
        meaning = _("You already know much of what the course teaches. Take the course all the same: "
                    "go quickly through what you know and spend your time on the questions you missed.")
    else:
        meaning = _("The course teaches what this pre-test asked. Start with its first lesson; at the end, "
                    "a post-test shows how far you have come.")
    return Placement(meaning, course.code if version else None, version.title if version else None)
