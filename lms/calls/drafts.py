"""Draft scenarios: a scenario with versions but none published (``current_number`` 0). Learners never see
one (every learner's query joins the current version); trainers open it in the YAML editor, and the first
save without a TODO left publishes it as the next version. Drafts are made from the case library
(lms.cases.scenario_draft)."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.calls.loader import check_definition
from lms.calls.models import Scenario, ScenarioVersion
from lms.calls.scenarios import get_scenario
from lms.content.files import content_hash
from lms.db import RowNotFound, db
from lms.errors import DomainError
from lms.standards.models import StandardItem

TODO = "TODO"


def next_number(scenario: Scenario) -> int:
    """The number of the scenario's next version (after its drafts too)."""
    latest = db.session.scalar(select(func.max(ScenarioVersion.number)).where(ScenarioVersion.scenario_id == scenario.id))
    return max(latest or 0, scenario.current_number) + 1


def draft_version(scenario: Scenario) -> ScenarioVersion | None:
    """The latest version of a scenario nothing of which is published yet; None for a published one."""
    if scenario.current_number:
        return None
    return db.session.scalar(select(ScenarioVersion).where(ScenarioVersion.scenario_id == scenario.id)
                             .order_by(ScenarioVersion.number.desc()).limit(1))


def require_editable(slug: str) -> tuple[Scenario, ScenarioVersion, bool]:
    """The scenario with the version the editor starts from, and whether it is a draft; or RowNotFound."""
    found = get_scenario(slug)
    if found is not None:
        return found[0], found[1], False
    scenario = db.session.scalar(select(Scenario).where(Scenario.slug == slug))
    version = draft_version(scenario) if scenario is not None else None
    if version is None:
        raise RowNotFound(f"no scenario {slug}")
    return scenario, version, True


def save_draft_scenario(slug: str, definition: dict, actor: User) -> Scenario:
    """Save a new draft scenario from a checked definition; an existing scenario of that slug is kept as it is."""
    scenario = db.session.scalar(select(Scenario).where(Scenario.slug == slug))
    if scenario is not None:
        return scenario
    errors = check_definition(definition, f"{slug}.yaml", set(db.session.scalars(select(StandardItem.code))))
    if errors:
        raise DomainError(_("The draft scenario does not check: %(problem)s", problem=errors[0].message))
    scenario = Scenario(slug=slug, current_number=0)
    db.session.add(scenario)
    db.session.flush()
    db.session.add(ScenarioVersion(scenario_id=scenario.id, number=1, title=definition["title"],
                                   category=definition["category"], definition=definition,
                                   content_hash=content_hash(definition), source="editor", created_by_id=actor.id))
    db.session.flush()
    record_event("scenario.drafted", "scenario", scenario.id, summary=slug, actor=actor)
    return scenario


def check_publishable(source: str) -> None:
    """A draft is published by its first save; refuse one that still has a TODO for the trainer."""
    for number, line in enumerate((source or "").splitlines(), start=1):
        if TODO in line and not line.lstrip().startswith("#"):
            raise DomainError(_("Line %(n)d still says TODO: write the replies and feedback before publishing.",
                                n=number), field="source")
