"""The certification requirement kind "session": attend a classroom session made from a template (present or
late). In a programme file: ``- {id: induction, kind: session, session: induction-day}``."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.certification.requirement_kinds import Proof, RequirementKind, register_kind, targets
from lms.classroom.models import ATTENDED, ClassroomSession, Seat, SessionTemplate
from lms.db import db


@register_kind
class SessionRequirement(RequirementKind):
    """Attend a session of a template (its attendance taken present or late)."""

    name, label, fields, target = "session", _l("Session attended"), frozenset({"session"}), "session"
    open_hint = _l("Take a place in the next session on the classroom page; the trainer's attendance counts.")

    def load(self, raw, fields, lines):
        slug = fields.text("session", max_len=100)
        lines[("session", slug)] = raw.line_of("session")
        return {"session": slug}

    def gather(self, requirements, user_ids):
        rows = db.session.execute(
            select(Seat.user_id, ClassroomSession.template_slug, Seat.attendance_at)
            .join(ClassroomSession, ClassroomSession.id == Seat.session_id)
            .where(Seat.user_id.in_(user_ids), ClassroomSession.template_slug.in_(targets(requirements, "session")),
                   Seat.attendance.in_(ATTENDED)).order_by(Seat.attendance_at))
        found: dict = {}
        for user_id, slug, at in rows:
            found.setdefault((user_id, slug), []).append(Proof(at))
        return found

    def decide(self, req, proofs, since):
        counted = [p.at for p in proofs if p.at is not None and (since is None or p.at >= since)]
        return bool(counted), "", counted[-1] if counted else None

    def titles(self, requirements):
        return dict(db.session.execute(select(SessionTemplate.slug, SessionTemplate.title).where(
            SessionTemplate.slug.in_(targets(requirements, "session")))).all())

    def step_link(self, req, prefix):
        from lms.urls import path_for

        return path_for("classroom.index")

    def covered_items(self, requirements):
        return {code for standards in db.session.scalars(select(SessionTemplate.standards).where(
            SessionTemplate.slug.in_(targets(requirements, "session")))) for code in standards}
