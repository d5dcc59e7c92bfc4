"""Trainers' and managers' to-do sources: answers and typed replies to grade, service cases to review,
applications to decide, observed calls due; the members of a manager's teams who are overdue, and their certificates expiring."""

from datetime import timedelta

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import aliased

from lms.accounts.models import Role, User, team_managers
from lms.calls.models import CallAttempt, CallTurn, ScenarioVersion
from lms.cases.models import Case, CaseStatus
from lms.certification.models import OPEN_STATUSES, Application, Certificate, Programme
from lms.courses.models import Enrolment
from lms.db import db
from lms.evaluation.models import Observation, ObservationStatus
from lms.evaluation.observations import observable_filter
from lms.exams.models import Attempt, AttemptQuestion, AttemptStatus, ExamVersion
from lms.notifications import labels
from lms.notifications.todo import ITEM_LIMIT, Moment, TodoItem, TodoSource, register_source
from lms.timeutil import local_date
from lms.urls import path_for

TRAINERS = frozenset({Role.TRAINER})
MANAGERS = frozenset({Role.MANAGER})
REVIEWERS = frozenset({Role.TRAINER, Role.MANAGER})
OBSERVATION_DAYS = 7  # observed calls due within this many days (or overdue)
EXPIRING_DAYS = 60


def _count(*where, what=None):
    return select(func.count(what) if what is not None else func.count()).where(*where)


def _managed_team_ids(user: User):
    return select(team_managers.c.team_id).where(team_managers.c.user_id == user.id)


# ---------------------------------------------------------------- answers to grade


_UNGRADED = (Attempt.status == AttemptStatus.NEEDS_GRADING, AttemptQuestion.score.is_(None))


def essay_items(_user: User, _moment: Moment) -> list[TodoItem]:
    rows = db.session.execute(
        select(AttemptQuestion.attempt_id, Attempt.submitted_at, ExamVersion.title, User.name)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id).join(ExamVersion, ExamVersion.id == Attempt.exam_version_id)
        .join(User, User.id == Attempt.user_id).where(*_UNGRADED).order_by(Attempt.submitted_at, AttemptQuestion.position)
        .limit(ITEM_LIMIT)).all()
    return [TodoItem("answers_to_grade", title, path_for("exams_admin.attempt", attempt_id=attempt_id), detail=name,
                     since=submitted) for attempt_id, submitted, title, name in rows]


register_source(TodoSource(
    "answers_to_grade", labels.TODO_LABELS["answers_to_grade"], queue_endpoint="exams_admin.grading",
    roles=TRAINERS, order=20, items=essay_items,
    count_query=lambda _u, _m: _count(*_UNGRADED).select_from(AttemptQuestion)
    .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)))


# ---------------------------------------------------------------- typed call replies to review


def reply_items(_user: User, _moment: Moment) -> list[TodoItem]:
    rows = db.session.execute(
        select(CallTurn.created_at, ScenarioVersion.title, User.name).join(CallAttempt, CallAttempt.id == CallTurn.attempt_id)
        .join(ScenarioVersion, ScenarioVersion.id == CallAttempt.version_id).join(User, User.id == CallAttempt.user_id)
        .where(CallTurn.needs_review.is_(True)).order_by(CallTurn.created_at).limit(ITEM_LIMIT)).all()
    return [TodoItem("replies_to_review", title, path_for("calls_admin.reviews"), detail=name, since=created)
            for created, title, name in rows]


register_source(TodoSource(
    "replies_to_review", labels.TODO_LABELS["replies_to_review"], queue_endpoint="calls_admin.reviews",
    roles=TRAINERS, order=21, items=reply_items,
    count_query=lambda _u, _m: _count(CallTurn.needs_review.is_(True)).select_from(CallTurn)))


# ---------------------------------------------------------------- service cases to review


def _cases_waiting(user: User):
    return Case.status == CaseStatus.SUBMITTED, or_(Case.author_id.is_(None), Case.author_id != user.id)


def case_items(user: User, _moment: Moment) -> list[TodoItem]:
    rows = db.session.execute(
        select(Case.id, Case.title, Case.submitted_at, User.name).outerjoin(User, User.id == Case.author_id)
        .where(*_cases_waiting(user)).order_by(Case.submitted_at, Case.id).limit(ITEM_LIMIT)).all()
    return [TodoItem("cases_to_review", title, path_for("cases_admin.review_case", case_id=case_id),
                     detail=name or "", since=submitted) for case_id, title, submitted, name in rows]


register_source(TodoSource(
    "cases_to_review", labels.TODO_LABELS["cases_to_review"], queue_endpoint="cases_admin.queue",
    roles=TRAINERS, order=24, items=case_items,
    count_query=lambda user, _m: _count(*_cases_waiting(user)).select_from(Case)))


# ---------------------------------------------------------------- applications to decide


def _reviewable(user: User):
    conditions = [Application.status.in_(OPEN_STATUSES), User.id != user.id]
    if not user.has_role(Role.TRAINER, Role.ADMIN):
        conditions.append(User.team_id.in_(_managed_team_ids(user)))
    return conditions


def application_items(user: User, _moment: Moment) -> list[TodoItem]:
    rows = db.session.execute(
        select(Application.id, Application.applied_at, Programme.title, User.name)
        .join(User, User.id == Application.user_id).join(Programme, Programme.id == Application.programme_id)
        .where(*_reviewable(user)).order_by(Application.applied_at).limit(ITEM_LIMIT)).all()
    return [TodoItem("applications_to_review", title, path_for("certification.application", application_id=app_id),
                     detail=name, since=applied) for app_id, applied, title, name in rows]


