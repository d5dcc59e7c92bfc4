"""What the mentoring pages show, ready for the templates: the list of mentorships a person may read, one
mentorship with its log, check-ins and sign-offs (and the forms its reader may use), and the manager's choice
of mentor."""

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role, User
from lms.db import RowNotFound, db
from lms.mentoring import progress, relations
from lms.mentoring.forms import CheckInForm, EntryForm, MentorForm, ReviewForm, SignOffForm
from lms.mentoring.models import CheckIn, MentoringPlan, Mentorship, ShadowingEntry
from lms.standards.models import StandardItem
from lms.timeutil import local_today

ENTRIES_SHOWN = 100


@dataclass(frozen=True)
class ItemLine:
    code: str
    title: str
    signed_by: str = ""
    signed_at: object = None
    note: str = ""

    @property
    def signed(self) -> bool:
        return self.signed_at is not None


@dataclass(frozen=True)
class CheckInLine:
    check_in: CheckIn
    overdue: bool
    due: bool


def index_page(reader: User) -> dict:
    return {"as_mentor": progress.mentees_of(reader), "as_mentee": progress.own_mentoring(reader),
            "staff": progress.visible_to_staff(reader)}


def plan_items(mentorship: Mentorship) -> list[ItemLine]:
    plan = relations.plan_of(mentorship)
    codes = list(plan.item_codes) if plan else []
    titles = dict(db.session.execute(select(StandardItem.code, StandardItem.title)
                                     .where(StandardItem.code.in_(codes))).all()) if codes else {}
    signed = {s.item_code: s for s in mentorship.sign_offs}
    return [ItemLine(code, titles.get(code, ""), signed[code].signed_by.name if code in signed and signed[code].signed_by
                     else "", signed[code].signed_at if code in signed else None,
                     signed[code].note if code in signed else "") for code in codes]


def _entries(mentorship: Mentorship) -> list[ShadowingEntry]:
    return list(db.session.scalars(select(ShadowingEntry).where(ShadowingEntry.mentorship_id == mentorship.id)
                                   .options(selectinload(ShadowingEntry.items), selectinload(ShadowingEntry.author))
                                   .order_by(ShadowingEntry.happened_on.desc(), ShadowingEntry.id.desc())
                                   .limit(ENTRIES_SHOWN)))


def _all_item_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(select(StandardItem.code, StandardItem.title).where(StandardItem.is_retired.is_(False))
                              .order_by(StandardItem.id)).all()
    return [(code, f"{code} {title}") for code, title in rows]


def entry_form(mentorship: Mentorship, items: list[ItemLine] | None = None) -> EntryForm:
    """The entry form; the path's items are offered first, then every other standard item."""
    form = EntryForm()
    plan_codes = [i.code for i in items or plan_items(mentorship)]
    rest = _all_item_choices()
    first = [c for c in rest if c[0] in plan_codes]
    form.fill(first + [c for c in rest if c[0] not in plan_codes])
    if form.happened_on.data is None:
        form.happened_on.data = local_today()
    return form


def check_in_form(mentorship: Mentorship) -> CheckInForm:
    open_ones = [c for c in mentorship.check_ins if c.done_at is None]
    return CheckInForm().fill([(c.day, gettext("Day %(day)d (due %(date)s)", day=c.day, date=c.due_on.isoformat()))
                               for c in open_ones])


def sign_off_form(items: list[ItemLine]) -> SignOffForm:
    form = SignOffForm()
    form.item.choices = [(i.code, f"{i.code} {i.title}") for i in items if not i.signed]
    return form


def mentorship_page(mentorship: Mentorship, reader: User, **forms) -> dict:
    """Everything the mentorship page shows; ``forms`` are posted forms shown again with their errors."""
    today = local_today()
    items = plan_items(mentorship)
    mentor = relations.is_mentor(reader, mentorship)
    writer = mentor or reader.id == mentorship.mentee_id
    lines = [CheckInLine(c, c.done_at is None and c.due_on < today, c.done_at is None and c.due_on <= today)
             for c in mentorship.check_ins]
    return {
        "mentorship": mentorship, "items": items, "entries": _entries(mentorship), "check_ins": lines,
        "signed": sum(1 for i in items if i.signed), "is_mentor": mentor, "may_write": writer,
        "may_choose": relations.can_review(reader, mentorship.mentee) and reader.has_role(Role.MANAGER, Role.ADMIN),
        "history": relations.mentor_history(mentorship),
        "entry_form": forms.get("entry_form") or (entry_form(mentorship, items) if writer else None),
        "check_in_form": forms.get("check_in_form") or (check_in_form(mentorship) if mentor else None),
        "sign_off_form": forms.get("sign_off_form") or (sign_off_form(items) if mentor else None),
        "review_form": ReviewForm() if mentor else None,
    }


def plan_for(mentee: User) -> MentoringPlan:
    """The plan of the mentee's mentorship, or else the first path's with one; RowNotFound when none has."""
    existing = db.session.scalar(select(Mentorship.path_id).where(Mentorship.mentee_id == mentee.id)
                                 .order_by(Mentorship.id.desc()).limit(1))
    plan = db.session.get(MentoringPlan, existing) if existing else None
    plan = plan or db.session.scalar(select(MentoringPlan).order_by(MentoringPlan.path_id).limit(1))
    if plan is None:
        raise RowNotFound("no onboarding path has a mentoring plan")
    return plan


def mentor_form(mentee: User) -> MentorForm:
    form = MentorForm()
    form.mentor.choices = [(p.id, _candidate_label(p)) for p in relations.mentor_candidates(mentee)]
    return form


def _candidate_label(person: User) -> str:
    if person.hire_date is None:
        return f"{person.name} ({person.employee_no})"
    return gettext("%(name)s (%(no)s), since %(date)s", name=person.name, no=person.employee_no,
                   date=person.hire_date.isoformat())


def choose_page(mentee: User, plan: MentoringPlan, form: MentorForm) -> dict:
    current = db.session.scalar(select(Mentorship).where(Mentorship.mentee_id == mentee.id,
                                                         Mentorship.path_id == plan.path_id)
                                .options(selectinload(Mentorship.mentor)))
    if current is not None and current.mentor_id and not form.is_submitted():
        form.mentor.data = current.mentor_id
    return {"mentee": mentee, "plan": plan, "form": form, "current": current,
            "history": relations.mentor_history(current) if current else []}
