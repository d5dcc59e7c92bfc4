"""A new call started in the builder: a draft scenario (lms.calls.drafts) with one reply and one ending,
which checks as it is; the trainer builds the rest and the first save publishes it."""

import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.calls.drafts import save_draft_scenario
from lms.calls.models import Scenario, ScenarioVersion
from lms.content.files import SLUG
from lms.db import db
from lms.errors import DomainError
from lms.standards.models import StandardItem


def _slug(wanted: str) -> str:
    slug = (wanted or "").strip().lower()
    if not slug:
        return f"call-{secrets.token_hex(3)}"
    if not SLUG.match(slug):
        raise DomainError(_("Use lowercase letters, digits and '-'."), field="slug")
    if db.session.scalar(select(Scenario.id).where(Scenario.slug == slug)) is not None:
        raise DomainError(_("Another call already has this file name."), field="slug")
    return slug


def skeleton(slug: str, title: str, category: str, first_item: str) -> dict:
    """The smallest call that checks: the agent greets, the call ends."""
    return {"slug": slug, "title": title, "category": category, "summary": "",
            "rubric": [{"id": "opening", "title": "開場問候", "weight": 10, "standards": [first_item]}],
            "start": "a_1",
            "nodes": [{"id": "a_1", "type": "agent",
                       "options": [{"say": "您好，很高興為您服務。", "marks": {"opening": "met"}, "goto": "end_1"}]},
                      {"id": "end_1", "type": "end", "outcome": "resolved", "summary": "通話結束。"}]}


def start_new_call(title: str, category: str, wanted_slug: str, actor: User) -> Scenario:
    """Save a new draft call and return it (its builder opens next)."""
    slug = _slug(wanted_slug)
    first_item = db.session.scalar(select(StandardItem.code).order_by(StandardItem.code).limit(1))
    if first_item is None:
        raise DomainError(_("Import the standards before building a call."))
    return save_draft_scenario(slug, skeleton(slug, title.strip(), category, first_item), actor)


def draft_calls() -> list[tuple[str, str]]:
    """(address, title) of every call not published yet, newest first, in one query."""
    latest = (select(ScenarioVersion.scenario_id, func.max(ScenarioVersion.number).label("number"))
              .group_by(ScenarioVersion.scenario_id).subquery())
    rows = db.session.execute(
        select(Scenario.slug, ScenarioVersion.title).join(latest, latest.c.scenario_id == Scenario.id)
        .join(ScenarioVersion, (ScenarioVersion.scenario_id == Scenario.id) & (ScenarioVersion.number == latest.c.number))
        .where(Scenario.current_number == 0).order_by(Scenario.created_at.desc(), Scenario.id.desc()))
    return [(slug, title) for slug, title in rows]