register_source(TodoSource(
    "applications_to_review", labels.TODO_LABELS["applications_to_review"], queue_endpoint="certification.reviews",
    roles=REVIEWERS, order=22,
    items=application_items,
    count_query=lambda user, _m: _count(*_reviewable(user)).select_from(Application)
    .join(User, User.id == Application.user_id)))


# ---------------------------------------------------------------- observed calls due


def _observations_due(user: User, moment: Moment):
    return (Observation.status == ObservationStatus.SCHEDULED,
            Observation.due_on <= moment.today + timedelta(days=OBSERVATION_DAYS),
            or_(Observation.observer_id == user.id, Observation.observer_id.is_(None) & observable_filter(user)))


def observation_items(user: User, moment: Moment) -> list[TodoItem]:
    learner = aliased(User)
    rows = db.session.execute(
        select(Observation, ScenarioVersion.title, learner.name).join(learner, learner.id == Observation.learner_id)
        .join(ScenarioVersion, ScenarioVersion.id == Observation.scenario_version_id)
        .where(*_observations_due(user, moment)).order_by(Observation.due_on, Observation.id).limit(ITEM_LIMIT)).all()
    return [TodoItem("observations_due", title, path_for("evaluation_admin.tasks"), detail=name, due=o.due_on,
                     since=o.created_at, overdue=o.due_on < moment.today) for o, title, name in rows]


register_source(TodoSource(
    "observations_due", labels.TODO_LABELS["observations_due"], queue_endpoint="evaluation_admin.tasks",
    roles=REVIEWERS, order=23, items=observation_items,
    count_query=lambda user, m: _count(*_observations_due(user, m)).select_from(Observation)))


# ---------------------------------------------------------------- a manager's teams


def _team_overdue(user: User, moment: Moment):
    return (User.team_id.in_(_managed_team_ids(user)), User.is_active.is_(True), Enrolment.completed_at.is_(None),
            Enrolment.due_date < moment.today)


def overdue_people(user: User, moment: Moment) -> list[TodoItem]:
    from lms.notifications.labels import overdue_courses_text

    rows = db.session.execute(
        select(User.name, func.count(), func.min(Enrolment.due_date)).join(Enrolment, Enrolment.user_id == User.id)
        .where(*_team_overdue(user, moment)).group_by(User.id, User.name)
        .order_by(func.min(Enrolment.due_date), User.name).limit(ITEM_LIMIT)).all()
    return [TodoItem("team_overdue", name, path_for("board.index", status="overdue", sort="overdue"),
                     detail=overdue_courses_text(n), due=oldest,
                     overdue=True) for name, n, oldest in rows]


register_source(TodoSource(
    "team_overdue", labels.TODO_LABELS["team_overdue"], queue_endpoint="board.index",
    roles=MANAGERS, order=30, items=overdue_people,
    count_query=lambda user, m: _count(*_team_overdue(user, m), what=distinct(User.id)).select_from(User)
    .join(Enrolment, Enrolment.user_id == User.id)))


def _team_expiring(user: User, moment: Moment):
    return (User.team_id.in_(_managed_team_ids(user)), User.is_active.is_(True), Certificate.revoked_at.is_(None),
            Certificate.superseded_by_id.is_(None), Certificate.expires_at > moment.now,
            Certificate.expires_at <= moment.now + timedelta(days=EXPIRING_DAYS))


def expiring_items(user: User, moment: Moment) -> list[TodoItem]:
    rows = db.session.execute(
        select(Certificate.programme_title, Certificate.expires_at, User.name).join(User, User.id == Certificate.user_id)
        .where(*_team_expiring(user, moment)).order_by(Certificate.expires_at).limit(ITEM_LIMIT)).all()
    return [TodoItem("team_expiring", name, path_for("certification.team"), detail=title, due=local_date(expires))
            for title, expires, name in rows]


register_source(TodoSource(
    "team_expiring", labels.TODO_LABELS["team_expiring"], queue_endpoint="certification.team",
    roles=MANAGERS, order=31, items=expiring_items,
    count_query=lambda user, m: _count(*_team_expiring(user, m)).select_from(Certificate)
    .join(User, User.id == Certificate.user_id)))


# ---------------------------------------------------------------- KPI flags not answered yet


def kpi_flag_items(user: User, _moment: Moment) -> list[TodoItem]:
    """The agents of the manager's teams with a KPI on the wrong side of its threshold (the latest period)
    and no course assigned in answer yet, each with those KPIs."""
    from lms.kpi.flag_query import members_of
    from lms.kpi.flags import unanswered_kpi_flags

    people = dict(db.session.execute(select(User.id, User.name).where(
        User.id.in_(members_of(_managed_team_ids(user))))).all())
    flags = unanswered_kpi_flags(list(people))
    rows = sorted(flags.items(), key=lambda pair: (people[pair[0]], pair[0]))[:ITEM_LIMIT]
    return [TodoItem("team_kpi_flags", people[user_id], path_for("kpi.flags"),
                     detail=labels.kpi_flags_text([(f.kpi_name, f.value_text, f.threshold_text) for f in user_flags]))
            for user_id, user_flags in rows]


def _count_kpi_flags(user: User, _moment: Moment):
    from lms.kpi.flag_query import count_flagged_agents

    return count_flagged_agents(_managed_team_ids(user))


register_source(TodoSource(
    "team_kpi_flags", labels.TODO_LABELS["team_kpi_flags"], queue_endpoint="kpi.flags",
    roles=MANAGERS, order=32, items=kpi_flag_items, count_query=_count_kpi_flags))
