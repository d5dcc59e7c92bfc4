"""Observed calls (level 3): scheduling them from the observation plans when a course is completed or a
certificate issued, who may observe whom, the observer's task list, and the scorecard. Plain functions:
they flush, never commit."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from lms.accounts.models import Role, Team, User, team_managers
from lms.audit.services import record_event
from lms.calls.models import Scenario, ScenarioVersion
from lms.calls.scenarios import get_scenario
from lms.db import RowNotFound, db, get_row, utcnow
from lms.errors import DomainError
from lms.evaluation.models import Observation, ObservationPlan, ObservationStatus
from lms.evaluation.scorecard import RATINGS, criteria_of, score_scorecard
from lms.timeutil import local_today, to_local

MAX_NOTES = 4000
MAX_TASKS = 200  # the task list shows the soonest due; the rest follow as these are done


def _observer_for(rule: str, learner: User, trainer_id: int | None) -> int | None:
    """Who observes by the plan's rule: the trainer of the run, the learner's team manager, or nobody yet
    (the shared queue every trainer and manager sees, as quality monitors work)."""
    if rule == "trainer":
        return trainer_id
    if rule == "manager" and learner.team_id is not None:
        return db.session.scalar(select(team_managers.c.user_id).where(team_managers.c.team_id == learner.team_id)
                                 .order_by(team_managers.c.user_id).limit(1))
    return None


def schedule_observations(source_kind: str, source_key: str, learner: User, start: date,
                          trainer_id: int | None = None) -> list[Observation]:
    """Schedule the observations of every plan for this course or programme, from ``start``; a learner
    already scheduled for a plan's day after the same course or programme is not scheduled twice."""
    made = []
    plans = db.session.scalars(select(ObservationPlan).where(
        ObservationPlan.source_kind == source_kind, ObservationPlan.source_key == source_key)
        .order_by(ObservationPlan.slug))
    for plan in plans:
        found = get_scenario(plan.definition["scenario"])
        if found is None:
            continue
        scenario, version = found
        taken = set(db.session.scalars(select(Observation.offset_days).where(
            Observation.learner_id == learner.id, Observation.source_kind == source_kind,
            Observation.source_key == source_key)))
        observer_id = _observer_for(plan.definition["observer"], learner, trainer_id)
        for days in plan.definition["days"]:
            if days in taken:
                continue
            observation = Observation(learner_id=learner.id, observer_id=observer_id, scenario_id=scenario.id,
                                      scenario_version_id=version.id, source_kind=source_kind,
                                      source_key=source_key, offset_days=days, due_on=start + timedelta(days=days))
            db.session.add(observation)
            made.append(observation)
    db.session.flush()
    return made


def _local_date(moment: datetime | None) -> date:
    return to_local(moment).date() if moment is not None else local_today()


def on_course_completed(enrolment, **_extra) -> None:
    from lms.evaluation.surveys import trainer_of

    schedule_observations("course", enrolment.course.code, enrolment.user, _local_date(enrolment.completed_at),
                          trainer_of(enrolment))


def on_certificate_issued(certificate, **_extra) -> None:
    from lms.certification.models import Programme

    programme = db.session.get(Programme, certificate.programme_id)
    schedule_observations("certification", programme.slug, db.session.get(User, certificate.user_id),
                          _local_date(certificate.issued_at), certificate.issued_by_id)


# ---------------------------------------------------------------- who may observe whom


def observable_filter(user: User, learner_column=Observation.learner_id):
    """A condition on a learner id column: the learners this person may observe (a trainer: anyone;
    a manager: the members of their teams)."""
    if user.has_role(Role.TRAINER):
        return learner_column.is_not(None)
    managed = select(User.id).join(Team, Team.id == User.team_id).join(
        team_managers, team_managers.c.team_id == Team.id).where(team_managers.c.user_id == user.id)
    return learner_column.in_(managed)


def may_observe(user: User, learner: User) -> bool:
    if user.id == learner.id:
        return False
    if user.has_role(Role.TRAINER):
        return True
    return user.has_role(Role.MANAGER) and learner.team_id is not None and any(
        t.id == learner.team_id for t in user.managed_teams)


# ---------------------------------------------------------------- the observer's tasks


@dataclass
class Task:
    observation: Observation
    learner_name: str
    learner_no: str
    scenario_title: str
    mine: bool
    overdue: bool
    source_title: str = ""  # the course's code and title, or the programme's title


