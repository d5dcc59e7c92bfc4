"""The mentoring plans of the onboarding paths, synced from the paths' files (their ``mentoring:`` section)."""

from sqlalchemy import select

from lms.content.files import content_hash
from lms.courses.loader import PathSpec
from lms.courses.models import OnboardingPath
from lms.db import db
from lms.mentoring.models import MentoringPlan
from lms.standards.services import SyncCounts


def sync_mentoring_plans(specs: list[PathSpec]) -> SyncCounts:
    """Create, replace or drop each path's mentoring plan as its file says; idempotent. Mentorships already
    open keep their check-ins; items added later are simply more to sign off."""
    counts = SyncCounts()
    paths = dict(db.session.execute(select(OnboardingPath.slug, OnboardingPath.id)).all())
    plans = {p.path_id: p for p in db.session.scalars(select(MentoringPlan))}
    for spec in specs:
        path_id, plan = paths.get(spec.slug), plans.get(paths.get(spec.slug))
        if path_id is None:
            continue
        if spec.mentoring is None:
            if plan is not None:
                db.session.delete(plan)
                counts.updated += 1
            continue
        digest = content_hash(spec.mentoring.as_data())
        if plan is not None and plan.content_hash == digest:
            counts.unchanged += 1
            continue
        if plan is None:
            plan = MentoringPlan(path_id=path_id)
            db.session.add(plan)
            counts.created += 1
        else:
            counts.updated += 1
        plan.check_in_days, plan.item_codes = list(spec.mentoring.check_in_days), list(spec.mentoring.sign_off)
        plan.content_hash = digest
    db.session.flush()
    return counts


def mentoring_plans() -> list[MentoringPlan]:
    return list(db.session.scalars(select(MentoringPlan).join(MentoringPlan.path).order_by(OnboardingPath.slug)))
