"""The registrations of the tables that existed when the registry was made (see lms/privacy/registry.py).

A new domain's table can be registered here or in its own module; either way it is one register() call.
"""

from flask_babel import lazy_gettext as _l

from lms.privacy.identity import (
    erase_audit_events,
    erase_identity,
    login_failures_of,
    user_events,
    without_typed_text,
)
from lms.privacy.registry import (
    ANONYMISE,
    DELETE,
    KEEP,
    PersonalTable,
    blank,
    empty_dict,
    nothing,
    register,
    without_text,
)

RESULT = _l("A result: reports, averages and KPI effects count it, so it stays with the pseudonymous person.")
AUTHORED = _l("Who wrote or changed content: the content stays; the author is shown by the pseudonym.")
STAFF_RECORD = _l("A record of work done by staff; it names the pseudonymous person from now on.")

# People and how they log in
register(
    PersonalTable(
        "users",
        _l("Name, e-mail address, employee number, hire date, team, language, password and last login"),
        where=lambda t, ctx: t.c.id == ctx.user_id,
        fate=ANONYMISE,
        secret=("password_hash",),
        erase=erase_identity,
        reason=_l("The person stays as a pseudonym so that their results still count in reports."),
    )
)
register(
    PersonalTable(
        "user_roles", _l("Roles"), about=("user_id",), fate=KEEP, reason=_l("Reports count people by role.")
    )
)
register(
    PersonalTable(
        "user_sessions",
        _l("Login sessions and browsers"),
        about=("user_id",),
        fate=DELETE,
        secret=("token_hash",),
    )
)
register(
    PersonalTable(
        "password_tokens",
        _l("Invitations and password reset links"),
        about=("user_id",),
        fate=DELETE,
        secret=("token_hash",),
    )
)
register(PersonalTable("team_managers", _l("Teams they manage"), about=("user_id",), fate=DELETE))
register(
    PersonalTable(
        "login_failures",
        _l("Failed logins with what was typed and the address"),
        where=login_failures_of,
        fate=DELETE,
    )
)
register(
    PersonalTable(
        "audit_events",
        _l("The audit log: what they did, and what was done to their account"),
        where=user_events,
        acted=("actor_id",),
        fate=ANONYMISE,
        erase=erase_audit_events,
        reason=_l(
            "The audit log is the record of who did what; their name, e-mail address and employee number "
            "are replaced by the pseudonym."
        ),
    )
)

# Mail
register(
    PersonalTable(
        "notifications",
        _l("Notifications mailed to them and what each said"),
        about=("recipient_id",),
        fate=ANONYMISE,
        scrub={"details": empty_dict},
        reason=_l("The row keeps each event from being mailed twice."),
    )
)
register(
    PersonalTable("notification_preferences", _l("Notification preferences"), about=("user_id",), fate=DELETE)
)

# Courses
register(
    PersonalTable(
        "enrolments",
        _l("Courses they were enrolled in, due dates and completion"),
        about=("user_id",),
        acted=("assigned_by_id",),
        fate=KEEP,
        reason=RESULT,
    )
)
register(PersonalTable("lesson_progress", _l("Lessons read"), about=("user_id",), fate=KEEP, reason=RESULT))
register(
    PersonalTable(
        "course_assignments",
        _l("Courses assigned to them, or by them"),
        about=("user_id",),
        acted=("assigned_by_id",),
        fate=KEEP,
        reason=RESULT,
    )
)
register(
    PersonalTable(
        "course_versions",
        _l("Course versions they wrote or published"),
        acted=("created_by_id", "published_by_id"),
        fate=KEEP,
        reason=AUTHORED,
        columns=("id", "course_id", "number", "title", "created_at", "published_at"),
    )
)

# Exams
register(
    PersonalTable(
        "accommodations",
        _l("Exam accommodations and the note given for them"),
        about=("user_id",),
        acted=("created_by_id",),
        fate=ANONYMISE,
        scrub={"note": blank},
        reason=RESULT,
    )
)
register(
    PersonalTable(
        "attempts", _l("Exam attempts and their scores"), about=("user_id",), fate=KEEP, reason=RESULT
    )
)
register(
    PersonalTable(
        "attempt_questions",
        _l("Answers to exam questions, marks and graders' comments"),
        through=("attempt_id", "attempts"),
        acted=("graded_by_id",),
        fate=ANONYMISE,
        scrub={"grader_comment": blank},
        reason=_l("Marks count in item analysis and reports; the graders' comments go."),
    )
)
register(
    PersonalTable(
        "late_answers",
        _l("Answers received after an exam's time ran out"),
        through=("attempt_id", "attempts"),
        fate=KEEP,
        reason=RESULT,
    )
)
register(
    PersonalTable(
        "exam_versions",
        _l("Exam versions they wrote"),
        acted=("created_by_id",),
        fate=KEEP,
        reason=AUTHORED,
        columns=("id", "exam_id", "number", "title", "created_at"),
    )
)
register(
    PersonalTable(
        "question_versions",
        _l("Question versions they wrote"),
        acted=("created_by_id",),
        fate=KEEP,
        reason=AUTHORED,
        columns=("id", "question_id", "number", "name", "created_at"),
    )
)

