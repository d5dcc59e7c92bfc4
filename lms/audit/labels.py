"""Every audit action, object type and recorded field in words, and the readable summary of an event.

An action owns a label ("Account deactivated") and a summary: a message whose placeholders are filled from
the event, rendered in the reader's language when the log is shown or exported. ``%(object)s`` is what the
event is about in words (lms.audit.subjects), ``%(note)s`` the text the service recorded, and any other
name a field of the event's ``after`` state (``%(before_<field>)s`` the ``before`` one). A new action
needs an entry here: tests/audit/test_labels.py finds every action the code records.
"""

import json
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.accounts.labels import LOCALE_LABELS, ROLE_LABELS
from lms.exams.labels import CLOSED_BY_LABELS


@dataclass(frozen=True)
class ActionLabel:
    label: object
    summary: object = None  # a lazy message with placeholders; None: the object alone
    # Tried in turn when the summary needs a value the event lacks (a score not given yet).
    alternatives: tuple = ()


ACTIONS: dict[str, ActionLabel] = {
    # Logins (lms.accounts.login_log)
    "login.succeeded": ActionLabel(_l("Logged in")),
    "login.failed": ActionLabel(_l("Failed login"), _l("Typed: %(identifier)s")),
    "login.throttled": ActionLabel(_l("Login refused after too many failures"), _l("Typed: %(identifier)s")),
    # Accounts and teams
    "user.created": ActionLabel(_l("Account created")),
    "user.updated": ActionLabel(_l("Account edited")),
    "user.roles_changed": ActionLabel(_l("Roles changed"), _l("%(object)s: %(before_roles)s → %(roles)s")),
    "user.activated": ActionLabel(_l("Account reactivated")),
    "user.deactivated": ActionLabel(_l("Account deactivated")),
    "user.password_changed": ActionLabel(_l("Password changed")),
    "user.imported": ActionLabel(_l("Accounts imported from a CSV file"), _l("%(count)s accounts")),
    "team.created": ActionLabel(_l("Team created")),
    "team.updated": ActionLabel(_l("Team edited")),
    # Courses
    "course.created": ActionLabel(_l("Course created")),
    "course.draft_started": ActionLabel(_l("Course draft started")),
    "course.draft_discarded": ActionLabel(_l("Course draft discarded")),
    "course.published": ActionLabel(_l("Course published"), _l("%(object)s, version %(version)s")),
    "course.assigned": ActionLabel(_l("Course assigned"), _l("%(object)s to %(count)s people")),
    "course.completed": ActionLabel(_l("Course completed")),
    # Exams
    "exam.saved": ActionLabel(_l("Exam saved")),
    "exam.accommodation": ActionLabel(_l("Exam accommodation granted"), _l("%(object)s, for %(note)s")),
    "exam.results_released": ActionLabel(_l("Exam results released")),
    "questions.gift_imported": ActionLabel(_l("Questions imported from a GIFT file"),
                                           _l("%(object)s: %(count)s questions")),
    "attempt.started": ActionLabel(_l("Exam attempt started")),
    "attempt.submitted": ActionLabel(
        _l("Exam attempt submitted"), _l("%(object)s: %(percent)s%%, %(passed)s (submitted by %(closed_by)s)"),
        (_l("%(object)s: %(percent)s%%, %(passed)s"),
         _l("%(object)s: waiting for a trainer to grade (submitted by %(closed_by)s)"),
         _l("%(object)s: waiting for a trainer to grade"))),
    "attempt.discarded": ActionLabel(_l("Overdue exam attempt not counted")),
    "attempt.regraded": ActionLabel(_l("Exam attempt regraded"),
                                    _l("%(object)s: %(before_percent)s%% → %(percent)s%%")),
    "attempt.graded_by_trainer": ActionLabel(_l("Answer graded by a trainer"), _l("%(object)s: %(score)s points")),
    "attempt.mark_overridden": ActionLabel(
        _l("Mark changed"), _l("%(object)s: %(before_score)s → %(score)s points (%(reason)s)"),
        (_l("%(object)s: %(before_score)s → %(score)s points"), _l("%(object)s: %(score)s points"))),
    "attempt.viewed": ActionLabel(_l("Exam attempt viewed")),
    # Simulated calls
    "scenario.saved": ActionLabel(_l("Call scenario saved")),
    "scenario.drafted": ActionLabel(_l("Draft call scenario made")),
    # The case library
    "case.submitted": ActionLabel(_l("Service case sent for review")),
    "case.published": ActionLabel(_l("Service case published"), _l("%(object)s: %(items)s")),
    "case.returned": ActionLabel(_l("Service case returned to its author"), _l("%(object)s: %(comment)s")),
    "case.rejected": ActionLabel(_l("Service case not published"), _l("%(object)s: %(comment)s")),
    "case.scenario_drafted": ActionLabel(_l("Service case turned into a draft call scenario")),
    "call.assessed": ActionLabel(_l("Assessed call scored"), _l("%(object)s: %(percent)s%%, %(status)s")),
    "call.reviewed": ActionLabel(_l("Typed reply reviewed"), _l("%(object)s: the call now scores %(percent)s%%")),
    # Certification
    "programme.saved": ActionLabel(_l("Certification programme saved")),
    "onboarding_path.created": ActionLabel(_l("Onboarding path created")),
    "onboarding_path.saved": ActionLabel(_l("Onboarding path saved")),
    "certification.applied": ActionLabel(_l("Applied for certification")),
    "certification.withdrawn": ActionLabel(_l("Certification application withdrawn")),
    "certification.review_started": ActionLabel(_l("Review of an application started")),
    "certification.returned": ActionLabel(_l("Application returned"), _l("%(object)s: %(reasons)s")),
    "certification.issued": ActionLabel(_l("Certificate issued"), _l("%(object)s, valid until %(expires_at)s")),
    "certification.revoked": ActionLabel(_l("Certificate revoked"), _l("%(object)s: %(reason)s")),
    "certification.visibility": ActionLabel(_l("Certificate visibility changed"), _l("%(object)s: %(public)s")),
    "certification.update_required": ActionLabel(_l("Programme update required"), _l("%(object)s, due %(due_on)s")),
    "certification.acknowledged": ActionLabel(_l("Programme update acknowledged")),
    "certification.signoff": ActionLabel(_l("Observed-practice sign-off recorded"),
                                         _l("%(object)s: %(percent)s%%, %(passed)s")),
    "certification.transcript_read": ActionLabel(_l("Transcript read")),
    # Evaluation and KPIs
    "observation.recorded": ActionLabel(_l("Observation of a real call recorded"), _l("%(object)s: %(percent)s%%")),
    "kpi.items_changed": ActionLabel(_l("Standard items of a KPI changed"), _l("%(object)s: %(items)s")),
    "kpi.imported": ActionLabel(_l("KPI values imported"), _l("%(file)s: %(values)s values from %(rows)s rows")),
    "kpi.replaced": ActionLabel(_l("KPI values replaced"),
                                _l("%(file)s: %(before_values)s values of %(first_period)s – %(last_period)s replaced")),
    "kpi.threshold_set": ActionLabel(_l("KPI threshold set"), _l("%(object)s: %(threshold)s (%(scope)s)")),
    "kpi.threshold_removed": ActionLabel(_l("KPI threshold removed"),
                                         _l("%(object)s: %(before_threshold)s (%(before_scope)s)")),
    "kpi.flag_courses_assigned": ActionLabel(_l("Courses assigned for a KPI below its threshold"),
                                             _l("%(object)s: %(courses)s courses for %(people)s people")),
    # The readiness board
    "board.person_read": ActionLabel(_l("Record read on the readiness board")),
    "board.exported": ActionLabel(_l("Readiness board exported")),
    "programme.assigned": ActionLabel(_l("Certification programme's courses assigned from the readiness board"),
                                      _l("%(object)s: %(created)s new enrolments for %(people)s people")),
    "board.reminded": ActionLabel(_l("Reminders sent from the readiness board"), _l("%(object)s to %(count)s people")),
    # Classroom and live sessions (lms.classroom)
    "classroom.scheduled": ActionLabel(_l("Classroom session scheduled")),
    "classroom.changed": ActionLabel(_l("Classroom session changed")),
    "classroom.cancelled": ActionLabel(_l("Classroom session cancelled")),
    "classroom.enrolled": ActionLabel(_l("Enrolled in a classroom session"), _l("%(object)s: %(note)s")),
    "classroom.assigned": ActionLabel(_l("People assigned to a classroom session"), _l("%(object)s: %(note)s")),
    "classroom.seat_cancelled": ActionLabel(_l("Place in a classroom session cancelled"), _l("%(object)s: %(note)s")),
    "classroom.attendance_taken": ActionLabel(_l("Attendance taken"), _l("%(object)s: %(note)s")),
    "classroom.drill_recorded": ActionLabel(_l("Emergency drill recorded")),
    # Webhooks
    "webhook.created": ActionLabel(_l("Webhook endpoint registered"), _l("%(object)s: %(url)s")),
    "webhook.updated": ActionLabel(_l("Webhook endpoint edited"), _l("%(object)s: %(url)s")),
    "webhook.secret_replaced": ActionLabel(_l("Webhook signing secret replaced"), _l("%(object)s: %(note)s")),
    # Mentoring (lms.mentoring)
    "mentoring.mentor_chosen": ActionLabel(_l("Mentor chosen for a new hire"),
                                           _l("%(object)s: %(before_mentor)s → %(mentor)s"),
                                           (_l("%(object)s: %(mentor)s"),)),
    "mentoring.item_signed_off": ActionLabel(_l("Standard item signed off by the mentor"),
                                             _l("%(object)s: %(item)s")),
    # Skill competitions (lms.competitions)
    "competition.created": ActionLabel(_l("Skill competition set up"),
                                       _l("%(object)s: %(teams)s teams, %(items)s items assessed")),
    "competition.closed": ActionLabel(_l("Skill competition closed and honours given"),
                                      _l("%(object)s: %(people)s people honoured, winning team %(team)s")),
    # The audit log itself
    "audit.exported": ActionLabel(_l("Audit log exported")),
    # Personal data (lms.privacy)
    "privacy.exported": ActionLabel(_l("Personal data exported"), _l("%(object)s, as %(note)s")),
    "privacy.erased": ActionLabel(_l("Personal data erased"),
                                  _l("%(object)s: %(count)s rows deleted or anonymised")),
    "privacy.retention_changed": ActionLabel(_l("Retention periods changed")),
    "privacy.purged": ActionLabel(_l("Expired personal data purged"),
                                  _l("%(note)s records deleted or anonymised")),
    # The API (lms.api): its tokens, and every write made through it (the change itself is recorded too)
    "api_token.created": ActionLabel(_l("API token created"), _l("%(name)s: %(scopes)s, until %(expires_on)s")),
    "api_token.revoked": ActionLabel(_l("API token revoked")),
    "api.write": ActionLabel(_l("Change made through the API"), _l("%(note)s")),
}

