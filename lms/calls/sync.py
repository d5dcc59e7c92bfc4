"""Saving scenarios, from the content files (the importer) and from the trainer's YAML editor: a
changed definition becomes a new version (calls already started keep theirs), and the rubric's
standard items are cited in the coverage matrix."""

from collections import defaultdict

import yaml
from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.calls.drafts import check_publishable, next_number
from lms.calls.loader import ScenarioSpec, check_definition, plain
from lms.calls.models import Scenario, ScenarioVersion
from lms.calls.scenarios import current_version
from lms.conflicts import check_based_on, fingerprint
from lms.content.edits import BrowserEdits
from lms.content.files import ContentError, content_hash, load_yaml
from lms.courses.models import Course
from lms.db import db
from lms.errors import DomainError
from lms.standards.models import StandardItem
from lms.standards.services import SyncCounts, replace_citations, sync_by_slug
from lms.urls import path_for


def save_scenario(spec: ScenarioSpec, actor: User | None = None, source: str = "file") -> tuple[Scenario, bool]:
    """Save the definition as the scenario's next version unless it is unchanged; (scenario, changed)."""
    scenario = db.session.scalar(select(Scenario).where(Scenario.slug == spec.slug))
    course_id = db.session.scalar(select(Course.id).where(Course.slug == spec.course_slug)) if spec.course_slug else None
    if scenario is None:
        scenario = Scenario(slug=spec.slug, course_id=course_id)
        db.session.add(scenario)
        db.session.flush()
    elif course_id is not None:
        scenario.course_id = course_id
    current = current_version(scenario)
    digest = content_hash(spec.definition)
    if current is not None and current.content_hash == digest:
        if spec.text and not current.source_text:
            current.source_text = spec.text  # a version saved before versions kept their text
        return scenario, False
    version = ScenarioVersion(scenario_id=scenario.id, number=next_number(scenario),
                              title=spec.definition["title"], category=spec.definition["category"],
                              definition=spec.definition, content_hash=digest, source=source,
                              source_text=spec.text or None,
                              created_by_id=actor.id if actor else None)
    db.session.add(version)
    scenario.current_number = version.number
    db.session.flush()
    _cite(scenario, spec.definition)
    if actor is not None:
        record_event("scenario.saved", "scenario", scenario.id, summary=f"{scenario.slug} v{version.number}",
                     actor=actor)
    return scenario, True


def _cite(scenario: Scenario, definition: dict) -> None:
    """The coverage matrix lists the scenario under each standard item its criteria assess."""
    by_item: dict[str, list[str]] = defaultdict(list)
    for criterion in definition["rubric"]:
        for code in criterion.get("standards") or []:
            by_item[code].append(criterion["title"])
    link = path_for("calls_admin.scenario", scenario_slug=scenario.slug)
    replace_citations("criterion", [scenario.id],
                      [(scenario.id, f"{definition['title']} · {'、'.join(titles)}", link, [code])
                       for code, titles in by_item.items()])


def sync_scenarios(specs: list[ScenarioSpec], edits: BrowserEdits | None = None) -> SyncCounts:
    """Save every scenario of the content files (the importer). A scenario whose current version was
    saved in the trainer's editor, and differs from its file, is kept unless ``edits`` says to overwrite."""
    edits, kept = edits or BrowserEdits(), []

    def save(spec: ScenarioSpec) -> tuple[Scenario | None, bool]:
        scenario = db.session.scalar(select(Scenario).where(Scenario.slug == spec.slug))
        current = current_version(scenario) if scenario is not None else None
        if current is not None and current.content_hash != content_hash(spec.definition) and \
                not edits.allows(f"scenario {spec.slug}", current.source == "editor"):
            kept.append(spec.slug)
            return scenario, False
        return save_scenario(spec)

    counts = sync_by_slug(Scenario.slug, specs, save)
    counts.kept, counts.unchanged = len(kept), counts.unchanged - len(kept)
    return counts


# ---------------------------------------------------------------- the trainer's YAML editor


class SourceRefused(DomainError):
    """The edited source does not load or does not check; ``errors`` name each line."""

    def __init__(self, errors: list[ContentError]):
        super().__init__(errors[0].message, field="source")
        self.errors = errors


def source_of(version: ScenarioVersion) -> str:
    """The version's YAML: the text it was made from, else its definition written out."""
    if version.source_text:
        return version.source_text
    return yaml.safe_dump(version.definition, allow_unicode=True, sort_keys=False, width=110)


def _load_source(scenario: Scenario, source: str, path: str) -> dict:
    try:
        data = load_yaml(source, path)
        if not isinstance(data, dict):
            raise ContentError(path, 1, None, _("a scenario is a YAML mapping"))
        if data.get("slug") != scenario.slug:
            raise ContentError(path, data.line_of("slug"), "slug", _("the slug cannot change here"))
    except ContentError as exc:
        raise SourceRefused([exc]) from None
    return data


def editing_fingerprint(version: ScenarioVersion) -> str:
    """What the editor posts back: the fingerprint of the version it was filled from."""
    return fingerprint(version.content_hash)


def save_scenario_source(scenario: Scenario, source: str, actor: User, based_on: str | None = None) -> bool:
    """Check a trainer's YAML like the importer does and save it as a new version (publishing a draft, once
    no TODO is left in it); whether it changed.
    ``based_on`` (from the editor) names the version it was filled from: a save over a version someone
    else saved since is refused, showing theirs against this one (lms.conflicts)."""
    if based_on is not None and (current := current_version(scenario)) is not None:
        check_based_on(based_on, current.content_hash, source_of(current), source or "")
    if not scenario.current_number:
        check_publishable(source)
    path = f"{scenario.slug}.yaml"
    data = _load_source(scenario, source or "", path)
    errors = check_definition(data, path, set(db.session.scalars(select(StandardItem.code))))
    if errors:
        raise SourceRefused(errors)
    course_slug = db.session.scalar(select(Course.slug).where(Course.id == scenario.course_id))
    _saved, changed = save_scenario(ScenarioSpec(scenario.slug, course_slug or "", plain(data), text=source),
                                    actor,
                                    source="editor")
    return changed
