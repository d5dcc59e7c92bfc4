"""What people read for the exams domain's codes (kinds, statuses, settings, flags), in one place."""

from flask_babel import lazy_gettext as _l

from lms.exams.question_types import type_labels

KIND_LABELS = {
    "quiz": _l("Quiz"),
    "pre_test": _l("Pre-test"),
    "post_test": _l("Post-test"),
    "exam": _l("Certification exam"),
}
ATTEMPT_STATUS_LABELS = {
    "in_progress": _l("In progress"),
    "needs_grading": _l("Waiting for a trainer"),
    "graded": _l("Graded"),
    "discarded": _l("Not counted"),
}
CLOSED_BY_LABELS = {
    "learner": _l("the learner"),
    "deadline": _l("the deadline"),
    "sweeper": _l("the deadline (closed automatically)"),
    "trainer": _l("a trainer"),
}
OVERDUE_LABELS = {
    "autosubmit": _l("Submit automatically"),
    "grace": _l("Allow a grace period to submit"),
    "discard": _l("Not counted unless submitted"),
}
LAYOUT_LABELS = {
    "one_per_page": _l("One question per page"),
    "all_on_one": _l("All questions on one page"),
}
REVIEW_LABELS = {
    "after_submit": _l("right after submitting"),
    "after_close": _l("after the exam closes"),
    "never": _l("never (score only)"),
}
# Item analysis flags (lms/exams/analysis.py).
FLAG_LABELS = {
    "low_discrimination": _l("low discrimination"),
    "too_easy": _l("very easy"),
    "too_hard": _l("very hard"),
}


def exam_labels() -> dict:
    """The label dicts every template may use (lms/templating.py puts them in the context)."""
    return {"kind_labels": KIND_LABELS, "status_labels": ATTEMPT_STATUS_LABELS, "flag_labels": FLAG_LABELS,
            "type_labels": type_labels(), "closed_by_labels": CLOSED_BY_LABELS, "review_labels": REVIEW_LABELS}
