"""The registrations of the tables the domains added after the registry was made (webhooks, API tokens,
service cases, mentoring, classroom sessions). A new domain may also register its tables in its own models
module, as lms/competitions does; either way it is one register() call.
"""

from flask_babel import lazy_gettext as _l

from lms.privacy.registry import ANONYMISE, DELETE, KEEP, PersonalTable, blank, register
from lms.privacy.tables import RESULT, STAFF_RECORD

# Other systems
register(
    PersonalTable(
        "webhook_endpoints",
        _l("Webhook endpoints they registered"),
        acted=("created_by_id",),
        fate=KEEP,
        reason=STAFF_RECORD,
        columns=("id", "url", "description", "events", "is_active"),
    )
)
register(
    PersonalTable(
        "cases",
        _l("Service cases they wrote or reviewed"),
        about=("author_id",),
        acted=("reviewer_id",),
        fate=KEEP,
        reason=_l("A case is checked for customers' personal data before it is published; it stays in the case "
                  "library and names its author by the pseudonym."),
    )
)
register(
    PersonalTable(
        "api_tokens",
        _l("API tokens they hold or created"),
        about=("user_id",),
        acted=("created_by_id",),
        fate=DELETE,
        secret=("secret_hash",),
    )
)

# Mentoring (lms.mentoring): a new hire's mentorship, whoever mentors them, and what both wrote
MENTORING = _l("Onboarding progress: the mentorship stays with the pseudonymous person; the notes go.")
register(
    PersonalTable(
        "mentorships",
        _l("Their mentorship as a new hire, or as the mentor"),
        about=("mentee_id",),
        acted=("mentor_id",),
        fate=KEEP,
        reason=MENTORING,
    )
)
register(
    PersonalTable(
        "mentor_changes",
        _l("Who mentored them, and who chose the mentor"),
        through=("mentorship_id", "mentorships"),
        acted=("mentor_id", "previous_mentor_id", "changed_by_id"),
        fate=KEEP,
        reason=STAFF_RECORD,
    )
)
register(
    PersonalTable(
        "shadowing_entries",
        _l("The shadowing log: calls listened to and taken, with notes and the mentor's comments"),
        through=("mentorship_id", "mentorships"),
        acted=("author_id", "confirmed_by_id"),
        fate=ANONYMISE,
        scrub={"notes": blank, "mentor_comment": blank},
        reason=MENTORING,
    )
)
register(
    PersonalTable(
        "mentoring_check_ins",
        _l("The mentor's check-ins, with notes and a progress rating"),
        through=("mentorship_id", "mentorships"),
        acted=("done_by_id",),
        fate=ANONYMISE,
        scrub={"notes": blank},
        reason=MENTORING,
    )
)
register(
    PersonalTable(
        "mentoring_sign_offs",
        _l("Standard items the mentor signed off, with a note"),
        through=("mentorship_id", "mentorships"),
        acted=("signed_by_id",),
        fate=ANONYMISE,
        scrub={"note": blank},
        reason=MENTORING,
    )
)

# Classroom and live sessions (lms.classroom)
register(
    PersonalTable(
        "classroom_sessions",
        _l("Classroom sessions they led as the trainer"),
        acted=("trainer_id",),
        fate=KEEP,
        reason=STAFF_RECORD,
    )
)
register(
    PersonalTable(
        "classroom_seats",
        _l("Places in classroom sessions, the waiting list and attendance"),
        about=("user_id",),
        acted=("enrolled_by_id",),
        fate=KEEP,
        reason=RESULT,
    )
)
register(
    PersonalTable(
        "classroom_drills",
        _l("Emergency drills they recorded"),
        acted=("recorded_by_id",),
        fate=KEEP,
        reason=STAFF_RECORD,
    )
)

# Media library (lms.media): who uploaded each image or audio clip
register(
    PersonalTable(
        "media_files",
        _l("Images and audio clips they uploaded to the media library"),
        acted=("uploaded_by_id",),
        fate=KEEP,
        reason=STAFF_RECORD,
        columns=("id", "name", "title", "kind", "size", "created_at"),
    )
)
