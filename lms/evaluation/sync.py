"""Saving the evaluation's content files (the importer): a changed survey becomes its next version
(invitations already sent keep theirs); an observation plan is replaced (observations already scheduled
keep what they were given)."""

from sqlalchemy import select

from lms.db import db
from lms.evaluation.models import ObservationPlan, Survey, SurveyVersion
from lms.evaluation.plan_loader import PlanSpec
from lms.evaluation.survey_loader import SurveySpec
from lms.standards.services import SyncCounts, sync_by_slug


def save_survey(spec: SurveySpec) -> tuple[Survey, bool]:
    """Save the survey as its next version unless it is unchanged; (survey, changed)."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == spec.slug))
    if survey is None:
        survey = Survey(slug=spec.slug)
        db.session.add(survey)
        db.session.flush()
    current = survey.current_version
    if current is not None and current.content_hash == spec.content_hash:
        return survey, False
    definition = spec.definition
    number = (current.number if current is not None else 0) + 1
    version = SurveyVersion(survey_id=survey.id, number=number, title=definition["title"],
                            items=definition["items"], offer=definition["offer"],
                            content_hash=spec.content_hash, source="file")
    db.session.add(version)
    db.session.flush()
    survey.current_version = version
    db.session.flush()
    return survey, True


def sync_surveys(specs: list[SurveySpec]) -> SyncCounts:
    return sync_by_slug(Survey.slug, specs, save_survey)


def save_plan(spec: PlanSpec) -> tuple[ObservationPlan, bool]:
    plan = db.session.scalar(select(ObservationPlan).where(ObservationPlan.slug == spec.slug))
    if plan is not None and plan.content_hash == spec.content_hash:
        return plan, False
    if plan is None:
        plan = ObservationPlan(slug=spec.slug)
        db.session.add(plan)
    plan.source_kind, plan.source_key = spec.source_kind, spec.source_key
    plan.definition, plan.content_hash = spec.definition, spec.content_hash
    db.session.flush()
    return plan, True


def sync_plans(specs: list[PlanSpec]) -> SyncCounts:
    return sync_by_slug(ObservationPlan.slug, specs, save_plan)
