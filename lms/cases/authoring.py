"""Writing a case: the author's drafts and submissions, checked for customers' personal data (privacy rules,
3.3) before anything is kept, and the texts a trainer edits while reviewing."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.calls.channels import CHANNELS
from lms.cases.labels import FIELD_LABELS, personal_data_message
from lms.cases.models import EDITABLE_BY_AUTHOR, TEXT_FIELDS, Case, CaseStatus
from lms.cases.privacy import find_personal_data
from lms.courses.models import Tier
from lms.db import db, utcnow
from lms.errors import DomainError
from lms.standards.models import StandardItem

MAX_ITEMS = 12


@dataclass
class CaseData:
    title: str = ""
    channel: str = "phone"
    tier: str = Tier.PROFESSIONAL.value
    situation: str = ""
    actions: str = ""
    outcome: str = ""
    lessons: str = ""
    item_codes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, case: Case) -> "CaseData":
        return cls(case.title, case.channel, case.tier.value, case.situation, case.actions, case.outcome,
                   case.lessons, [i.code for i in case.items])


class PersonalDataRefused(DomainError):
    """Personal data in one or more fields; each message goes under its own field."""

    def __init__(self, problems: dict[str, str]):
        first = next(iter(problems))
        super().__init__(problems[first], field=first)
        self.problems = problems

    def show_on(self, form) -> bool:
        for name, message in self.problems.items():
            form_field = getattr(form, name, None)
            if form_field is None:
                return False
            form_field.errors = [*form_field.errors, message]
        return True


def check_personal_data(data: CaseData) -> None:
    """Refuse the texts when any holds a phone, ID or card number or an e-mail address, naming each field."""
    problems = {}
    for name in TEXT_FIELDS:
        findings = find_personal_data(getattr(data, name))
        if findings:
            problems[name] = personal_data_message(name, findings)
    if problems:
        raise PersonalDataRefused(problems)


def _items(codes: list[str]) -> list[StandardItem]:
    codes = sorted(set(codes))
    if len(codes) > MAX_ITEMS:
        raise DomainError(_("Choose at most %(n)d standard items.", n=MAX_ITEMS), field="items")
    items = list(db.session.scalars(select(StandardItem).where(StandardItem.code.in_(codes),
                                                               StandardItem.is_retired.is_(False))))
    unknown = sorted(set(codes) - {i.code for i in items})
    if unknown:
        raise DomainError(_("Unknown standard items: %(codes)s", codes=", ".join(unknown)), field="items")
    return items


def check_case(data: CaseData, complete: bool) -> list[StandardItem]:
    """The case's standard items once its fields are checked: a draft needs a title; a case sent for review
    or published needs every text and at least one item. Personal data is never kept, even in a draft."""
    if data.channel not in CHANNELS:
        raise DomainError(_("Choose one of the channels."), field="channel")
    if data.tier not in set(Tier):
        raise DomainError(_("Choose one of the training tiers."), field="tier")
    required = TEXT_FIELDS if complete else ("title",)
    for name in required:
        if not getattr(data, name).strip():
            raise DomainError(_("%(field)s: please fill this in.", field=FIELD_LABELS[name]), field=name)
    check_personal_data(data)
    items = _items(data.item_codes)
    if complete and not items:
        raise DomainError(_("Choose at least one standard item the case illustrates."), field="items")
    return items


def write_case(case: Case, data: CaseData, items: list[StandardItem]) -> None:
    case.title, case.channel, case.tier = data.title.strip(), data.channel, Tier(data.tier)
    for name in TEXT_FIELDS[1:]:
        setattr(case, name, getattr(data, name).strip())
    case.items = items


def save_case(author: User, case: Case | None, data: CaseData, submit: bool) -> Case:
    """Save the author's case as a draft, or send it to the trainers for review."""
    if case is not None and (case.author_id != author.id or case.status not in EDITABLE_BY_AUTHOR):
        raise DomainError(_("This case can no longer be changed by its author."))
    items = check_case(data, complete=submit)
    if case is None:
        case = Case(author_id=author.id, status=CaseStatus.DRAFT)
        db.session.add(case)
    write_case(case, data, items)
    if submit:
        case.status, case.submitted_at = CaseStatus.SUBMITTED, utcnow()
    db.session.flush()
    if submit:
        record_event("case.submitted", "case", case.id, summary=case.title, actor=author)
    return case


def authors_cases(author: User) -> list[Case]:
    """The author's own cases, newest first."""
    return list(db.session.scalars(select(Case).where(Case.author_id == author.id)
                                   .order_by(Case.updated_at.desc(), Case.id.desc())))
