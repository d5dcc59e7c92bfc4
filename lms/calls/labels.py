"""Words the call pages show for the codes of calls and scenarios (categories, moods, outcomes, marks,
modes, statuses). A node kind's own word ('agent', 'customer') lives with the kind (lms.calls.nodes)."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

CATEGORY_LABELS = {
    "inquiry": _l("Inquiry"),
    "technical": _l("Technical problem"),
    "service": _l("Service problem"),
    "suggestion": _l("Suggestion"),
    "complaint": _l("Complaint"),
    "crisis": _l("Crisis"),
    "transfer": _l("Transfer"),
    "privacy": _l("Privacy"),
    "etiquette": _l("Phone etiquette"),
}
MOOD_LABELS = {
    "calm": _l("calm"),
    "anxious": _l("anxious"),
    "annoyed": _l("annoyed"),
    "angry": _l("angry"),
    "relieved": _l("relieved"),
    "satisfied": _l("satisfied"),
}
OUTCOME_LABELS = {
    "resolved": _l("Resolved on the call"),
    "callback": _l("Callback promised"),
    "transferred": _l("Transferred"),
    "escalated": _l("Escalated"),
    "hung_up": _l("The customer hung up"),
    "turn_limit": _l("Ended at the turn limit"),
    "": _l("Not finished"),
}
# The short words of the branch diagram's endings.
ENDING_LABELS = {
    "resolved": _l("resolved"),
    "callback": _l("callback"),
    "transferred": _l("transferred"),
    "escalated": _l("escalated"),
    "hung_up": _l("hung up"),
    "turn_limit": _l("turn limit"),
}
MARK_LABELS = {
    "met": _l("met"),
    "missed": _l("missed"),
    "breached": _l("breached"),
    None: _l("not assessed"),
}
MODE_LABELS = {
    "practice": _l("Practice"),
    "assessment": _l("Assessment"),
}
CALL_STATUS_LABELS = {
    "in_progress": _l("In progress"),
    "needs_review": _l("Waiting for a trainer"),
    "finished": _l("Finished"),
}


def review_reasons(review: list | None) -> list[str]:
    """Why a typed reply went to a trainer, in words: each fact it lacks or gets wrong (Event.review)."""
    reasons = []
    for problem in review or []:
        if problem.get("state") == "wrong":
            reasons.append(gettext("%(fact)s is wrong: the reply says %(found)s, but this customer's is "
                                   "%(expected)s.", fact=problem["fact"], found=problem["found"],
                                   expected=problem["expected"]))
        else:
            reasons.append(gettext("%(fact)s is missing: this customer's is %(expected)s.", fact=problem["fact"],
                                   expected=problem["expected"]))
    return reasons


def call_labels() -> dict:
    """Template context for every call page (translated once per request)."""
    labels = {name: {key: str(value) for key, value in labels.items()} for name, labels in (
        ("category_labels", CATEGORY_LABELS), ("mood_labels", MOOD_LABELS), ("outcome_labels", OUTCOME_LABELS),
        ("mark_labels", MARK_LABELS), ("mode_labels", MODE_LABELS), ("call_status_labels", CALL_STATUS_LABELS))}
    return {**labels, "review_reasons": review_reasons}