OBJECT_TYPES = {
    "account": _l("Login name"),
    "user": _l("Account"),
    "team": _l("Team"),
    "competition": _l("Skill competition"),
    "api_token": _l("API token"),
    "course": _l("Course"),
    "enrolment": _l("Enrolment"),
    "exam": _l("Exam"),
    "attempt": _l("Exam attempt"),
    "attempt_question": _l("Answer"),
    "question_bank": _l("Question bank"),
    "scenario": _l("Call scenario"),
    "case": _l("Service case"),
    "call_attempt": _l("Simulated call"),
    "call_turn": _l("Typed reply"),
    "programme": _l("Certification programme"),
    "onboarding_path": _l("Onboarding path"),
    "application": _l("Certification application"),
    "certificate": _l("Certificate"),
    "update_requirement": _l("Programme update"),
    "signoff": _l("Observed-practice sign-off"),
    "audit_log": _l("Audit log"),
    "observation": _l("Observation of a real call"),
    "kpi": _l("KPI"),
    "kpi_import": _l("KPI import"),
    "classroom_session": _l("Classroom session"),
    "webhook_endpoint": _l("Webhook endpoint"),
    "retention": _l("Retention periods"),
}

FIELDS = {
    "employee_no": _l("Employee number"), "name": _l("Name"), "email": _l("E-mail"), "hire_date": _l("Hire date"),
    "locale": _l("Language"), "team_id": _l("Team"), "roles": _l("Roles"), "is_active": _l("Can log in"),
    "identifier": _l("Typed login name"), "description": _l("Description"), "managers": _l("Managers"),
    "employee_nos": _l("Employee numbers"), "percent": _l("Score (%)"), "passed": _l("Result"),
    "status": _l("Status"), "score": _l("Points"), "comment": _l("Comment"), "marks": _l("Marks"),
    "reasons": _l("Reasons"), "reason": _l("Reason"), "public": _l("Shown publicly"),
    "expires_at": _l("Valid until"), "application": _l("Application"), "renewed": _l("Renews certificate"),
    "due_date": _l("Due date"), "users": _l("People"), "teams": _l("Teams"), "version": _l("Version"),
    "source": _l("Source"), "extra_minutes": _l("Extra minutes"), "extra_attempts": _l("Extra attempts"),
    "from": _l("Available from"), "until": _l("Available until"), "items": _l("Standard items"),
    "requirements": _l("Requirements"), "due_on": _l("Due"), "evidence": _l("Evidence"),
    "ratings": _l("Ratings"),
    "file": _l("File"), "rows": _l("Rows"), "first_period": _l("First period"), "last_period": _l("Last period"),
    "values": _l("Values"), "critical_failed": _l("Critical criteria missed"),
    "threshold": _l("Threshold"), "scope": _l("Applies to"), "courses": _l("Courses"), "people": _l("People"),
    "team": _l("Team"),
    "url": _l("URL"), "webhook_events": _l("Events"),
    "login_failures": _l("Failed logins"), "login_events": _l("Logins in the audit log"),
    "read_events": _l("Reads in the audit log"), "notification_records": _l("What notification mails said"),
    "departed_people": _l("Departed people's personal data"), "count": _l("Rows"),
    "mentor": _l("Mentor"), "item": _l("Standard item"), "note": _l("Note"),
    "created": _l("New enrolments"), "skipped": _l("Left as they were (already enrolled or completed)"),
    "kind": _l("Kind"), "scopes": _l("Permissions"), "expires_on": _l("Expires on"), "revoked": _l("Revoked"),
}

