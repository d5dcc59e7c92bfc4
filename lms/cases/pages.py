"""Ready data for the case pages: the choices of the forms, and a case as a page shows it."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.calls.channels import CHANNELS
from lms.cases.authoring import CaseData
from lms.cases.labels import STATUS_LABELS
from lms.cases.models import EDITABLE_BY_AUTHOR, Case, CaseStatus
from lms.courses.labels import TIER_LABELS
from lms.courses.models import Tier
from lms.db import RowNotFound, db, get_row
from lms.standards.models import StandardItem


def channel_choices() -> list[tuple[str, str]]:
    return [(name, str(channel.label)) for name, channel in CHANNELS.items()]


def tier_choices() -> list[tuple[str, str]]:
    return [(tier.value, str(TIER_LABELS[tier])) for tier in Tier]


def item_choices() -> list[tuple[str, str]]:
    """Every current standard item as (code, "code title")."""
    rows = db.session.execute(select(StandardItem.code, StandardItem.title).where(StandardItem.is_retired.is_(False))
                              .order_by(StandardItem.code)).all()
    return [(code, f"{code} {title}") for code, title in rows]


def form_data(case: Case) -> dict:
    """A case's fields as a form's initial data."""
    data = vars(CaseData.of(case))
    return {**data, "items": data.pop("item_codes")}


def set_case_choices(form) -> None:
    form.set_choices(channel_choices(), tier_choices(), item_choices())


@dataclass
class CaseView:
    """A case ready for a template: labels instead of codes."""

    case: Case
    channel: str
    tier: str
    status: str
    author: str
    may_edit: bool
    may_draft_scenario: bool

    @property
    def is_published(self) -> bool:
        return self.case.status == CaseStatus.PUBLISHED

    @property
    def awaits_review(self) -> bool:
        return self.case.status == CaseStatus.SUBMITTED


def case_view(case: Case, user: User) -> CaseView:
    channel = CHANNELS.get(case.channel)
    author = case.author.name if case.author else _("The training team")
    return CaseView(case, str(channel.label) if channel else "", str(TIER_LABELS[case.tier]),
                    str(STATUS_LABELS[case.status]), author,
                    may_edit=case.author_id == user.id and case.status in EDITABLE_BY_AUTHOR,
                    may_draft_scenario=case.status == CaseStatus.PUBLISHED and user.has_role(Role.TRAINER, Role.ADMIN))


def editable_case(case_id: int, user: User) -> Case:
    """The author's own case while it is a draft or returned; RowNotFound (a 404) otherwise."""
    case = get_row(Case, case_id)
    if case.author_id != user.id or case.status not in EDITABLE_BY_AUTHOR:
        raise RowNotFound(f"case {case_id} is not editable by {user.id}")
    return case
