"""An emergency drill's record (10.2.3): the scenario practised, the observed actions checked against the
crisis steps the session lists (the standards' 5.2.2 items, as the crisis-response course teaches them), and
the debrief. Shown on the session's page once the drill has begun."""

from flask_babel import gettext as _

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.classroom.models import ClassroomSession, DrillRecord, SessionKind, SessionStatus
from lms.db import db, get_row, utcnow
from lms.errors import DomainError


def record_drill(session_id: int, actor: User, scenario: str, observed: dict, debrief: str) -> DrillRecord:
    """Save (or correct) the drill's record; every observed step must be one of the session's drill steps."""
    session = get_row(ClassroomSession, session_id, lock=True)
    if session.kind != SessionKind.DRILL:
        raise DomainError(_("Only an emergency drill has a drill record."))
    if session.status == SessionStatus.CANCELLED:
        raise DomainError(_("This session has been cancelled."))
    if session.starts_at > utcnow():
        raise DomainError(_("The drill can be recorded once it has begun."))
    if not scenario.strip():
        raise DomainError(_("Describe the scenario the drill practised."), field="scenario_text")
    unknown = set(observed) - set(session.drill_steps)
    if unknown:
        raise DomainError(_("Unknown drill steps: %(codes)s.", codes="、".join(sorted(unknown))))
    record = session.drill or DrillRecord(session_id=session.id)
    record.scenario, record.debrief, record.recorded_by_id = scenario.strip(), debrief.strip(), actor.id
    record.observed = {code: {"done": bool(v.get("done")), "note": str(v.get("note", ""))[:500]}
                       for code, v in observed.items()}
    db.session.add(record)
    db.session.flush()
    record_event("classroom.drill_recorded", "classroom_session", session.id, actor=actor)
    return record
