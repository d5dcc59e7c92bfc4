"""Certification programmes edited with forms (issue 18): the details, and each requirement of the first
certificate and of its renewal added, changed, moved or removed one at a time.

Every change builds the programme's whole definition in the shape of its file, checks it exactly as the
YAML editor and the importer do (``programmes.check_programme_source``: the loader, then every course,
exam, call, session, path, standard item and prerequisite it names) and saves it as the programme's next
version (``programmes.save_programme``, audited). So the content export writes what the forms built and
importing that file gives the same definition back. A change made from a page filled from an older version
is refused (lms.conflicts), whichever of the forms posts it.
"""

import copy
import re
from dataclasses import dataclass

import yaml
from flask_babel import gettext as _
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.certification.loader import ProgrammeSpec, check_programme_references, programme_from_data
from lms.certification.models import OPEN_STATUSES, Application, Certificate, Programme
from lms.certification.programmes import (
    _references_in_database,
    check_programme_source,
    find_programme,
    list_programmes,
    programme_source,
    save_programme,
)
from lms.certification.requirement_kinds import REQUIREMENT_KINDS, file_kind_names
from lms.conflicts import StaleEdit, check_based_on
from lms.content.files import SLUG, load_yaml
from lms.db import RowNotFound, db
from lms.errors import DomainError
from lms.form_problems import FieldProblems

PARTS = ("initial", "renewal")  # the first certificate's requirements, the renewal's
DETAIL_FIELDS = {"title": "title", "summary": "summary", "level": "level", "validity_months": "validity_months",
                 "prerequisites": "prerequisites", "programme": "prerequisites", "recertification": "reminder_days",
                 "window_days": "window_days", "grace_days": "grace_days", "reminder_days": "reminder_days"}
# A loader error's field → the requirement form's field (a kind's target, its score, a sign-off's checklist).
REQUIREMENT_FIELDS = {"course": "course", "exam": "exam", "scenario": "scenario", "session": "session",
                      "path": "path", "min_score": "min_score", "title": "title", "pass_mark": "pass_mark",
                      "checklist": "checklist", "text": "checklist", "standards": "checklist", "item": "checklist"}


@dataclass(frozen=True)
class ProgrammeDetails:
    title: str
    summary: str
    level: int
    validity_months: int
    prerequisites: list[str]
    window_days: int
    grace_days: int
    reminder_days: list[int]


def requirements_in(definition: dict, part: str) -> list[dict]:
    if part not in PARTS:
        raise RowNotFound(f"no requirement list {part}")
    return definition["requirements"] if part == "initial" else definition["recertification"]["requirements"]


def find_requirement(programme: Programme, part: str, requirement_id: str) -> dict:
    """The requirement with this id in the part; RowNotFound (404) when there is none."""
    found = next((r for r in requirements_in(programme.definition, part) if r["id"] == requirement_id), None)
    if found is None:
        raise RowNotFound(f"no requirement {requirement_id}")
    return found


def editable_kind(name: str | None) -> str:
    """A kind a programme file may use; RowNotFound (404) otherwise."""
    if name not in file_kind_names():
        raise RowNotFound(f"no requirement kind {name}")
    return name


def details_of(programme: Programme) -> ProgrammeDetails:
    d = programme.definition
    recert = d["recertification"]
    return ProgrammeDetails(d["title"], d["summary"], d["level"], d["validity_months"], list(d["prerequisites"]),
                            recert["window_days"], recert["grace_days"], list(recert["reminder_days"]))


def holders_and_applications(programme: Programme) -> tuple[int, int]:
    """How many certificates of the programme are held (not revoked) and how many applications are open."""
    held = db.session.scalar(select(func.count()).select_from(Certificate).where(
        Certificate.programme_id == programme.id, Certificate.revoked_at.is_(None)))
    open_ = db.session.scalar(select(func.count()).select_from(Application).where(
        Application.programme_id == programme.id, Application.status.in_(OPEN_STATUSES)))
    return held or 0, open_ or 0


def other_programmes(programme: Programme | None) -> list[tuple[str, str]]:
    """(slug, title) of every programme but this one (all of them for a new one)."""
    return [(slug, title) for slug, title in db.session.execute(
        select(Programme.slug, Programme.title).where(Programme.id != (programme.id if programme else -1))
        .order_by(Programme.level, Programme.slug))]


