"""Survey results (level 1) for staff: the invitations of a scope (course, trainer, cohort, period, and a
manager's own teams), summarised per survey and broken down by course, trainer or cohort, with every
group under the minimum size hidden. Reads only."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import aliased

from lms.accounts.models import Role, Team, User, team_managers
from lms.courses.models import Course
from lms.db import db
from lms.evaluation.models import Survey, SurveyInvitation, SurveyVersion
from lms.evaluation.survey_stats import SurveyAggregate, aggregate
from lms.evaluation.surveys import minimum_group
from lms.timeutil import local_zone

BREAKDOWNS = ("course", "trainer", "cohort")


@dataclass(frozen=True)
class ResultFilter:
    course: str = ""  # course code
    courses: tuple[str, ...] | None = None  # several course codes (a programme's); None: not restricted
    trainer_id: int | None = None
    cohort: str = ""  # "2026-11"
    start: date | None = None
    end: date | None = None
    team_ids: tuple[int, ...] | None = None  # None: every team (a trainer); a manager: their teams
    by: str = "course"


@dataclass
class SurveyResult:
    slug: str
    title: str
    items: list[dict]
    total: SurveyAggregate
    groups: list[tuple[str, SurveyAggregate]] = field(default_factory=list)


def _bounds(day: date | None, end: bool) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1) if end else day, time.min, tzinfo=local_zone())


def invitations_in(scope: ResultFilter) -> list:
    """The invitations in scope as plain rows (context_key, cohort, responded_at, answers, slug, trainer_name):
    only the columns the figures need, so a centre-wide report stays light."""
    trainer = aliased(User)
    stmt = (select(SurveyInvitation.context_key, SurveyInvitation.cohort, SurveyInvitation.responded_at,
                   SurveyInvitation.answers, Survey.slug.label("slug"), trainer.name.label("trainer_name"))
            .join(SurveyVersion, SurveyVersion.id == SurveyInvitation.survey_version_id)
            .join(Survey, Survey.id == SurveyVersion.survey_id)
            .outerjoin(trainer, trainer.id == SurveyInvitation.trainer_id)
            .order_by(SurveyInvitation.id))
    if scope.course:
        stmt = stmt.where(SurveyInvitation.context_key == scope.course)
    if scope.courses is not None:
        stmt = stmt.where(SurveyInvitation.context_key.in_(scope.courses))
    if scope.trainer_id:
        stmt = stmt.where(SurveyInvitation.trainer_id == scope.trainer_id)
    if scope.cohort:
        stmt = stmt.where(SurveyInvitation.cohort == scope.cohort)
    if scope.start:
        stmt = stmt.where(SurveyInvitation.offered_at >= _bounds(scope.start, end=False))
    if scope.end:
        stmt = stmt.where(SurveyInvitation.offered_at < _bounds(scope.end, end=True))
    if scope.team_ids is not None:
        members = select(User.id).where(User.team_id.in_(scope.team_ids))
        stmt = stmt.where(SurveyInvitation.user_id.in_(members))
    return list(db.session.execute(stmt).all())


def _items_by_survey() -> dict[str, tuple[str, list[dict]]]:
    """Each survey's title and items as its current version words them (older items kept after)."""
    out: dict[str, tuple[str, list[dict]]] = {}
    rows = db.session.execute(select(Survey.slug, Survey.current_version_id, SurveyVersion)
                              .join(SurveyVersion, SurveyVersion.survey_id == Survey.id)
                              .order_by(Survey.slug, SurveyVersion.number.desc())).all()
    for slug, current_id, version in rows:
        title, items = out.get(slug, (version.title, []))
        known = {i["id"] for i in items}
        out[slug] = (title if slug in out or version.id != current_id else version.title,
                     items + [i for i in version.items if i["id"] not in known])
    return out


def _group_key(row, by: str) -> str:
    if by == "trainer":
        return row.trainer_name or ""
    if by == "cohort":
        return row.cohort
    return row.context_key


def survey_results(scope: ResultFilter, minimum: int | None = None) -> list[SurveyResult]:
    minimum = minimum_group() if minimum is None else minimum
    rows = invitations_in(scope)
    catalogue = _items_by_survey()
    results = []
    for slug in sorted({row.slug for row in rows}):
        title, items = catalogue[slug]
        mine = [row for row in rows if row.slug == slug]
        result = SurveyResult(slug, title, items, _aggregate(items, mine, minimum))
        groups: dict[str, list] = {}
        for row in mine:
            groups.setdefault(_group_key(row, scope.by), []).append(row)
        result.groups = [(key, _aggregate(items, invs, minimum)) for key, invs in sorted(groups.items())]
        results.append(result)
    return results


def _aggregate(items: list[dict], invitations: list, minimum: int) -> SurveyAggregate:
    answers = [row.answers or {} for row in invitations if row.responded_at is not None]
    return aggregate(items, answers, len(invitations), minimum)


def managed_team_ids(user: User) -> tuple[int, ...] | None:
    """None for a trainer (every course's results); a manager's own teams otherwise."""
    if user.has_role(Role.TRAINER):
        return None
    return tuple(db.session.scalars(select(Team.id).join(team_managers, team_managers.c.team_id == Team.id)
                                    .where(team_managers.c.user_id == user.id)))


def filter_choices() -> dict:
    """What the filter form offers: the courses, trainers and cohorts that have invitations."""
    from lms.courses.models import CourseVersion

    courses = db.session.execute(select(Course.code, CourseVersion.title).join(
        CourseVersion, CourseVersion.id == Course.published_version_id).where(
        Course.code.in_(select(SurveyInvitation.context_key))).order_by(Course.code)).all()
    trainers = db.session.execute(select(User.id, User.name).where(
        User.id.in_(select(SurveyInvitation.trainer_id))).order_by(User.name)).all()
    cohorts = db.session.scalars(select(SurveyInvitation.cohort).distinct().order_by(SurveyInvitation.cohort.desc()))
    return {"courses": [(c, f"{c} {t}") for c, t in courses], "trainers": [(i, n) for i, n in trainers],
            "cohorts": [c for c in cohorts if c]}
