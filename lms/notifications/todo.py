"""The to-do registry: each source of work (a course due, an essay to grade, …) is one small object registered
here; the to-do page, the header's count and the home pages all ask the same sources.

A source owns its roles, its label, how it finds a person's items (one or two bounded queries), and how it
counts them: ``count_query`` (a scalar SELECT, so that every such source's count runs in ONE statement for the
header) or, when its rule needs Python (the exam review policy, exam windows), its items' length.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask import g, has_request_context
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.db import db, utcnow
from lms.generations import cached_results
from lms.timeutil import local_today

ITEM_LIMIT = 50  # items listed per source; the count stays exact


@dataclass(frozen=True)
class Moment:
    """The one 'now' and 'today' of a to-do computation."""

    now: datetime
    today: date

    @classmethod
    def current(cls) -> "Moment":
        return cls(utcnow(), local_today())


@dataclass
class TodoItem:
    """One thing to do, ready to show: what it is, where to do it, how long it has waited."""

    kind: str  # the source's key
    title: str  # in the reader's language
    url: str
    detail: str = ""  # a second line: whose, which course
    due: date | None = None
    since: datetime | None = None  # when it started waiting (the age)
    overdue: bool = False
    age: int | None = None  # days waited, set by todo_groups

    def age_days(self, now: datetime) -> int | None:
        return None if self.since is None else max(0, (now - self.since).days)

    @property
    def age_label(self) -> str:
        from lms.notifications.labels import age_text

        return age_text(self.age)


@dataclass
class TodoSource:
    """A kind of work. ``items(user, moment)`` returns TodoItems; ``count_query(user, moment)`` a scalar
    SELECT counting the same rows (None: count the items)."""

    key: str
    label: object  # lazy string: the group's heading
    roles: frozenset
    items: object  # callable(user, moment) -> list[TodoItem]
    count_query: object = None  # callable(user, moment) -> Select | None
    order: int = 100
    queue_endpoint: str | None = None  # the page where the whole queue is worked (the trainer's home links it)

    def applies_to(self, user: User) -> bool:
        return user.has_role(*self.roles)


TODO_SOURCES: dict[str, TodoSource] = {}


def register_source(source: TodoSource) -> TodoSource:
    """Add a kind of work to every person's to-do list (the roles it names)."""
    TODO_SOURCES[source.key] = source
    return source


def _load_sources() -> None:
    # The built-in sources register themselves on import.
    from lms.classroom import todo as classroom_todo  # noqa: F401
    from lms.competitions import todo as competitions_todo  # noqa: F401
    from lms.mentoring import todo as mentoring_todo  # noqa: F401
    from lms.notifications import todo_learner, todo_staff  # noqa: F401


def sources_for(user: User) -> list[TodoSource]:
    _load_sources()
    return sorted((s for s in TODO_SOURCES.values() if s.applies_to(user)), key=lambda s: (s.order, s.key))


@dataclass
class TodoGroup:
    source: TodoSource
    items: list[TodoItem]
    count: int  # exact, also beyond the items listed

    @property
    def key(self) -> str:
        return self.source.key

    @property
    def label(self) -> str:
        return str(self.source.label)

    @property
    def oldest_age(self) -> int | None:
        ages = [i.age for i in self.items if i.age is not None]
        return max(ages) if ages else None

    @property
    def oldest_label(self) -> str:
        from lms.notifications.labels import age_text

        return age_text(self.oldest_age)


def todo_groups(user: User, moment: Moment | None = None, keep_empty: bool = False) -> list[TodoGroup]:
    """Every source of this person's work with its items (empty groups left out unless ``keep_empty``), in
    the registry's order. The total is kept for the request, so that the header then costs nothing. A page's
    list (no ``moment`` given) is kept per person while no result changes (lms/generations.py)."""
    if moment is None and has_request_context():
        groups = cached_results(("to-do", user.id, keep_empty), lambda: _groups(user, Moment.current(), keep_empty),
                                store="personal")
    else:
        groups = _groups(user, moment or Moment.current(), keep_empty)
    _remember_count(user, sum(g.count for g in groups))
    return groups


def _groups(user: User, moment: Moment, keep_empty: bool) -> list[TodoGroup]:
    counts = _sql_counts(user, moment)
    groups = []
    for source in sources_for(user):
        items = source.items(user, moment)
        for item in items:
            item.age = item.age_days(moment.now)
        count = counts.get(source.key, len(items))
        if count or keep_empty:
            groups.append(TodoGroup(source, items, count))
    return groups


def _remember_count(user: User, total: int) -> None:
    if has_request_context():
        g.setdefault("_todo_counts", {})[user.id] = total


def _sql_counts(user: User, moment: Moment) -> dict[str, int]:
    """The counts of every source that has a count query, in one statement."""
    queries = {s.key: s.count_query(user, moment) for s in sources_for(user) if s.count_query is not None}
    queries = {k: q for k, q in queries.items() if q is not None}
    if not queries:
        return {}
    row = db.session.execute(select(*[q.scalar_subquery().label(k) for k, q in queries.items()])).one()
    return {k: int(v or 0) for k, v in row._mapping.items()}


def todo_count(user: User) -> int:
    """How many things wait for this person (the header's figure): one statement for the sources that count
    in SQL, plus one per source that counts its items; computed once per request."""
    if has_request_context() and user.id in g.get("_todo_counts", {}):
        return g._todo_counts[user.id]

    def count() -> int:
        moment = Moment.current()
        counts = _sql_counts(user, moment)
        return sum(counts.values()) + sum(len(s.items(user, moment)) for s in sources_for(user)
                                          if s.key not in counts)

    # Every source reads results (lms/generations.py), so the count is kept per person until one changes.
    total = cached_results(("to-do count", user.id), count, store="personal") if has_request_context() else count()
    _remember_count(user, total)
    return total


ALL_STAFF = frozenset({Role.TRAINER, Role.MANAGER})
