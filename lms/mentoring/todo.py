"""The mentor's check-ins on the to-do list: those due within a week, and the overdue ones. A mentor may hold
any role (often only the learner's), so the source applies to everyone and finds nothing for non-mentors."""

from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import func, select

from lms.accounts.models import Role, User
from lms.db import db
from lms.mentoring.labels import TODO_LABEL
from lms.mentoring.models import CheckIn, Mentorship
from lms.notifications.todo import ITEM_LIMIT, Moment, TodoItem, TodoSource, register_source
from lms.urls import path_for

NOTICE_DAYS = 7  # a check-in shows this many days before it is due
EVERYONE = frozenset(Role)


def _due(user: User, moment: Moment):
    return (CheckIn.done_at.is_(None), CheckIn.due_on <= moment.today + timedelta(days=NOTICE_DAYS),
            Mentorship.id == CheckIn.mentorship_id, Mentorship.mentor_id == user.id,
            Mentorship.completed_at.is_(None))


def check_in_items(user: User, moment: Moment) -> list[TodoItem]:
    rows = db.session.execute(
        select(CheckIn.day, CheckIn.due_on, Mentorship.id, User.name).join(User, User.id == Mentorship.mentee_id)
        .where(*_due(user, moment)).order_by(CheckIn.due_on, CheckIn.id).limit(ITEM_LIMIT)).all()
    return [TodoItem("mentoring_check_ins", gettext("Day %(day)d check-in with %(name)s", day=day, name=name),
                     path_for("mentoring.mentorship", mentorship_id=mentorship_id) + "#check-ins",
                     detail=name, due=due_on, overdue=due_on < moment.today)
            for day, due_on, mentorship_id, name in rows]


register_source(TodoSource(
    "mentoring_check_ins", TODO_LABEL, roles=EVERYONE, order=40, items=check_in_items,
    count_query=lambda user, moment: select(func.count()).select_from(CheckIn).where(*_due(user, moment))))
