"""Every label of the to-do list and the notifications: value → text a person reads."""

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from lms.notifications.models import Delivery

# The to-do list's groups (one per source).
TODO_LABELS = {
    "course_overdue": _l("Overdue courses"),
    "course_due_soon": _l("Courses due within 7 days"),
    "exam_window": _l("Exams open now"),
    "renewal_window": _l("Certificates to renew"),
    "results_released": _l("Results released"),
    "open_survey": _l("Surveys waiting for you"),
    "answers_to_grade": _l("Answers to grade"),
    "replies_to_review": _l("Typed call replies to review"),
    "applications_to_review": _l("Certification applications to decide"),
    "observations_due": _l("Observed calls due"),
    "cases_to_review": _l("Service cases to review"),
    "cases_returned": _l("Your service cases returned for changes"),
    "team_overdue": _l("Team members with overdue courses"),
    "team_expiring": _l("Team certificates expiring within 60 days"),
    "team_kpi_flags": _l("Team members with a KPI below its threshold"),
}

# Groups of notifications a person chooses a delivery for.
GROUP_LABELS = {
    "courses": _l("My courses: assigned, due soon, overdue"),
    "results": _l("My results and certification decisions"),
    "certificates": _l("My certificates expiring"),
    "work": _l("Work waiting for me: applications to review, observed calls due"),
    "team": _l("My teams: overdue courses and expiring certificates"),
    "team_kpi": _l("My teams: KPIs below their threshold after a KPI import"),
    "team_report": _l("A weekly report of each of my teams, with the team report as a PDF"),
}
GROUP_HINTS = {
    "courses": "",
    "results": "",
    "certificates": "",
    "work": _l("Trainers and managers"),
    "team": _l("Managers"),
    "team_kpi": _l("Managers"),
    "team_report": _l("Managers. Sent once a week, on the first run of the week; off unless you ask for it."),
}

DELIVERY_LABELS = {
    Delivery.IMMEDIATE: _l("By e-mail at once"),
    Delivery.DIGEST: _l("In one e-mail a day"),
    Delivery.OFF: _l("Not by e-mail"),
    Delivery.WEEKLY: _l("By e-mail once a week"),
}


def overdue_courses_text(count: int) -> str:
    return ngettext("%(num)d course overdue", "%(num)d courses overdue", count)


def kpi_flags_text(flags: list[tuple[str, str, str]]) -> str:
    """"First-contact resolution 62.0% (threshold 70.0%); …" for (KPI name, value, threshold) in words."""
    return gettext("; ").join(gettext("%(kpi)s %(value)s (threshold %(threshold)s)", kpi=kpi, value=value,
                                      threshold=threshold) for kpi, value, threshold in flags)


def age_text(days: int | None) -> str:
    """How long an item has waited, in words."""
    if days is None:
        return ""
    if days == 0:
        return str(_l("new today"))
    return ngettext("waiting %(num)d day", "waiting %(num)d days", days)