_STATUS = {"finished": _l("finished"), "needs_review": _l("waiting for a trainer's review"),
           "in_progress": _l("in progress")}
# Where a saved or published version came from (the "source" of save and publish events).
_SOURCES = {"file": _l("imported from a content file"), "editor": _l("edited in the browser"),
            "gift": _l("imported from a GIFT file")}


def _yes_no(value) -> str:
    return str(_l("yes") if value else _l("no"))


CENTRE_SCOPE = "centre"  # the scope of a KPI threshold set for the whole centre (lms.kpi.thresholds)
# A field whose words depend on what the event is about.
_FIELDS_BY_TYPE = {"team": {"name": _l("Team name")},
                   "webhook_endpoint": {"is_active": _l("Active (events are sent)")},
                   "onboarding_path": {"slug": _l("Name in the address"), "title": _l("Title"),
                                       "assign_to": _l("Given to"),
                                       "new_hire_days": _l("Given to learners hired within this many days"),
                                       "sessions": _l("Classroom sessions"), "mentoring": _l("Mentoring plan")},
                   "programme": {"slug": _l("Name in the address"), "title": _l("Title"), "summary": _l("Summary"),
                                 "level": _l("Level"), "validity_months": _l("Valid for (months)"),
                                 "prerequisites": _l("Certificates needed first"),
                                 "recertification": _l("Renewal")}}


