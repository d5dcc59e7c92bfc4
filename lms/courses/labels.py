"""Every label of the courses domain: value → text a person reads (forms, templates and services use these)."""

from flask_babel import lazy_gettext as _l

from lms.courses.models import EnrolmentSource, Tier

TIER_LABELS = {
    Tier.FOUNDATION: _l("Foundation training"),
    Tier.PROFESSIONAL: _l("Professional skills training"),
    Tier.MANAGEMENT: _l("Management training"),
    Tier.DEVELOPMENT: _l("Continuous development training"),
}
TIER_HINTS = {
    Tier.FOUNDATION: _l("Company, culture and the service mindset: where every new hire starts."),
    Tier.PROFESSIONAL: _l("Communication, procedures and problem handling for the front line."),
    Tier.MANAGEMENT: _l("Team building, customer relationships and quality control for leads and coaches."),
    Tier.DEVELOPMENT: _l("Industry trends, new technology and customer-needs analysis to keep growing."),
}
AUDIENCE_LABELS = {
    "learner": _l("Front-line staff"),
    "trainer": _l("Trainers"),
    "manager": _l("Managers"),
}
# Self-enrolment carries no tag in the learner's list: only what someone else decided is named.
ENROLMENT_SOURCE_LABELS = {
    EnrolmentSource.ONBOARDING: _l("onboarding"),
    EnrolmentSource.ASSIGNED: _l("assigned"),
}
# The button that takes a learner into an enrolled course.
RESUME_LABELS = {
    "start": _l("Start"),
    "continue": _l("Continue"),
}
# What a course page says about when the course counts as complete (no hint for lessons alone).
COMPLETION_RULE_HINTS = {
    "lessons_and_tests": _l("The course is complete when every lesson is read and its post-test is passed."),
}