# ---------------------------------------------------------------- saving


def _save(programme: Programme, definition: dict, actor: User, based_on: str | None, where: dict) -> bool:
    """Check the whole definition as the importer would and save it as the next version (whether it changed).
    ``where``: which form field shows a problem of each loader field."""
    text = yaml.safe_dump(definition, allow_unicode=True, sort_keys=False, width=110)
    check_based_on(based_on, programme.content_hash, programme_source(programme), text)
    checked, errors = check_programme_source(text, programme)
    if errors:
        raise FieldProblems([(where.get(e.field or ""), e.message) for e in errors])
    return save_programme(checked, actor)[1]


def _save_from_button(programme: Programme, definition: dict, actor: User, based_on: str | None) -> None:
    """A button's change (move, remove): a page filled before someone else's save changes nothing, and says so
    in words that fit a button (there is no form to compare)."""
    try:
        _save(programme, definition, actor, based_on, {})
    except StaleEdit:
        raise DomainError(_("Someone else saved this programme after the page was loaded, so nothing was changed. "
                            "The page now shows what is saved: try again there.")) from None


def save_details(programme: Programme, details: ProgrammeDetails, actor: User, based_on: str | None) -> bool:
    definition = copy.deepcopy(programme.definition)
    definition.update(title=details.title.strip(), summary=details.summary.strip(), level=details.level,
                      validity_months=details.validity_months, prerequisites=list(details.prerequisites))
    definition["recertification"].update(window_days=details.window_days, grace_days=details.grace_days,
                                         reminder_days=sorted(set(details.reminder_days), reverse=True))
    return _save(programme, definition, actor, based_on, DETAIL_FIELDS)


def _new_id(definition: dict, part: str, kind: str, values: dict) -> str:
    """An id for a new requirement: the other part's id for the same thing (so a renewal's sign-off counts
    the same checklist), else its target or kind, numbered when taken."""
    target = REQUIREMENT_KINDS[kind].target
    other = requirements_in(definition, "renewal" if part == "initial" else "initial")
    if target:
        same = next((r for r in other if r["kind"] == kind and r.get(target) == values.get(target)), None)
        if same is not None:
            return same["id"]
    taken = {r["id"] for r in requirements_in(definition, part)} | {r["id"] for r in other}
    base = re.sub(r"[^a-z0-9_-]+", "-", str(values.get(target) or kind).lower()).strip("-")[:50] or kind
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def save_requirement(programme: Programme, part: str, requirement_id: str | None, kind: str, values: dict,
                     actor: User, based_on: str | None) -> str:
    """Add a requirement (``requirement_id`` None) at the end of the part, or replace one's fields; returns its
    id. An existing requirement keeps its id and kind, so the evidence already recorded for it still counts."""
    definition = copy.deepcopy(programme.definition)
    listed = requirements_in(definition, part)
    if requirement_id is None:
        requirement_id = _new_id(definition, part, kind, values)
        listed.append({"id": requirement_id, "kind": kind, **values})
    else:
        index = next((i for i, r in enumerate(listed) if r["id"] == requirement_id), None)
        if index is None:
            raise RowNotFound(f"no requirement {requirement_id}")
        listed[index] = {"id": requirement_id, "kind": listed[index]["kind"], **values}
    _save(programme, definition, actor, based_on, REQUIREMENT_FIELDS)
    return requirement_id


def move_requirement(programme: Programme, part: str, requirement_id: str, step: int, actor: User,
                     based_on: str | None) -> None:
    """Move a requirement up (-1) or down (+1) in its list."""
    definition = copy.deepcopy(programme.definition)
    listed = requirements_in(definition, part)
    index = next((i for i, r in enumerate(listed) if r["id"] == requirement_id), None)
    if index is None:
        raise RowNotFound(f"no requirement {requirement_id}")
    other = index + step
    if not 0 <= other < len(listed):
        raise DomainError(_("It is already at that end of the list."))
    listed[index], listed[other] = listed[other], listed[index]
    _save_from_button(programme, definition, actor, based_on)


def remove_requirement(programme: Programme, part: str, requirement_id: str, actor: User,
                       based_on: str | None) -> None:
    definition = copy.deepcopy(programme.definition)
    listed = requirements_in(definition, part)
    kept = [r for r in listed if r["id"] != requirement_id]
    if len(kept) == len(listed):
        raise RowNotFound(f"no requirement {requirement_id}")
    if not kept:
        raise DomainError(_("A programme keeps at least one requirement in each list; add another one first."))
    listed[:] = kept
    _save_from_button(programme, definition, actor, based_on)


