"""The call builder's core: the graph of a definition, the edits, the validator's findings in words, and
the round trip — every shipped scenario opened in the builder, every one of its forms applied as shown,
and written back gives its file byte for byte."""

import difflib
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import render_template

from lms.calls import builder, builder_edits, builder_rubric, builder_yaml
from lms.calls.builder_service import EDITS, Builder
from lms.calls.labels import call_labels
from lms.content.files import load_yaml
from lms.errors import DomainError

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(ROOT.glob("courses/*/scenarios/*.yaml"))


def _as_posted(data: dict) -> dict:
    """What the page holds and posts back: the definition through JSON."""
    return json.loads(json.dumps(data, ensure_ascii=False))


class _Forms(HTMLParser):
    """The builder's forms as the browser would send them: [(edit, {name: value})]."""

    def __init__(self):
        super().__init__()
        self.forms, self.select, self.textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        fields = self.forms[-1][1] if self.forms else None
        if tag == "form":
            self.forms.append((a.get("data-edit"), {}))
        elif tag == "input" and fields is not None and a.get("name"):
            if a.get("type") != "checkbox" or "checked" in a:
                fields[a["name"]] = a.get("value") or ""
        elif tag == "select" and fields is not None and a.get("name"):
            self.select = a["name"]
            fields.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in a:
            fields[self.select] = a.get("value", "")
        elif tag == "textarea" and fields is not None:
            self.textarea = a["name"]
            fields[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.forms[-1][1][self.textarea] += data


def _forms_of(definition: dict) -> list[tuple[str, dict]]:
    built = Builder(None, None, False, definition, "", builder.graph(definition), [], {})
    html = render_template("calls/admin/_builder_forms.html", built=built, **call_labels())
    parser = _Forms()
    parser.feed(html)
    # A textarea's first newline is not part of its value (HTML).
    return [(edit, {k: v.removeprefix("\n") for k, v in fields.items()}) for edit, fields in parser.forms]


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_a_shipped_scenario_saved_unchanged_from_the_builder_is_byte_identical(app, path):
    text = path.read_text(encoding="utf-8")
    definition = _as_posted(builder_yaml.data_of(text))
    with app.test_request_context("/"):
        forms = _forms_of(definition)
        applied = 0
        for edit, fields in forms:
            if edit and edit.startswith("update_"):
                definition = EDITS[edit](definition, dict(fields, edit=edit))
                applied += 1
        assert applied >= len(definition["nodes"]) + len(definition["rubric"])
        assert builder_yaml.dump_definition(_as_posted(definition), text) == text


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_a_change_rewrites_only_the_lines_of_what_changed(app, path):
    text = path.read_text(encoding="utf-8")
    written_before = load_yaml(text, "x")
    definition = builder_yaml.data_of(text)
    definition["title"] = "改過的標題"
    definition["rubric"][0]["weight"] = 37
    definition["nodes"].append({"id": "c_new", "type": "customer", "say": "新的一句。\n第二行。", "goto": "end"})
    written = builder_yaml.dump_definition(definition, text)
    assert builder_yaml.data_of(written) == definition
    lines = text.splitlines()
    rubric = written_before["rubric"]
    first_criterion = lines[rubric.lines[0] - 1:rubric.lines[1] - 1]
    removed = [line[2:] for line in difflib.ndiff(lines, written.splitlines()) if line.startswith("- ")]
    assert set(removed) <= {lines[written_before.line_of("title") - 1], *first_criterion}
    assert [line for line in lines if line.startswith("#")] == [line for line in written.splitlines()
                                                                  if line.startswith("#")]


def test_data_that_cannot_be_spliced_is_written_in_the_export_style_under_the_opening_comment(app):
    text = "# 說明\nslug: x\nnodes: [{id: a, type: end}]\n"
    written = builder_yaml.dump_definition({"slug": "x", "nodes": [{"id": "a", "type": "end", "say": "好"}]}, text)
    assert written == "# 說明\nslug: x\nnodes:\n- id: a\n  type: end\n  say: 好\n"
    assert builder_yaml.dump_definition({"slug": "y"}, None) == "slug: y\n"


def _transfer() -> dict:
    return builder_yaml.data_of((ROOT / "courses/pro-201-phone-service/scenarios/transfer-with-consent.yaml")
                           .read_text(encoding="utf-8"))


def test_the_graph_has_every_node_and_way_on_with_its_reply_condition_and_timeout(app):
    with app.test_request_context("/"):
        graph = builder.graph(_transfer())
    nodes = {n["data"]["id"]: n["data"] for n in graph["nodes"]}
    assert nodes["ring"]["start"] and nodes["ring"]["kind"] == "choice"
    assert nodes["c_open"]["kind"] == "customer" and nodes["end_blind"]["kind"] == "end"
    edges = [(e["data"]["source"], e["data"]["target"], e["data"]["label"]) for e in graph["edges"]]
    assert ("ring", "greet", "逾時") in edges
    assert ("a_transfer", "c_agree", "回覆 1，若 patience >= 2") in edges
    assert ("c_open", "a_listen", "") in edges


def test_an_arrow_to_a_missing_node_is_left_to_the_validator(app):
    definition = _transfer()
    definition["nodes"][2]["goto"] = "nowhere"
    with app.test_request_context("/"):
        graph = builder.graph(definition)
        found = builder.problems(definition, None)
    assert not [e for e in graph["edges"] if e["data"]["source"] == "c_open"]
    assert found[0]["node"] == "c_open"
    assert "nowhere" in found[0]["message"] and found[0]["place"] == "節點 c_open"


def test_a_finding_names_the_reply_in_words(app):
    definition = _transfer()
    definition["nodes"][1]["options"][1]["marks"] = {"opening": "great"}
    with app.test_request_context("/"):
        found = builder.problems(definition, None)
    assert found[0]["node"] == "greet" and found[0]["place"] == "節點 greet，回覆 2"


def test_adding_a_node_after_another_connects_it_and_names_it(app):
    definition = _transfer()
    with app.test_request_context("/"):
        fields = {"kind": "customer", "after": "c_yes"}
        builder_edits.add_node(definition, fields)
    new = fields["made"]
    assert new == "c_1"
    ids = [n["id"] for n in definition["nodes"]]
    assert ids[ids.index("c_yes") + 1] == new
    assert next(n for n in definition["nodes"] if n["id"] == "c_yes")["goto"] == new
    assert definition["nodes"][ids.index(new)]["goto"] == "a_verify"  # put in between


def test_connecting_from_a_choice_turn_adds_a_reply_or_sets_the_one_named(app):
    definition = _transfer()
    with app.test_request_context("/"):
        builder_edits.connect(definition, {"source": "greet", "target": "end_hangup"})
        greet = next(n for n in definition["nodes"] if n["id"] == "greet")
        assert greet["options"][-1] == {"say": "", "goto": "end_hangup"}
        builder_edits.connect(definition, {"source": "greet", "target": "c_yes", "option_number": "1"})
        assert greet["options"][0]["goto"] == "c_yes"
        builder_edits.connect(definition, {"source": "ring", "target": "end_hangup", "via": "timeout"})
        assert next(n for n in definition["nodes"] if n["id"] == "ring")["timer"]["timeout"]["goto"] == "end_hangup"
        with pytest.raises(DomainError):
            builder_edits.connect(definition, {"source": "end_blind", "target": "greet"})


def test_a_conditional_way_on_keeps_its_conditions_when_connected_elsewhere(app):
    definition = _transfer()
    with app.test_request_context("/"):
        builder_edits.connect(definition, {"source": "a_close_transfer", "target": "end_hangup", "option_number": "2"})
    option = next(n for n in definition["nodes"] if n["id"] == "a_close_transfer")["options"][1]
    assert option["goto"] == [{"if": "consent_given", "to": "end_transferred"}, {"to": "end_hangup"}]


def test_moving_a_reply_reorders_and_renaming_a_node_follows_every_way_to_it(app):
    definition = _transfer()
    with app.test_request_context("/"):
        builder_edits.move_option(definition, {"node": "a_listen", "option": "2", "to": "0"})
        builder_edits.rename_node(definition, {"node": "c_already_said", "name": "c_said_it"})
        with pytest.raises(DomainError):
            builder_edits.rename_node(definition, {"node": "c_yes", "name": "greet"})
    listen = next(n for n in definition["nodes"] if n["id"] == "a_listen")
    assert listen["options"][0]["say"].startswith("好好好") and listen["options"][0]["goto"] == "c_said_it"
    assert any(n["id"] == "c_said_it" for n in definition["nodes"])


def test_a_form_changes_only_what_was_changed_and_keeps_fields_it_does_not_know(app):
    definition = _transfer()
    definition["nodes"][2]["media"] = {"audio": "clip-1", "transcript": "客戶的錄音"}  # another helper's field
    with app.test_request_context("/"):
        fields = dict(next(f for e, f in _forms_of(definition) if f.get("node") == "a_listen"))
        fields["opt0.mark.listen"] = ""
        fields["opt0.mark.privacy"] = "breached"
        fields["opt1.set"] = "patience = patience - 2"
        fields["opt1.if.1"], fields["opt1.to.1"] = "patience <= 1", "end_hangup"
        builder_edits.update_node(definition, fields)
        c_open = dict(next(f for e, f in _forms_of(definition) if f.get("node") == "c_open"))
        builder_edits.update_node(definition, c_open)
    listen = next(n for n in definition["nodes"] if n["id"] == "a_listen")
    assert listen["options"][0]["marks"] == {"privacy": "breached"}
    assert listen["options"][1]["set"] == {"patience": "patience - 2"}
    assert listen["options"][1]["goto"] == [{"if": "patience <= 1", "to": "end_hangup"}, {"to": "c_already_said"}]
    assert definition["nodes"][2]["media"] == {"audio": "clip-1", "transcript": "客戶的錄音"}
    assert definition["variables"] == {"patience": 3, "consent_given": False}


def test_a_timer_typed_phrases_and_an_ending_from_their_forms(app):
    definition = _transfer()
    with app.test_request_context("/"):
        builder_edits.add_node(definition, fields := {"kind": "typed", "after": ""})
        typed = fields["made"]
        builder_edits.add_matcher(definition, {"node": typed, "criterion": "consent"})
        builder_edits.update_node(definition, {"node": typed, "prompt": "請說明", "timer.seconds": "20",
                                               "crit.consent.any": "可以嗎\n同意嗎", "to.0": "end_blind"})
        builder_edits.update_node(definition, {"node": "end_blind", "outcome": "escalated", "praises.shown": "1",
                                               "praise.tell_whom": "1"})
    node = next(n for n in definition["nodes"] if n["id"] == typed)
    assert node["free_text"]["criteria"]["consent"]["any"] == ["可以嗎", "同意嗎"]
    assert node["timer"] == {"seconds": 20, "timeout": {}} and node["goto"] == "end_blind"
    ending = next(n for n in definition["nodes"] if n["id"] == "end_blind")
    assert ending["outcome"] == "escalated" and ending["praises"] == ["tell_whom"]


def test_the_rubric_and_variables_from_their_forms(app):
    definition = _transfer()
    with app.test_request_context("/"):
        builder_rubric.add_criterion(definition, {"name": "empathy", "title": "同理客戶", "weight": "15",
                                                  "standards": "4.1.2-a, 4.1.2-b", "critical": "1"})
        builder_rubric.update_criterion(definition, {"criterion": "listen", "title": "聽完再回應", "weight": "10",
                                                     "standards": "4.1.2-a"})
        builder_rubric.set_variable(definition, {"name": "tries", "value": "0"})
        builder_rubric.set_variable(definition, {"name": "patience", "value": "3"})
        with pytest.raises(DomainError):
            builder_rubric.set_variable(definition, {"name": "bad", "value": "patience + 1"})
    assert definition["rubric"][-1] == {"id": "empathy", "title": "同理客戶", "weight": 15,
                                        "standards": ["4.1.2-a", "4.1.2-b"], "critical": True}
    assert definition["rubric"][1] == {"id": "listen", "title": "聽完再回應", "weight": 10, "standards": ["4.1.2-a"]}
    assert definition["variables"] == {"patience": 3, "consent_given": False, "tries": 0}
