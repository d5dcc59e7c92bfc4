"""Each person's choice per group of notifications: at once, in the daily digest, or not by mail; for the
weekly team report, once a week or not at all (off unless asked for)."""

from sqlalchemy import delete, select

from lms.accounts.models import Role, User
from lms.db import db
from lms.notifications.labels import GROUP_LABELS
from lms.notifications.models import Delivery, NotificationPreference

# The groups a person is offered: everyone hears of their own learning; work and team news by role.
GROUP_ROLES = {
    "courses": None,
    "results": None,
    "certificates": None,
    "work": {Role.TRAINER, Role.MANAGER},
    "team": {Role.MANAGER},
    "team_kpi": {Role.MANAGER},
    "team_report": {Role.MANAGER},
}
EVENT_DELIVERIES = (Delivery.IMMEDIATE, Delivery.DIGEST, Delivery.OFF)
# A group that is not about events: what may be chosen, and its default (immediate for the others).
GROUP_DELIVERIES = {"team_report": (Delivery.WEEKLY, Delivery.OFF)}
GROUP_DEFAULTS = {"team_report": Delivery.OFF}


def deliveries_for(group: str) -> tuple[Delivery, ...]:
    """The deliveries a group offers, in the order the page shows them."""
    return GROUP_DELIVERIES.get(group, EVENT_DELIVERIES)


def default_for(group: str) -> Delivery:
    return GROUP_DEFAULTS.get(group, Delivery.IMMEDIATE)


def groups_for(user: User) -> list[str]:
    return [g for g in GROUP_LABELS if GROUP_ROLES[g] is None or user.has_role(*GROUP_ROLES[g])]


def deliveries_of(user_ids: set[int]) -> dict[tuple[int, str], Delivery]:
    """(user id, group) → delivery chosen by the given people (no entry: the group's default)."""
    if not user_ids:
        return {}
    rows = db.session.execute(select(NotificationPreference.user_id, NotificationPreference.group,
                                     NotificationPreference.delivery)
                              .where(NotificationPreference.user_id.in_(user_ids)))
    return {(uid, group): Delivery(delivery) for uid, group, delivery in rows}


def my_deliveries(user: User) -> dict[str, Delivery]:
    """Each of this person's groups with its delivery."""
    chosen = deliveries_of({user.id})
    return {g: chosen.get((user.id, g), default_for(g)) for g in groups_for(user)}


def save_deliveries(user: User, choices: dict[str, str]) -> None:
    """Store this person's choices (groups they are not offered are ignored, and so is a delivery a group
    does not offer: its default stays)."""
    db.session.execute(delete(NotificationPreference).where(NotificationPreference.user_id == user.id))
    for group in groups_for(user):
        delivery = Delivery(choices[group]) if choices.get(group) in deliveries_for(group) else default_for(group)
        if delivery != default_for(group):
            db.session.add(NotificationPreference(user_id=user.id, group=group, delivery=delivery))
    db.session.flush()
