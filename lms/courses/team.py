"""Managers' view of their teams: each member's enrolments, progress and overdue courses."""

from dataclasses import dataclass, field

from sqlalchemy import func, select

from lms.accounts.models import Role, Team, User
from lms.courses.models import LessonProgress, LessonVersion
from lms.courses.progress import MyCourse, by_due_date, enrolments_with_versions, lesson_counts
from lms.db import RowNotFound, db
from lms.generations import RESULTS, cached
from lms.timeutil import local_today


@dataclass
class MemberProgress:
    user: User
    courses: list[MyCourse] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for c in self.courses if c.overdue)

    @property
    def completed(self) -> int:
        return sum(1 for c in self.courses if c.enrolment.completed_at)


def _completed_by_member(member_ids: list[int], version_ids: list[int]) -> dict[tuple[int, int], int]:
    """Lessons each member read in each version: {(user id, version id): count}."""
    if not version_ids:
        return {}
    rows = db.session.execute(
        select(LessonProgress.user_id, LessonVersion.course_version_id, func.count())
        .join(LessonVersion, LessonVersion.lesson_id == LessonProgress.lesson_id)
        .where(LessonProgress.user_id.in_(member_ids), LessonVersion.course_version_id.in_(version_ids),
               LessonProgress.completed_at.is_not(None))
        .group_by(LessonProgress.user_id, LessonVersion.course_version_id)).all()
    return {(u, v): n for u, v, n in rows}


def team_progress(team: Team) -> list[MemberProgress]:
    """Each active member of a team with their enrolments and progress, in a fixed number of queries."""
    members = list(db.session.scalars(select(User).where(User.team_id == team.id, User.is_active.is_(True))
                                      .order_by(User.employee_no)))
    return members_progress(members)


def members_progress(members: list[User]) -> list[MemberProgress]:
    """These people's enrolments with progress, soonest due first (the team page, a person's record on the
    readiness board), in a fixed number of queries."""
    rows = enrolments_with_versions([m.id for m in members])
    version_ids = list({v.id for _e, v in rows})
    counts = lesson_counts(version_ids)
    done = _completed_by_member([m.id for m in members], version_ids)
    today = local_today()
    by_user = {m.id: MemberProgress(m) for m in members}
    for enrolment, version in rows:
        by_user[enrolment.user_id].courses.append(MyCourse(
            enrolment, version, counts.get(version.id, 0), done.get((enrolment.user_id, version.id), 0),
            enrolment.is_overdue(today)))
    for member in by_user.values():
        member.courses.sort(key=by_due_date)
    return list(by_user.values())


def _sees_every_team(user: User) -> bool:
    return user.has_role(Role.ADMIN, Role.TRAINER)


def managed_teams(user: User) -> list[Team]:
    """The teams whose progress the user may see: their own, or every team for trainers and admins."""
    if _sees_every_team(user):
        return list(db.session.scalars(select(Team).order_by(Team.name)))
    return sorted(user.managed_teams, key=lambda t: t.name)


def managed_team_names(user: User) -> list[tuple[int, str]]:
    """(id, name) of the same teams, read as plain pairs: two thousand team objects cost an administrator's
    page 30 ms at 100,000 learners. Every team's pairs are kept while no data changes (lms/generations.py):
    at 4,000 teams reading them was a third of the administrator's readiness board."""
    if _sees_every_team(user):
        return cached(RESULTS, ("every team's name",), lambda: [
            (i, name) for i, name in db.session.execute(select(Team.id, Team.name).order_by(Team.name))])
    return [(t.id, t.name) for t in managed_teams(user)]


@dataclass
class TeamPage:
    teams: list[Team]
    team: Team | None  # the team shown: the one asked for, else the first
    members: list[MemberProgress]

    @property
    def overdue(self) -> int:
        return sum(m.overdue for m in self.members)


def team_page(user: User, team_id: int | None) -> TeamPage:
    """The progress of one of the user's teams; RowNotFound (404) for a team they do not see."""
    teams = managed_teams(user)
    selected = next((t for t in teams if t.id == team_id), teams[0] if teams else None)
    if team_id and (selected is None or selected.id != team_id):
        raise RowNotFound(f"no team {team_id} managed by {user.id}")
    return TeamPage(teams, selected, team_progress(selected) if selected else [])