def target_choices(kind: str) -> dict[str, list[tuple[str, str]]]:
    """What a requirement of this kind may point at: {its field: [(value, words)]}."""
    from sqlalchemy import and_

    from lms.calls.models import Scenario, ScenarioVersion
    from lms.classroom.models import SessionTemplate
    from lms.courses.models import OnboardingPath
    from lms.courses.path_editor import course_choices
    from lms.exams.models import Exam, ExamVersion

    queries = {
        "exam": lambda: select(Exam.slug, ExamVersion.title).join(ExamVersion, ExamVersion.id == Exam.current_version_id)
        .order_by(Exam.slug),
        "scenario": lambda: select(Scenario.slug, ScenarioVersion.title).join(ScenarioVersion, and_(
            ScenarioVersion.scenario_id == Scenario.id, ScenarioVersion.number == Scenario.current_number))
        .order_by(Scenario.slug),
        "session": lambda: select(SessionTemplate.slug, SessionTemplate.title).order_by(SessionTemplate.slug),
        "path": lambda: select(OnboardingPath.slug, OnboardingPath.title).order_by(OnboardingPath.slug),
    }
    target = REQUIREMENT_KINDS[kind].target
    if target == "course":
        return {"course": course_choices()}
    if target in queries:
        return {target: [(value, title) for value, title in db.session.execute(queries[target]())]}
    return {}


@dataclass(frozen=True)
class RequirementRow:
    """A requirement as the editor lists it."""

    id: str
    kind_label: str
    name: str


def requirement_rows(programme: Programme) -> dict[str, list[RequirementRow]]:
    """Both lists of requirements, each named in words (a query or so per kind)."""
    from lms.certification.programmes import requirement_titles
    from lms.certification.requirement_kinds import kind_of

    titles = requirement_titles([programme])
    rows = {}
    for part in PARTS:
        rows[part] = []
        for req in requirements_in(programme.definition, part):
            kind = kind_of(req)
            name = titles.get(f"{kind.name}:{req[kind.target]}") if kind.target else None
            rows[part].append(RequirementRow(req["id"], str(kind.label), name or kind.short_name(req)))
    return rows


def kind_options() -> list[tuple[str, str]]:
    return [(name, str(REQUIREMENT_KINDS[name].label)) for name in file_kind_names()]


def create_programme(slug: str, details: ProgrammeDetails, course_code: str, actor: User) -> Programme:
    """A new programme (its version 1) asking for one course, for the certificate and for its renewal alike;
    the rest is added requirement by requirement. Checked as the importer checks a new file."""
    slug = (slug or "").strip().lower()
    if not SLUG.match(slug) or slug == "new":  # /certification/programmes/new is the page that creates one
        raise DomainError(_("Use lowercase letters, digits and dashes."), field="slug")
    if find_programme(slug) is not None:
        raise DomainError(_("Another programme already has this name in the address."), field="slug")
    first = {"id": re.sub(r"[^a-z0-9_-]+", "-", (course_code or "course").lower()).strip("-") or "course",
             "kind": "course", "course": course_code}
    definition = {"slug": slug, "title": details.title.strip(), "summary": details.summary.strip(),
                  "level": details.level, "validity_months": details.validity_months,
                  "prerequisites": list(details.prerequisites), "requirements": [first],
                  "recertification": {"window_days": details.window_days, "grace_days": details.grace_days,
                                      "reminder_days": sorted(set(details.reminder_days), reverse=True),
                                      "requirements": [dict(first)]}}
    name = f"{slug}.yaml"
    spec, errors = programme_from_data(load_yaml(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), name),
                                       name)
    if spec is not None:
        others = [ProgrammeSpec(p.slug, p.definition, f"{p.slug}.yaml",
                                {("programme", q): None for q in p.definition.get("prerequisites", [])})
                  for p in list_programmes()]
        errors = [e for e in check_programme_references([spec, *others], _references_in_database()) if e.path == name]
    if errors:
        raise FieldProblems([(DETAIL_FIELDS.get(e.field or "", "course" if e.field == "course" else None), e.message)
                             for e in errors])
    return save_programme(spec.definition, actor)[0]
