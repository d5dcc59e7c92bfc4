"""The notification registry: each kind of event (a course assigned, an application decided, …) owns its
group (for preferences), its words (subject and body, English msgids written in the recipient's language at
sending), how the daily command finds its due events, and — for events raised in a request — how to find them
again from the ids the request passed on."""

from dataclasses import dataclass, field
from datetime import datetime

from lms.accounts.models import User


@dataclass
class Event:
    """One message to one person. ``subject_key`` names what it is about; with the kind and the recipient it
    is the once-only key."""

    kind: str
    recipient: User
    subject_key: str
    values: dict  # JSON-able values the subject and body are written from (names, titles, dates, "link")


@dataclass
class NotificationKind:
    key: str
    group: str  # a key of labels.GROUP_LABELS
    subject: object  # lazy msgid with %(…)s of the values
    body: object  # lazy msgid with %(…)s of the values
    find: object = None  # callable(now) -> list[Event]: the due events for `flask lms notify`
    for_ids: object = None  # callable(ids, now) -> list[Event]: events a request raised
    run: object = None  # callable(now) -> int: a kind that finds, sends and records by itself (reminder rungs)
    # callable(values) -> dict: values written in the recipient's language when the message is (a list's lines)
    words: object = None
    order: int = 100
    extra: dict = field(default_factory=dict)
    # callable(event) -> list of (file name, MIME type, bytes): files the mail carries (a session's .ics)
    attachments: object = None


NOTIFICATION_KINDS: dict[str, NotificationKind] = {}


def register_kind(kind: NotificationKind) -> NotificationKind:
    """Add a kind of notification: the daily command and the preferences page pick it up."""
    NOTIFICATION_KINDS[kind.key] = kind
    return kind


def load_kinds() -> dict[str, NotificationKind]:
    from lms.classroom import notices  # noqa: F401  (registers itself)
    from lms.notifications import kinds_learner, kinds_staff, kinds_team, team_report  # noqa: F401  (they register themselves)

    return NOTIFICATION_KINDS


def mailable(user: User | None) -> bool:
    return user is not None and user.is_active and bool(user.email)


def isoformat(moment: datetime | None) -> str:
    from lms.timeutil import local_date

    return local_date(moment).isoformat() if moment else ""