# Simulated calls
register(
    PersonalTable(
        "call_attempts",
        _l("Simulated calls, their scores and the state of each call"),
        about=("user_id",),
        fate=ANONYMISE,
        scrub={"state": without_typed_text},
        reason=RESULT,
    )
)
register(
    PersonalTable(
        "call_turns",
        _l("Each turn of their calls, typed replies and reviewers' comments"),
        through=("attempt_id", "call_attempts"),
        acted=("reviewed_by_id",),
        fate=ANONYMISE,
        scrub={"text": blank, "review_comment": blank},
        reason=_l("Marks count in the call's score; the typed text and comments go."),
    )
)
register(
    PersonalTable(
        "scenario_versions",
        _l("Call scenario versions they wrote"),
        acted=("created_by_id",),
        fate=KEEP,
        reason=AUTHORED,
        columns=("id", "scenario_id", "number", "title", "created_at"),
    )
)

# Certification
register(
    PersonalTable(
        "certification_applications",
        _l("Certification applications, evidence and decisions"),
        about=("user_id",),
        acted=("reviewer_id",),
        fate=KEEP,
        reason=_l("The record behind a certificate's decision."),
    )
)
register(
    PersonalTable(
        "certificates",
        _l("Certificates with the holder's name, and the PDF"),
        about=("user_id",),
        acted=("issued_by_id", "revoked_by_id"),
        fate=ANONYMISE,
        secret=("pdf",),
        scrub={"holder_name": blank, "pdf": nothing},
        reason=_l(
            "A certificate stays verifiable (programme, dates, status) with the holder's name withheld."
        ),
    )
)
register(
    PersonalTable(
        "signoffs",
        _l("Trainers' sign-offs of their skills, with comments"),
        about=("user_id",),
        acted=("trainer_id",),
        fate=ANONYMISE,
        scrub={"comment": blank},
        reason=RESULT,
    )
)
register(
    PersonalTable(
        "standard_acknowledgements",
        _l("Standard updates they acknowledged"),
        about=("user_id",),
        fate=KEEP,
        reason=RESULT,
    )
)
register(
    PersonalTable(
        "update_requirements",
        _l("Standard updates they issued"),
        acted=("created_by_id",),
        fate=KEEP,
        reason=AUTHORED,
        columns=("id", "programme_id", "title", "created_at"),
    )
)
register(
    PersonalTable(
        "bulk_jobs",
        _l("Bulk certificate runs they started"),
        acted=("created_by_id",),
        fate=KEEP,
        reason=STAFF_RECORD,
    )
)

# Evaluation and KPIs
register(
    PersonalTable(
        "observations",
        _l("Observed calls: ratings, the call's reference and the observer's notes"),
        about=("learner_id",),
        acted=("observer_id",),
        fate=ANONYMISE,
        scrub={"notes": blank, "call_reference": blank},
        reason=RESULT,
    )
)
register(
    PersonalTable(
        "survey_invitations",
        _l("Surveys offered to them, their ratings and comments"),
        about=("user_id",),
        acted=("trainer_id",),
        fate=ANONYMISE,
        scrub={"answers": without_text},
        reason=_l("Ratings count in the survey averages; typed comments go."),
    )
)
register(
    PersonalTable(
        "survey_versions",
        _l("Survey versions they wrote"),
        acted=("created_by_id",),
        fate=KEEP,
        reason=AUTHORED,
        columns=("id", "survey_id", "number", "title", "created_at"),
    )
)
register(
    PersonalTable(
        "improvement_actions",
        _l("Improvement actions they own or created"),
        acted=("owner_id", "created_by_id"),
        fate=KEEP,
        reason=STAFF_RECORD,
    )
)
register(PersonalTable("kpi_records", _l("KPI values"), about=("user_id",), fate=KEEP, reason=RESULT))
register(
    PersonalTable(
        "kpi_flag_assignments",
        _l("Courses assigned for a KPI below its threshold"),
        about=("user_id",),
        acted=("assigned_by_id",),
        fate=KEEP,
        reason=RESULT,
    )
)
register(
    PersonalTable(
        "kpi_imports", _l("KPI files they imported"), acted=("created_by_id",), fate=KEEP, reason=STAFF_RECORD
    )
)
register(
    PersonalTable(
        "kpi_thresholds", _l("KPI thresholds they set"), acted=("set_by_id",), fate=KEEP, reason=STAFF_RECORD
    )
)

# This domain
register(
    PersonalTable(
        "personal_data_erasures",
        _l("The erasure of their personal data"),
        about=("user_id",),
        acted=("erased_by_id",),
        fate=KEEP,
        reason=_l("The record that the erasure was done."),
    )
)
register(
    PersonalTable(
        "retention_settings",
        _l("Retention periods they set"),
        acted=("set_by_id",),
        fate=KEEP,
        reason=STAFF_RECORD,
    )
)