def observer_tasks(user: User, today: date | None = None) -> list[Task]:
    """The scheduled observations assigned to this person, and the unassigned ones of learners they may
    observe, soonest due first."""
    today = today or local_today()
    learner = aliased(User)
    rows = db.session.execute(
        select(Observation, learner.name, learner.employee_no, ScenarioVersion.title)
        .join(learner, learner.id == Observation.learner_id)
        .join(ScenarioVersion, ScenarioVersion.id == Observation.scenario_version_id)
        .where(Observation.status == ObservationStatus.SCHEDULED,
               or_(Observation.observer_id == user.id, Observation.observer_id.is_(None) & observable_filter(user)))
        .order_by(Observation.due_on, Observation.id).limit(MAX_TASKS)).all()
    titles = source_titles({(o.source_kind, o.source_key) for o, *_rest in rows})
    return [Task(o, name, no, title, o.observer_id == user.id, o.due_on < today,
                 titles.get((o.source_kind, o.source_key), "")) for o, name, no, title in rows]


def source_titles(sources: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """What a person reads for each (source kind, key): a course's code and title, a programme's title."""
    from lms.certification.models import Programme
    from lms.courses.models import Course, CourseVersion

    codes = {key for kind, key in sources if kind == "course"}
    slugs = {key for kind, key in sources if kind == "certification"}
    titles = {}
    if codes:
        titles |= {("course", code): f"{code} {title}" for code, title in db.session.execute(
            select(Course.code, CourseVersion.title).join(CourseVersion, CourseVersion.id == Course.published_version_id)
            .where(Course.code.in_(codes)))}
    if slugs:
        titles |= {("certification", slug): title for slug, title in db.session.execute(
            select(Programme.slug, Programme.title).where(Programme.slug.in_(slugs)))}
    return titles


def observer_task_count(user: User) -> int:
    """How many observations are assigned to this person and still to do (the home page's count)."""
    return db.session.scalar(select(func.count()).select_from(Observation).where(
        Observation.observer_id == user.id, Observation.status == ObservationStatus.SCHEDULED))


def load_task(observation_id: int, user: User, lock: bool = False) -> Observation:
    """A scheduled observation this person may fill in: theirs, or unassigned for a learner they may observe."""
    observation = get_row(Observation, observation_id, lock=lock)
    if observation.observer_id not in (None, user.id) or not may_observe(user, observation.learner):
        raise RowNotFound(f"observation {observation_id} is not this observer's")
    return observation


def take_task(observation_id: int, user: User) -> Observation:
    observation = load_task(observation_id, user, lock=True)
    if observation.status != ObservationStatus.SCHEDULED:
        raise DomainError(_("This observation is no longer open."))
    observation.observer_id = user.id
    db.session.flush()
    return observation


def rubric_of(observation: Observation):
    version = db.session.get(ScenarioVersion, observation.scenario_version_id)
    return version, criteria_of(version.definition)


def submit_scorecard(observation_id: int, user: User, ratings: dict, call_reference: str, observed_on: date | None,
                     notes: str, now: datetime | None = None) -> Observation:
    """Record the observer's scorecard of one real call, criterion by criterion (once)."""
    observation = load_task(observation_id, user, lock=True)
    if observation.status != ObservationStatus.SCHEDULED:
        raise DomainError(_("This observation has already been recorded."))
    _version, criteria = rubric_of(observation)
    kept = {c.id: ratings.get(c.id) or "" for c in criteria}
    if any(value not in (*RATINGS, "") for value in kept.values()):
        raise DomainError(_("Choose one of the ratings given."))
    result = score_scorecard(criteria, kept)
    if result.percent is None:
        raise DomainError(_("Rate at least one criterion."), field=f"c_{criteria[0].id}" if criteria else None)
    if not (call_reference or "").strip():
        raise DomainError(_("Give the call's recording or ticket number."), field="call_reference")
    if observed_on is None or observed_on > local_today():
        raise DomainError(_("Give the day of the call (not in the future)."), field="observed_on")
    observation.observer_id = user.id
    observation.ratings, observation.percent = kept, result.percent
    observation.call_reference, observation.observed_on = call_reference.strip()[:100], observed_on
    observation.notes = (notes or "").strip()[:MAX_NOTES]
    observation.status, observation.submitted_at = ObservationStatus.DONE, now or utcnow()
    db.session.flush()
    record_event("observation.recorded", "observation", observation.id,
                 summary=f"{observation.learner.employee_no} +{observation.offset_days}d: {result.percent}",
                 after={"percent": result.percent, "critical_failed": list(result.critical_failed)}, actor=user)
    return observation


def scenario_of(observation: Observation) -> Scenario:
    return db.session.get(Scenario, observation.scenario_id)
