"""Onboarding paths edited with forms (issue 18): the same data as courses/paths/<slug>.yaml, checked by the
same loader and written by the same sync as an import, so the content export of an edited path reads back
as the same path.

The editor posts plain values (``PathValues``); ``path_data`` turns them into the file's mapping, ``check_path``
runs that mapping through the loader (``path_from_data``) and the references an import checks, and
``save_path`` writes it through ``sync_paths`` / ``sync_mentoring_plans``, audited and guarded by the
stale-edit check (lms.conflicts)."""

from dataclasses import dataclass, field

import yaml
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.conflicts import check_based_on, fingerprint
from lms.content.files import SLUG, ContentError, load_yaml
from lms.courses.loader import PathSpec, path_from_data
from lms.courses.models import Course, CourseVersion, OnboardingPath, OnboardingStep
from lms.courses.path_mentoring import mentoring_item_errors
from lms.courses.sync import sync_paths
from lms.db import RowNotFound, db
from lms.errors import DomainError
from lms.form_problems import FieldProblems


@dataclass(frozen=True)
class PathStepValues:
    code: str
    due_days: int


@dataclass(frozen=True)
class PathSessionValues:
    template: str
    due_days: int


@dataclass(frozen=True)
class PathValues:
    """What the path editor posts, in the order the path is taken."""

    title: str
    description: str
    new_hire_days: int
    steps: list[PathStepValues]
    sessions: list[PathSessionValues] = field(default_factory=list)
    check_in_days: list[int] = field(default_factory=list)
    sign_off: list[str] = field(default_factory=list)  # standard item codes; none: no mentoring plan


# Where each field a loader error names is shown in the editor.
FORM_FIELDS = {"slug": "slug", "title": "title", "description": "description", "new_hire_days": "new_hire_days",
               "courses": "steps", "code": "steps", "due_days": "steps", "sessions": "sessions",
               "template": "sessions", "mentoring": "sign_off", "mentoring.check_in_days": "check_in_days",
               "mentoring.sign_off": "sign_off"}


# ---------------------------------------------------------------- reading


def list_paths() -> list[OnboardingPath]:
    return list(db.session.scalars(select(OnboardingPath).options(selectinload(OnboardingPath.steps))
                                   .order_by(OnboardingPath.slug)))


def get_path(slug: str) -> OnboardingPath:
    """The path with its steps and their courses; RowNotFound (404) when there is none."""
    path = db.session.scalar(select(OnboardingPath).where(OnboardingPath.slug == slug).options(
        selectinload(OnboardingPath.steps).selectinload(OnboardingStep.course), undefer(OnboardingPath.session_steps)))
    if path is None:
        raise RowNotFound(f"no onboarding path {slug}")
    return path


def mentoring_plan(path: OnboardingPath):
    from lms.mentoring.models import MentoringPlan

    return db.session.get(MentoringPlan, path.id)


def file_data(path: OnboardingPath, plan) -> dict:
    """The path as its file holds it (the content export writes this mapping; the loader reads it)."""
    data = {"slug": path.slug, "title": path.title, "description": path.description, "assign_to": "new_hires",
            "new_hire_days": path.new_hire_days,
            "courses": [{"code": s.course.code, "due_days": s.due_days} for s in path.steps]}
    if path.session_steps:
        data["sessions"] = [{"template": s["template"], "due_days": s["due_days"]} for s in path.session_steps]
    if plan is not None:
        data["mentoring"] = {"check_in_days": list(plan.check_in_days), "sign_off": list(plan.item_codes)}
    return data


def path_values(path: OnboardingPath, plan) -> PathValues:
    """A saved path as the editor shows it."""
    return PathValues(path.title, path.description, path.new_hire_days,
                      [PathStepValues(s.course.code, s.due_days) for s in path.steps],
                      [PathSessionValues(s["template"], s["due_days"]) for s in path.session_steps],
                      list(plan.check_in_days) if plan else [], list(plan.item_codes) if plan else [])


def values_data(slug: str, values: PathValues) -> dict:
    """Posted values as the file's mapping (the same keys and order as ``file_data``)."""
    data = {"slug": slug, "title": values.title.strip(), "description": values.description.strip(),
            "assign_to": "new_hires", "new_hire_days": values.new_hire_days,
            "courses": [{"code": s.code, "due_days": s.due_days} for s in values.steps]}
    if values.sessions:
        data["sessions"] = [{"template": s.template, "due_days": s.due_days} for s in values.sessions]
    if values.check_in_days or values.sign_off:
        data["mentoring"] = {"check_in_days": list(values.check_in_days), "sign_off": list(values.sign_off)}
    return data


