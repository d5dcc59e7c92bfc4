"""A certification requirement met when the new hire's mentor has signed off every standard item of an
onboarding path's mentoring plan (``kind: mentor_signoff`` with ``path: <slug>`` in a programme file)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.certification.requirement_kinds import Proof, RequirementKind, register_kind
from lms.courses.models import OnboardingPath
from lms.db import db
from lms.mentoring.models import MentoringPlan, Mentorship


@register_kind
class MentorSignOffRequirement(RequirementKind):
    name, label = "mentor_signoff", _l("Mentor's sign-off of the onboarding path")
    fields, target = frozenset({"path"}), "path"
    open_hint = _l("Your mentor signs off the service standards of your onboarding path as they see you practise "
                   "them on real calls.")

    def load(self, raw, fields, lines):
        slug = fields.text("path", max_len=100)
        lines[("path", slug)] = raw.line_of("path")
        return {"path": slug}

    def gather(self, requirements, user_ids):
        slugs = {req["path"] for req, _scope in requirements}
        rows = db.session.execute(
            select(Mentorship.mentee_id, OnboardingPath.slug, Mentorship.completed_at)
            .join(OnboardingPath, OnboardingPath.id == Mentorship.path_id)
            .where(Mentorship.mentee_id.in_(user_ids), OnboardingPath.slug.in_(slugs),
                   Mentorship.completed_at.is_not(None))).all()
        return {(user_id, slug): [Proof(at)] for user_id, slug, at in rows}

    def decide(self, req, proofs, since):
        met = [p for p in proofs if since is None or p.at >= since]
        return bool(met), "", met[0].at if met else None

    def titles(self, requirements):
        slugs = {req["path"] for req in requirements}
        return dict(db.session.execute(select(OnboardingPath.slug, OnboardingPath.title)
                                       .where(OnboardingPath.slug.in_(slugs))).all()) if slugs else {}

    def step_prefix(self):
        from lms.urls import path_for

        return path_for("mentoring.index")

    def step_link(self, req, prefix):
        return prefix

    def covered_items(self, requirements):
        slugs = {req["path"] for req in requirements}
        plans = db.session.scalars(select(MentoringPlan).join(OnboardingPath, OnboardingPath.id == MentoringPlan.path_id)
                                   .where(OnboardingPath.slug.in_(slugs))) if slugs else []
        return {code for plan in plans for code in plan.item_codes}
