"""The case library: published cases by channel, standard item and training tier; one case's page with the
items it cites; and the cases' entries in the search index shared with the standards and courses."""

from dataclasses import dataclass

from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role, User
from lms.calls.channels import CHANNELS
from lms.cases.models import Case, CaseStatus, case_items
from lms.courses.models import Tier
from lms.db import RowNotFound, db, get_row
from lms.search.services import IndexEntry, index_documents
from lms.standards.models import StandardItem

SEARCH_KIND = "case"
PER_PAGE = 20


def search_entry(case: Case) -> IndexEntry:
    return IndexEntry(SEARCH_KIND, str(case.id), case.title,
                      "\n".join((case.situation, case.actions, case.outcome, case.lessons)))


def index_cases(cases: list[Case]) -> None:
    """Add published cases to the search index (or bring their entries up to date)."""
    index_documents([search_entry(c) for c in cases if c.status == CaseStatus.PUBLISHED])


@dataclass(frozen=True)
class LibraryFilter:
    channel: str = ""
    tier: str = ""
    item: str = ""
    page: int = 1

    def cleaned(self) -> "LibraryFilter":
        return LibraryFilter(self.channel if self.channel in CHANNELS else "",
                             self.tier if self.tier in set(Tier) else "", self.item[:24], max(1, self.page))


def library_page(chosen: LibraryFilter):
    """One page of published cases matching the filter, newest first, with their items."""
    chosen = chosen.cleaned()
    stmt = select(Case).where(Case.status == CaseStatus.PUBLISHED)
    if chosen.channel:
        stmt = stmt.where(Case.channel == chosen.channel)
    if chosen.tier:
        stmt = stmt.where(Case.tier == Tier(chosen.tier))
    if chosen.item:
        stmt = stmt.where(Case.id.in_(select(case_items.c.case_id).join(
            StandardItem, StandardItem.id == case_items.c.item_id).where(StandardItem.code == chosen.item)))
    stmt = stmt.options(selectinload(Case.items)).order_by(Case.published_at.desc(), Case.id.desc())
    return db.paginate(stmt, page=chosen.page, per_page=PER_PAGE, error_out=False)


def cited_items() -> list[StandardItem]:
    """The standard items published cases illustrate (the library's item filter)."""
    return list(db.session.scalars(select(StandardItem).where(StandardItem.id.in_(
        select(case_items.c.item_id).join(Case, Case.id == case_items.c.case_id)
        .where(Case.status == CaseStatus.PUBLISHED))).order_by(StandardItem.code)))


def may_read(case: Case, user: User) -> bool:
    """Published cases are for everyone signed in; the others for their author and the trainers."""
    return case.status == CaseStatus.PUBLISHED or case.author_id == user.id or user.has_role(Role.TRAINER, Role.ADMIN)


def readable_case(case_id: int, user: User | None = None) -> Case:
    """The case, if the user may read it; RowNotFound (a 404) otherwise, so that drafts stay unseen."""
    case = get_row(Case, case_id, options=(selectinload(Case.items), selectinload(Case.author)))
    if not may_read(case, user or current_user):
        raise RowNotFound(f"case {case_id} is not readable")
    return case
