"""The call builder's services: the scenario it opens, an edit applied and checked, the save (through the
YAML editor's: the stale-edit check, the TODO check of a draft, the importer's checks, the new version and
its audit), and "play from here", a practice of the unsaved draft that is never written anywhere."""

import copy
import dataclasses
import json
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import User
from lms.calls import builder, builder_edits, builder_rubric, builder_yaml, engine, sync
from lms.calls.definition import compile_scenario
from lms.calls.drafts import require_editable
from lms.calls.models import Scenario, ScenarioVersion
from lms.db import db
from lms.errors import DomainError
from lms.standards.models import StandardItem

EDITS = {
    "update_node": builder_edits.update_node, "add_node": builder_edits.add_node,
    "rename_node": builder_edits.rename_node, "delete_node": builder_edits.delete_node,
    "set_start": builder_edits.set_start, "connect": builder_edits.connect,
    "add_option": builder_edits.add_option, "remove_option": builder_edits.remove_option,
    "move_option": builder_edits.move_option, "add_matcher": builder_edits.add_matcher,
    "remove_matcher": builder_edits.remove_matcher, "add_criterion": builder_rubric.add_criterion,
    "update_criterion": builder_rubric.update_criterion, "remove_criterion": builder_rubric.remove_criterion,
    "set_variable": builder_rubric.set_variable, "remove_variable": builder_rubric.remove_variable,
    "update_scenario": builder_rubric.update_scenario, "check": lambda definition, fields: definition,
}
MAX_DEFINITION = 400_000  # characters of JSON the page may post (the largest shipped scenario is ~40,000)


@dataclass
class Builder:
    """What the builder page shows: the scenario, the version it started from, the definition being
    edited, its YAML, its graph and the validator's findings."""

    scenario: Scenario
    version: ScenarioVersion
    is_draft: bool
    definition: dict
    yaml: str
    graph: dict
    problems: list[dict]
    standards: dict[str, str]
    focus: str = ""

    @property
    def fingerprint(self) -> str:
        return sync.editing_fingerprint(self.version)

    def problems_at(self, nid: str) -> list[dict]:
        return [p for p in self.problems if p["node"] == nid]

    # What the forms show (lms.calls.builder_edits reads them back).
    kind = staticmethod(builder.node_kind)
    rows = staticmethod(builder.branches)
    sets = staticmethod(builder_edits.sets_text)
    lines = staticmethod(builder_edits.lines_text)

    @property
    def audio_clips(self) -> list[tuple[str, str]]:
        """(name, title) of the media library's audio files, for a customer line's clip."""
        from lms.media.library import library
        from lms.media.models import MediaKind

        return [(m.name, m.title) for m in library() if m.kind == MediaKind.AUDIO]

    @property
    def nodes(self) -> list[dict]:
        return [n for n in self.definition.get("nodes") or [] if isinstance(n, dict) and n.get("id")]

    @property
    def node_ids(self) -> list[str]:
        return [str(n["id"]) for n in self.nodes]

    @property
    def node_choices(self) -> list[tuple[str, str]]:
        """(name, the node in words) of every node, for the lists that pick one."""
        return [(str(n["id"]), builder.node_words(n)) for n in self.nodes]

    @property
    def criteria(self) -> list[dict]:
        return [c for c in self.definition.get("rubric") or [] if isinstance(c, dict) and c.get("id")]

    @property
    def variables(self) -> dict:
        variables = self.definition.get("variables")
        return variables if isinstance(variables, dict) else {}


def _standards() -> dict[str, str]:
    return dict(db.session.execute(select(StandardItem.code, StandardItem.title).order_by(StandardItem.code)).all())


def _built(scenario, version, is_draft, definition: dict, focus: str = "") -> Builder:
    standards = _standards()
    return Builder(scenario, version, is_draft, definition, builder_yaml.dump_definition(definition, sync.source_of(version)),
                   builder.graph(definition), builder.problems(definition, set(standards)), standards, focus)


def open_builder(slug: str) -> Builder:
    """The builder of the scenario's current version (or its draft); RowNotFound for no such scenario."""
    scenario, version, is_draft = require_editable(slug)
    return _built(scenario, version, is_draft, copy.deepcopy(version.definition))