def path_text(data: dict) -> str:
    """A path's mapping as YAML (what the stale-edit check compares, line by line)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def editing_fingerprint(path: OnboardingPath | None, plan=None) -> str:
    return fingerprint([path.content_hash, plan.content_hash if plan else ""]) if path else ""


def course_choices() -> list[tuple[str, str]]:
    """Every course with a published version, as (code, "code title")."""
    return [(code, f"{code} {title}") for code, title in db.session.execute(
        select(Course.code, CourseVersion.title).join(CourseVersion, CourseVersion.id == Course.published_version_id)
        .order_by(Course.code))]


def session_choices() -> list[tuple[str, str]]:
    from lms.classroom.models import SessionTemplate

    return [(slug, title) for slug, title in db.session.execute(
        select(SessionTemplate.slug, SessionTemplate.title).order_by(SessionTemplate.slug))]


# ---------------------------------------------------------------- checking and saving


def _reference_errors(spec: PathSpec) -> list[ContentError]:
    from lms.classroom.models import SessionTemplate
    from lms.standards.models import StandardItem

    courses = set(db.session.scalars(select(Course.code)))
    errors = [ContentError(spec.path, s.line, "courses", _("unknown course %(value)s", value=s.code))
              for s in spec.steps if s.code not in courses]
    seen: set[str] = set()
    for step in spec.steps:
        if step.code in seen:
            errors.append(ContentError(spec.path, step.line, "courses",
                                       _("%(code)s is a step of the path twice.", code=step.code)))
        seen.add(step.code)
    templates = set(db.session.scalars(select(SessionTemplate.slug)))
    errors += [ContentError(spec.path, s.line, "sessions", _("unknown session template %(value)s", value=s.template))
               for s in spec.sessions if s.template not in templates]
    items = set(db.session.scalars(select(StandardItem.code)))
    return errors + mentoring_item_errors(spec.path, spec.mentoring, items)


def check_path(data: dict) -> PathSpec:
    """The path's spec as an import would read it from its file; FieldProblems names every problem."""
    rel = f"paths/{data.get('slug') or 'new'}.yaml"
    spec, errors = path_from_data(load_yaml(path_text(data), rel), rel)
    if spec is not None:
        errors = _reference_errors(spec)
    if errors:
        raise FieldProblems([(FORM_FIELDS.get(e.field or ""), e.message) for e in errors])
    return spec


def _audited(data: dict) -> dict:
    """The path as the audit log keeps it: the courses and sessions in their order, as one text each (the
    log keeps lists as sets)."""
    out = dict(data)
    out["courses"] = "、".join(f"{c['code']}（{c['due_days']}）" for c in data["courses"])
    if data.get("sessions"):
        out["sessions"] = "、".join(f"{s['template']}（{s['due_days']}）" for s in data["sessions"])
    return out


def _write(spec: PathSpec) -> bool:
    from lms.mentoring.plans import sync_mentoring_plans

    counts = sync_paths([spec])
    plans = sync_mentoring_plans([spec])
    return bool(counts.created or counts.updated or plans.created or plans.updated)


def create_path(slug: str, values: PathValues, actor: User) -> OnboardingPath:
    """A new onboarding path, as its file would create it."""
    slug = (slug or "").strip().lower()
    if not SLUG.match(slug):
        raise DomainError(_("Use lowercase letters, digits and dashes."), field="slug")
    if db.session.scalar(select(OnboardingPath.id).where(OnboardingPath.slug == slug)) is not None:
        raise DomainError(_("Another onboarding path already has this name in the address."), field="slug")
    data = values_data(slug, values)
    _write(check_path(data))
    path = get_path(slug)
    record_event("onboarding_path.created", "onboarding_path", path.id, summary=slug, after=_audited(data),
                 actor=actor)
    return path


def save_path(path: OnboardingPath, values: PathValues, actor: User, based_on: str | None) -> bool:
    """Save the edited path (whether anything changed). A form filled from a version someone else has
    replaced since is refused (lms.conflicts), as is a path the loader would refuse."""
    plan = mentoring_plan(path)
    before, data = file_data(path, plan), values_data(path.slug, values)
    check_based_on(based_on, [path.content_hash, plan.content_hash if plan else ""], path_text(before),
                   path_text(data))
    changed = _write(check_path(data))
    if changed:
        record_event("onboarding_path.saved", "onboarding_path", path.id, summary=path.slug,
                     before=_audited(before), after=_audited(data), actor=actor)
    return changed