def field_label(key: str, object_type: str = "") -> str:
    label = _FIELDS_BY_TYPE.get(object_type, {}).get(key) or FIELDS.get(key)
    return str(label) if label is not None else key.replace("_", " ")


_BY_KEY = {
    "passed": lambda v: str(_l("passed") if v else _l("not passed")),
    "public": lambda v: str(_l("public") if v else _l("not public")),
    "roles": lambda v: "、".join(str(ROLE_LABELS.get(r, r)) for r in v) if isinstance(v, list) else str(v),
    "locale": lambda v: str(LOCALE_LABELS.get(v, v)),
    "status": lambda v: str(_STATUS.get(v, v)),
    "source": lambda v: str(_SOURCES.get(v, v)),
    "expires_at": lambda v: str(v)[:10],
    "expires_on": lambda v: str(v)[:10],
    "scopes": lambda v: "、".join(_scope_label(s) for s in v) if isinstance(v, list) else str(v),
    "kind": lambda v: str(_token_kind_label(v)),
    "due_on": lambda v: str(v)[:10],
    "due_date": lambda v: str(v)[:10],
    "webhook_events": lambda v: "、".join(_webhook_event_label(e) for e in v) if isinstance(v, list) else str(v),
    "scope": lambda v: str(_l("the whole centre")) if v == CENTRE_SCOPE else str(v),  # else a team's name
}


