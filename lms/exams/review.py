"""What a learner sees of a closed attempt, and when: the review policy of the exam decides whether
marks and correct answers are shown (nothing before results are released)."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from lms.db import utcnow
from lms.exams.availability import parse_time
from lms.exams.display import DisplayedQuestion, display_question
from lms.exams.grading import questions_of
from lms.exams.models import Attempt, AttemptQuestion, AttemptStatus
from lms.exams.question_types import grade_response


@dataclass
class ReviewPolicy:
    show_marks: bool
    show_answers: bool
    message: str = ""


def review_policy(attempt: Attempt, now: datetime | None = None) -> ReviewPolicy:
    """What the learner may see of a closed attempt: nothing before results are released."""
    now = now or utcnow()
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return ReviewPolicy(False, False)
    review = attempt.exam_version.settings.get("review", "after_submit")
    if review == "never":
        return ReviewPolicy(attempt.status == AttemptStatus.GRADED, False,
                            _("Correct answers of this test are not shown."))
    if review == "after_close":
        closes = parse_time(attempt.exam_version.settings.get("available_until"))
        released = attempt.exam.results_released_at is not None or (closes is not None and now >= closes)
        if not released:
            return ReviewPolicy(False, False, _("Results are released when the exam closes."))
    if attempt.status != AttemptStatus.GRADED:
        return ReviewPolicy(False, False, _("Some answers are waiting for a trainer to grade them."))
    return ReviewPolicy(True, True)


@dataclass
class ReviewItem:
    aq: AttemptQuestion
    shown: DisplayedQuestion | None = None  # None: the policy shows no answers
    messages: tuple[str, ...] = ()


def review_items(attempt: Attempt, policy: ReviewPolicy) -> list[ReviewItem]:
    """The attempt's questions with the learner's answers, the right ones and their feedback, as far as
    the policy allows."""
    items = []
    for aq in questions_of(attempt):
        if policy.show_answers:
            feedback = grade_response(aq.version.qtype, aq.version.data, aq.response)
            items.append(ReviewItem(aq, display_question(aq, "review", show_correct=True), feedback.messages))
        else:
            items.append(ReviewItem(aq))
    return items
