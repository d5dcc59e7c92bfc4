"""What a learner sees of a closed attempt, and when: the review policy of the exam decides whether
marks and correct answers are shown (nothing before results are released)."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_datetime
from flask_babel import gettext as _

from lms.db import utcnow
from lms.exams.availability import parse_time
from lms.exams.display import DisplayedQuestion, display_question
from lms.exams.grading import questions_of
from lms.exams.models import Attempt, AttemptQuestion, AttemptStatus, Exam
from lms.exams.question_types import grade_response


@dataclass(frozen=True)
class ReviewPolicy:
    show_marks: bool  # the mark, the percentage and passed / not passed
    show_answers: bool  # the correct answers, the marks of each question and their feedback
    message: str = ""


def release_policy(status: str, settings: dict, released_at: datetime | None,
                   now: datetime | None = None) -> ReviewPolicy:
    """THE rule of what a learner may see of an attempt's result, from the exam version's review setting,
    the attempt's state and the exam's release. Every page, PDF, piece of certificate evidence and export
    that shows a learner's exam result asks this (through ``review_policy`` or ``visible_to_learner``).

    - ``after_submit``: everything once the attempt is graded;
    - ``after_close``: nothing until the exam closes (its closing time) or a trainer releases the results;
    - ``never``: the mark once graded, never the answers."""
    now = now or utcnow()
    if status in (AttemptStatus.IN_PROGRESS, AttemptStatus.DISCARDED):
        return ReviewPolicy(False, False)
    review = settings.get("review", "after_submit")
    if review == "after_close":
        closes = parse_time(settings.get("available_until"))
        if released_at is None and (closes is None or now < closes):
            return ReviewPolicy(False, False, _release_message(closes))
    if status != AttemptStatus.GRADED:
        return ReviewPolicy(False, False, _("Some answers are waiting for a trainer to grade them."))
    if review == "never":
        return ReviewPolicy(True, False, _("Correct answers of this test are not shown."))
    return ReviewPolicy(True, True)


def _release_message(closes: datetime | None) -> str:
    if closes is None:
        return _("Results are shown when a trainer releases them.")
    return _("Results are shown when the exam closes, on %(when)s.", when=format_datetime(closes, "short"))


def release_note(exam: Exam, settings: dict, now: datetime | None = None) -> str:
    """What the exam page says about when results are shown (the same rule, before any attempt)."""
    review = settings.get("review", "after_submit")
    if review == "never":
        return _("The mark only, once graded; the correct answers are not shown.")
    if review == "after_close":
        policy = release_policy(AttemptStatus.GRADED, settings, exam.results_released_at, now)
        if policy.message:
            return policy.message
    return _("The mark and the correct answers, once graded.")


def review_policy(attempt: Attempt, now: datetime | None = None) -> ReviewPolicy:
    """What the learner may see of an attempt: nothing before results are released."""
    return release_policy(attempt.status, attempt.exam_version.settings, attempt.exam.results_released_at, now)


def visible_to_learner(attempt: Attempt, now: datetime | None = None) -> bool:
    """Whether the attempt's mark may be shown to (or counted for) the learner: the transcript, the best
    result on the course and exam lists, certificate evidence."""
    return review_policy(attempt, now).show_marks


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