def posted_or_opened(slug: str, definition_text: str | None) -> Builder:
    """The builder again with the definition a refused save posted (else as the version has it)."""
    try:
        definition = posted_definition(definition_text)
    except DomainError:
        return open_builder(slug)
    scenario, version, is_draft = require_editable(slug)
    return _built(scenario, version, is_draft, definition)


def posted_definition(text: str | None) -> dict:
    """The definition the page posts back (JSON), or DomainError."""
    try:
        definition = json.loads(text or "") if len(text or "") <= MAX_DEFINITION else None
    except (ValueError, RecursionError):
        definition = None
    if not isinstance(definition, dict):
        raise DomainError(_("The builder sent a scenario it could not read; reload the page."))
    return definition


def apply_edit(slug: str, definition_text: str | None, edit_text: str | None) -> Builder:
    """Apply one edit of the builder to the definition it posts; the result checked and drawn."""
    scenario, version, is_draft = require_editable(slug)
    definition = posted_definition(definition_text)
    try:
        fields = json.loads(edit_text or "")
    except (ValueError, RecursionError):
        fields = None
    if not isinstance(fields, dict) or str(fields.get("edit")) not in EDITS:
        raise DomainError(_("Unknown action."))
    fields = {str(k): str(v).replace("\r\n", "\n") for k, v in fields.items()}
    try:
        definition = EDITS[fields["edit"]](definition, fields)
    except (AttributeError, KeyError, TypeError, ValueError):  # a definition no page of the builder sends
        raise DomainError(_("The builder sent a scenario it could not read; reload the page.")) from None
    return _built(scenario, version, is_draft, definition, fields.get("made", ""))


def save_built(slug: str, definition_text: str | None, actor: User, based_on: str | None) -> tuple[Scenario, bool]:
    """Save the builder's definition as the YAML editor saves its text; (scenario, whether it changed)."""
    scenario, version, _draft = require_editable(slug)
    text = builder_yaml.dump_definition(posted_definition(definition_text), sync.source_of(version))
    return scenario, sync.save_scenario_source(scenario, text, actor, based_on)


# ---------------------------------------------------------------- play from here


@dataclass
class Trial:
    """A practice call of the draft, carried by the page (nothing is stored)."""

    scenario: engine.Scenario
    state: engine.CallState
    node: engine.Node | None  # the turn it waits on; None once it has ended

    @property
    def prompt(self) -> str:
        return engine.fill(self.node.prompt, self.state.variant) if self.node else ""

    @property
    def options(self) -> list[tuple[int, str]]:
        return [(o.index, engine.fill(o.say, self.state.variant)) for o in getattr(self.node, "options", ())]

    @property
    def state_json(self) -> str:
        return json.dumps(self.state.as_dict(), ensure_ascii=False)


def _compiled(definition: dict) -> engine.Scenario:
    try:
        return compile_scenario(definition)
    except engine.ScenarioError as exc:
        raise DomainError(_("The draft cannot be played yet: %(problem)s", problem=exc.message)) from None


def _state(scenario: engine.Scenario, state_text: str | None, start: str, agent_id: str) -> engine.CallState:
    if not state_text:
        if start not in scenario.nodes:
            raise DomainError(_("Choose the node to play from."))
        return engine.begin(dataclasses.replace(scenario, start=start), 0, agent_id)
    try:
        state = engine.CallState.from_dict(json.loads(state_text))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise DomainError(_("The practice call could not be read; start it again.")) from None
    if state.node not in scenario.nodes:
        raise DomainError(_("The practice call could not be read; start it again."))
    return state


def try_from_here(definition_text: str | None, start: str, state_text: str | None, reply: dict,
                  agent_id: str) -> Trial:
    """Start the draft at ``start``, or take the reply (an option, a typed text or the time running out)
    at the turn the posted state waits on."""
    scenario = _compiled(posted_definition(definition_text))
    state = _state(scenario, state_text, start, agent_id)
    if state_text and not state.finished:
        try:
            if reply.get("timed_out"):
                engine.time_out(scenario, state)
            else:
                engine.reply(scenario, state, engine.Reply(reply.get("option"), reply.get("text")))
        except engine.ScenarioError as exc:
            raise DomainError(exc.message) from None
        except (AttributeError, KeyError, TypeError, IndexError):  # a state no page of the builder sends
            raise DomainError(_("The practice call could not be read; start it again.")) from None
    return Trial(scenario, state, None if state.finished else scenario.nodes[state.node])