def _webhook_event_label(code: str) -> str:
    from lms.webhooks.labels import EVENT_LABELS

    return str(EVENT_LABELS.get(code, code))
def _scope_label(scope: str) -> str:
    from lms.api.labels import scope_label
    try:
        return scope_label(scope)
    except (KeyError, ValueError):
        return scope
def _token_kind_label(kind: str):
    from lms.api.labels import KIND_LABELS
    return KIND_LABELS.get(kind, kind)


def _plain(value) -> str:
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return "、".join(str(v) for v in value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def field_value(key: str, value, names: dict | None = None) -> str:
    """A recorded value in words: yes/no, roles and languages by their labels, a team by its name (from
    ``names``, lms.audit.subjects), lists joined, nothing as —."""
    if value is None or value == "" or value == []:
        return "—"
    if key == "team_id" and names is not None:
        return names.get(("team", str(value)), str(value))
    if key in _BY_KEY:
        return _BY_KEY[key](value)
    return _plain(value)


def action_label(action: str) -> str:
    known = ACTIONS.get(action)
    return str(known.label) if known else action


def object_type_label(object_type: str) -> str:
    return str(OBJECT_TYPES.get(object_type, object_type))


# Values some services wrote only into the note (attempt.submitted: "learner: 85.0").
_NOTE_VALUES = {"attempt.submitted": re.compile(r"^(?P<closed_by>[a-z_]+):"),
               "attempt.mark_overridden": re.compile(r"^attempt \d+ #\d+: (?P<reason>.+)$", re.S)}


def _values(event, object_text: str) -> dict[str, str]:
    """What a summary may name; a value the event did not record (None) is left out."""
    values = {"object": object_text, "note": event.summary or "—"}
    pattern = _NOTE_VALUES.get(event.action)
    if pattern and (match := pattern.match(event.summary or "")):
        values.update(match.groupdict())
        if "closed_by" in values:
            values["closed_by"] = str(CLOSED_BY_LABELS.get(values["closed_by"], values["closed_by"]))
    for prefix, state in (("before_", event.before), ("", event.after)):
        for key, value in (state or {}).items() if isinstance(state, dict) else ():
            if value is not None:
                values[prefix + key] = field_value(key, value)
    counted = (event.after or {}).get("employee_nos") or (event.after or {}).get("users")
    if isinstance(counted, list):
        values["count"] = str(len(counted))
    elif match := re.match(r"^(\d+)\b", event.summary or ""):
        values["count"] = match.group(1)
    return values


def summarise(event, object_text: str) -> str:
    """The event in a sentence of the reader's language; what the template needs but the event lacks
    falls back to the object's name and the recorded note."""
    known = ACTIONS.get(event.action)
    values = _values(event, object_text)
    for template in (known.summary, *known.alternatives) if known and known.summary else ():
        try:
            return str(template) % values
        except (KeyError, ValueError, TypeError):
            continue
    if known is None and event.summary:
        return _("%(object)s: %(note)s", **values) if object_text else event.summary
    return object_text


def changes(event, names: dict | None = None) -> list[tuple[str, str, str]]:
    """The fields the event recorded, as (label, before, after) in words; unchanged fields are left out
    when both states were recorded."""
    before, after = event.before or {}, event.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    keys = [k for k in dict.fromkeys([*before, *after]) if not (k in before and k in after and before[k] == after[k])]
    return [(field_label(k, event.object_type), field_value(k, before[k], names) if k in before else "",
             field_value(k, after[k], names) if k in after else "") for k in keys]
