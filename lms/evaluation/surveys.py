"""Reaction surveys (level 1): offering one when a course or a block of practice calls ends, one per person
per run; the surveys a person has still to answer; answering once. Plain functions: they flush, never commit."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role, User
from lms.db import db, get_row, utcnow
from lms.errors import DomainError
from lms.evaluation.models import Survey, SurveyInvitation, SurveyVersion
from lms.timeutil import to_local

MAX_COMMENT = 2000


def cohort_of(moment: datetime) -> str:
    """The cohort a run belongs to: the local month it ended in ("2026-11")."""
    return to_local(moment).strftime("%Y-%m")


def survey_for(after: str, course_code: str) -> SurveyVersion | None:
    """The survey offered after this kind of run ("course" or "calls") of this course: one that names the
    course wins over one offered after every course; ties go to the first slug."""
    versions = db.session.scalars(select(SurveyVersion).join(Survey, Survey.current_version_id == SurveyVersion.id)
                                  .order_by(Survey.slug))
    fitting = [v for v in versions if after in (v.offer.get("after") or [])]
    named = [v for v in fitting if isinstance(v.offer.get("courses"), list) and course_code in v.offer["courses"]]
    general = [v for v in fitting if v.offer.get("courses") == "all"]
    return (named or general or [None])[0]


def offer_survey(user: User, after: str, course, trainer_id: int | None = None,
                 now: datetime | None = None) -> SurveyInvitation | None:
    """Invite the user to the survey of a run that just ended, unless they were invited for it already
    (one response per person per run) or no survey is offered after it."""
    now = now or utcnow()
    existing = db.session.scalar(select(SurveyInvitation).where(
        SurveyInvitation.user_id == user.id, SurveyInvitation.context_kind == after,
        SurveyInvitation.context_key == course.code))
    version = None if existing is not None else survey_for(after, course.code)
    if version is None:
        return existing
    invitation = SurveyInvitation(survey_version_id=version.id, user_id=user.id, context_kind=after,
                                  context_key=course.code, course_id=course.id, trainer_id=trainer_id,
                                  cohort=cohort_of(now), offered_at=now)
    db.session.add(invitation)
    db.session.flush()
    return invitation


def trainer_of(enrolment) -> int | None:
    """The trainer a course run counts towards: the trainer who assigned it, if a trainer did."""
    assigner = db.session.get(User, enrolment.assigned_by_id) if enrolment.assigned_by_id else None
    return assigner.id if assigner is not None and assigner.has_role(Role.TRAINER) else None


def on_course_completed(enrolment, **_extra) -> None:
    offer_survey(enrolment.user, "course", enrolment.course, trainer_of(enrolment), enrolment.completed_at)


def on_call_finished(attempt, **_extra) -> None:
    """A block of practice calls ends when the learner has finished a call of every scenario of its course."""
    from lms.calls.models import CallAttempt, CallStatus, Scenario
    from lms.courses.models import Course

    course_id = attempt.scenario.course_id
    if course_id is None:
        return
    scenarios = db.session.scalar(select(func.count()).select_from(Scenario).where(Scenario.course_id == course_id))
    played = db.session.scalar(select(func.count(func.distinct(CallAttempt.scenario_id))).join(
        Scenario, Scenario.id == CallAttempt.scenario_id).where(
        Scenario.course_id == course_id, CallAttempt.user_id == attempt.user_id,
        CallAttempt.status != CallStatus.IN_PROGRESS))
    if played >= scenarios:
        offer_survey(attempt.user, "calls", db.session.get(Course, course_id), now=attempt.finished_at)


# ---------------------------------------------------------------- answering


@dataclass
class OpenSurvey:
    invitation: SurveyInvitation
    title: str
    context_title: str

    @property
    def context_label(self) -> str:
        """What ended, in words (the home page shows it outside the evaluation pages)."""
        from lms.evaluation.labels_levels13 import CONTEXT_LABELS

        return str(CONTEXT_LABELS.get(self.invitation.context_kind, ""))


def open_surveys(user: User) -> list[OpenSurvey]:
    """The surveys the user has been offered and not answered yet, newest first."""
    from lms.courses.models import Course, CourseVersion

    rows = db.session.execute(
        select(SurveyInvitation, SurveyVersion.title, CourseVersion.title)
        .join(SurveyVersion, SurveyVersion.id == SurveyInvitation.survey_version_id)
        .outerjoin(Course, Course.id == SurveyInvitation.course_id)
        .outerjoin(CourseVersion, CourseVersion.id == Course.published_version_id)
        .where(SurveyInvitation.user_id == user.id, SurveyInvitation.responded_at.is_(None))
        .order_by(SurveyInvitation.offered_at.desc(), SurveyInvitation.id.desc())).all()
    return [OpenSurvey(inv, title, course_title or inv.context_key) for inv, title, course_title in rows]


def invitation_of(invitation_id: int, user: User, lock: bool = False) -> SurveyInvitation:
    """The user's own invitation (anyone else's is not found)."""
    return get_row(SurveyInvitation, invitation_id, lock=lock, where=(SurveyInvitation.user_id == user.id,),
                   options=(selectinload(SurveyInvitation.survey_version),))


def check_answers(items: list[dict], answers: dict) -> dict:
    """The answers kept for the survey's items; a required item left empty or a value out of range is refused
    naming the item. Pure."""
    kept = {}
    for item in items:
        value = answers.get(item["id"])
        if value in (None, ""):
            if item["required"]:
                raise DomainError(_("Please answer this question."), field=f"item_{item['id']}")
            continue
        if item["kind"] == "comment":
            kept[item["id"]] = str(value).strip()[:MAX_COMMENT]
            continue
        high = 5 if item["kind"] == "likert" else 10
        low = 1 if item["kind"] == "likert" else 0
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise DomainError(_("Choose one of the answers given."), field=f"item_{item['id']}")
        kept[item["id"]] = value
    return kept


def answer_survey(invitation_id: int, user: User, answers: dict, now: datetime | None = None) -> SurveyInvitation:
    """Record the user's answers, once."""
    invitation = invitation_of(invitation_id, user, lock=True)
    if invitation.responded_at is not None:
        raise DomainError(_("You have already answered this survey. Thank you!"))
    invitation.answers = check_answers(invitation.survey_version.items, answers)
    invitation.responded_at = now or utcnow()
    db.session.flush()
    return invitation


def context_title(invitation: SurveyInvitation) -> str:
    """What the survey asks about, in words: the course's title (or its code when it has none)."""
    from lms.courses.models import Course, CourseVersion

    title = db.session.scalar(select(CourseVersion.title).join(Course, Course.published_version_id == CourseVersion.id)
                              .where(Course.id == invitation.course_id)) if invitation.course_id else None
    return title or invitation.context_key


def minimum_group() -> int:
    """Aggregates over fewer respondents than this are hidden (a setting, default 5)."""
    from flask import current_app

    return max(1, int(current_app.config.get("EVALUATION_MINIMUM_GROUP", 5)))
