"""A learner's running competitions on their to-do list: those their team takes part in, due on the last day."""

from flask_babel import gettext
from sqlalchemy import func, select

from lms.accounts.models import Role, User
from lms.competitions.labels import TODO_LABEL
from lms.competitions.models import Competition, competition_teams
from lms.db import db
from lms.notifications.todo import ITEM_LIMIT, Moment, TodoItem, TodoSource, register_source
from lms.urls import path_for


def _running(user: User, moment: Moment):
    return (Competition.id.in_(select(competition_teams.c.competition_id)
                               .where(competition_teams.c.team_id == user.team_id)),
            Competition.closed_at.is_(None), Competition.starts_on <= moment.today,
            Competition.ends_on >= moment.today)


def competition_items(user: User, moment: Moment) -> list[TodoItem]:
    if user.team_id is None:
        return []
    rows = db.session.execute(select(Competition.id, Competition.title, Competition.ends_on)
                              .where(*_running(user, moment)).order_by(Competition.ends_on, Competition.id)
                              .limit(ITEM_LIMIT)).all()
    return [TodoItem("competitions", gettext("Take part in %(title)s", title=title),
                     path_for("competitions.leaderboard", competition_id=competition_id), due=ends_on)
            for competition_id, title, ends_on in rows]


def _count(user: User, moment: Moment):
    if user.team_id is None:
        return None
    return select(func.count()).select_from(Competition).where(*_running(user, moment))


register_source(TodoSource("competitions", TODO_LABEL, roles=frozenset({Role.LEARNER}), order=45,
                           items=competition_items, count_query=_count))
