"""The registry of node kinds: a kind registered here, in the test suite alone, is compiled, validated,
played (by the engine and through the pages), scored, explored and drawn without a change anywhere else."""

import copy
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import select

from lms.accounts.models import Role
from lms.calls import definition as definitions
from lms.calls import engine, paths, scoring
from lms.calls.diagram import render_svg
from lms.calls.engine import CallState, Event, MissingReply, Node, Outcome, Reply, ScenarioError, fill
from lms.calls.loader import ScenarioSpec
from lms.calls.models import CallAttempt, CallTurn
from lms.calls.nodes import NODE_KINDS, kind_for
from lms.calls.sync import save_scenario
from lms.db import db

FIXTURE = Path(__file__).parent.parent / "fixtures/content/courses/tst-201-phone/scenarios/tst-call.yaml"
KEYPAD_PARTIAL = """<label for="digits">{{ turn.node.prompt }}</label>
<input id="digits" name="text" inputmode="numeric"><button type="submit">OK</button>"""


@dataclass(frozen=True)
class KeypadTurn(Node):
    """The agent keys in the member number the customer reads out: the right number meets the
    criterion and goes one way, any other misses it and goes the other."""

    code: str = ""
    right: Outcome = Outcome()
    wrong: Outcome = Outcome()

    kind = "keypad"
    type = "keypad"
    waits = True
    turn_kind = "text"
    partial = "tests/_keypad.html"
    label = "keypad"

    @classmethod
    def compile(cls, raw: dict, nid: str, where: str) -> "KeypadTurn":
        if not raw.get("code") or not raw.get("criterion") or not raw.get("right") or not raw.get("wrong"):
            raise ScenarioError("a keypad needs code, criterion, right and wrong", where)
        criterion = str(raw["criterion"])
        return cls(nid, prompt=str(raw.get("prompt") or ""), code=str(raw["code"]),
                   right=Outcome(marks=((criterion, "met"),), goto=((None, str(raw["right"])),)),
                   wrong=Outcome(marks=((criterion, "missed"),), goto=((None, str(raw["wrong"])),)))

    def check_parts(self, checks, where: str) -> None:
        checks.outcome(self.right, where + " right")
        checks.outcome(self.wrong, where + " wrong")

    def successors(self):
        return self.right.ways_on() + self.wrong.ways_on()

    def arrive(self, state: CallState) -> None:
        state.events.append(Event("narration", self.id, fill(self.prompt, state.variant)))

    def reply(self, state: CallState, reply: Reply):
        if reply.text is None:
            raise MissingReply("Key in the number.", "text")
        digits = "".join(ch for ch in reply.text if ch.isdigit())
        return Event("agent", self.id, digits), self.right if digits == self.code else self.wrong

    def replies_to_explore(self, variant):
        return [Reply(text=self.code), Reply(text="0")]


KEYPAD = {"id": "a_verify", "type": "keypad", "prompt": "請輸入客戶唸出的會員編號。", "code": "4321",
          "criterion": "verify", "right": "c_thanks", "wrong": "c_unsure"}


@pytest.fixture
def keypad(monkeypatch):
    """The kind, registered for this test only: the registry is put back afterwards."""
    monkeypatch.setitem(NODE_KINDS, "keypad", KeypadTurn)
    return KeypadTurn


def _definition(slug="tst-keypad") -> dict:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data["slug"] = slug
    data["nodes"] = [dict(KEYPAD) if n["id"] == "a_verify" else n for n in data["nodes"]]
    return data


def test_a_node_kind_registered_here_is_compiled_validated_played_scored_and_drawn(keypad):
    scenario = definitions.compile_scenario(_definition())
    assert isinstance(scenario.nodes["a_verify"], keypad) and kind_for(KEYPAD) is keypad
    assert definitions.validate(scenario, None) == []

    state = engine.begin(scenario, 0, "E0001")
    for option in (0, 0, 0):  # pick up, greet, apologise
        engine.choose_reply(scenario, state, option)
    assert state.node == "a_verify" and state.events[-1].text == "請輸入客戶唸出的會員編號。"
    with pytest.raises(MissingReply):
        engine.choose_reply(scenario, state, 0)
    event = engine.type_reply(scenario, state, "43-21")
    assert event.marks == [["verify", "met"]] and state.node == "a_close"
    engine.choose_reply(scenario, state, 0)
    assert state.finished and scoring.score(scenario, state.marks).percent == 100.0

    extremes = paths.end_extremes(scenario)
    assert extremes["end_callback"][0] == 100.0
    assert {p.nodes[-1] for p in paths.walk_paths(scenario)} == {"end_callback", "end_resolved", "end_hangup"}
    assert ">keypad<" in render_svg(scenario, extremes, "title")


def test_the_kind_checks_itself(keypad):
    data = _definition()
    broken = copy.deepcopy(data)
    next(n for n in broken["nodes"] if n["id"] == "a_verify")["right"] = "nowhere"
    errors = [str(e) for e in definitions.validate(definitions.compile_scenario(broken), None)]
    assert errors == ["node a_verify right: goes to unknown node nowhere"]
    del next(n for n in data["nodes"] if n["id"] == "a_verify")["code"]
    with pytest.raises(ScenarioError, match="node a_verify: a keypad needs code"):
        definitions.compile_scenario(data)


def test_an_unregistered_kind_is_refused_naming_the_kinds_there_are():
    with pytest.raises(ScenarioError, match="type must be one of agent, customer, end"):
        definitions.compile_scenario(_definition())


def test_the_kind_plays_through_the_pages(keypad, app, client, auth, make, monkeypatch):
    make.content()
    monkeypatch.setattr(app, "jinja_loader", ChoiceLoader([DictLoader({keypad.partial: KEYPAD_PARTIAL}),
                                                           app.jinja_loader]))
    save_scenario(ScenarioSpec("tst-keypad", "", _definition()))
    db.session.commit()
    learner = make.user(Role.LEARNER)
    auth.login(learner)
    response = client.post("/calls/tst-keypad/start", data={"mode": "practice"})
    call_id = int(re.search(r"/calls/attempts/(\d+)", response.headers["Location"]).group(1))
    for option in (0, 0, 0):
        client.post(f"/calls/attempts/{call_id}/reply", data={"option": option})
    page = client.get(f"/calls/attempts/{call_id}").get_data(as_text=True)
    assert 'inputmode="numeric"' in page and "請輸入客戶唸出的會員編號。" in page
    refused = client.post(f"/calls/attempts/{call_id}/reply", data={"option": 0}, follow_redirects=True)
    assert "Key in the number." in refused.get_data(as_text=True)
    client.post(f"/calls/attempts/{call_id}/reply", data={"text": "4321"})
    client.post(f"/calls/attempts/{call_id}/reply", data={"option": 0})
    attempt = db.session.get(CallAttempt, call_id)
    assert attempt.percent == 100.0 and attempt.criteria["verify"] == "met"
    typed = db.session.scalar(select(CallTurn).where(CallTurn.attempt_id == call_id, CallTurn.node_id == "a_verify"))
    assert typed.kind == "text" and typed.text == "4321" and not typed.needs_review
    assert "請輸入客戶唸出的會員編號。" in client.get(f"/calls/attempts/{call_id}/debrief").get_data(as_text=True)
    auth.logout()
    auth.login(make.user(Role.TRAINER))
    assert ">keypad<" in client.get("/calls/manage/tst-keypad").get_data(as_text=True)
