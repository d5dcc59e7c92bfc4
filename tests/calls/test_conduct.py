"""Endings follow conduct: the validator refuses an ending that praises what a call reaching it failed,
and a pleased customer at the end of a call that failed a critical criterion; the shipped calls follow it."""

import copy
from pathlib import Path

import pytest
import yaml

from lms.calls import definition as definitions
from lms.calls import engine
from lms.calls.loader import load_scenarios
from lms.calls.paths import end_extremes, marks_at_endings, walk_paths
from lms.standards.loader import load_standards

ROOT = Path(__file__).parent.parent.parent
FIXTURE = ROOT / "tests/fixtures/content/courses/tst-201-phone/scenarios/tst-call.yaml"
ITEMS = {"4.1.1-a", "4.1.1-b", "4.1.3-a", "4.1.3-b", "5.2.1-a", "5.2.1-b"}


def fixture() -> dict:
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def node(data: dict, nid: str) -> dict:
    return next(n for n in data["nodes"] if n["id"] == nid)


def errors_of(data: dict) -> list[str]:
    return [str(e) for e in definitions.validate(definitions.compile_scenario(data), ITEMS)]


def test_an_ending_that_praises_what_a_call_reaching_it_missed_is_refused():
    data = fixture()
    node(data, "end_callback").update(praises=["apology"], summary="你先致歉，做得好。")
    errors = errors_of(data)
    assert any("node end_callback" in e and "praises apology" in e and "missed" in e for e in errors), errors


def test_a_pleased_customer_after_a_critical_breach_is_refused_until_the_way_depends_on_it():
    data = fixture()
    data["rubric"][2]["critical"] = True  # the apology
    node(data, "end_resolved").update(mood="satisfied", say="太好了，謝謝你！")
    errors = errors_of(data)
    assert any("node end_resolved" in e and "satisfied" in e and "apology" in e for e in errors), errors

    # The fix: the reply that leaves out the apology sets a variable, and the way to the ending reads it.
    data["variables"]["apologised"] = False
    node(data, "a_apology")["options"][0]["set"] = {"apologised": "true"}
    close = node(data, "a_close")
    for option in close["options"]:
        option["goto"] = [{"if": "not apologised", "to": "end_cold"}, {"to": option["goto"]}]
    data["nodes"].append({"id": "end_cold", "type": "end", "outcome": "resolved", "mood": "annoyed",
                          "say": "嗯。", "summary": "沒有致歉，客戶沒有消氣。"})
    assert errors_of(data) == []


def test_a_critical_breach_in_the_bad_scenario_reaches_only_the_unhappy_ending():
    data = copy.deepcopy(fixture())
    data["rubric"][2]["critical"] = True
    data["variables"]["apologised"] = False
    node(data, "a_apology")["options"][0]["set"] = {"apologised": "true"}
    for option in node(data, "a_close")["options"]:
        option["goto"] = [{"if": "not apologised", "to": "end_cold"}, {"to": option["goto"]}]
    node(data, "end_resolved").update(mood="satisfied")
    data["nodes"].append({"id": "end_cold", "type": "end", "outcome": "resolved", "mood": "annoyed",
                          "say": "嗯。", "summary": "沒有致歉。"})
    scenario = definitions.compile_scenario(data)
    reached = marks_at_endings(scenario)
    assert all(worst.get("apology") == "met" for worst in reached["end_resolved"])
    assert any(worst.get("apology") == "missed" for worst in reached["end_cold"])


def test_an_ending_mood_or_praise_must_be_known():
    data = fixture()
    node(data, "end_resolved")["mood"] = "delighted"
    with pytest.raises(engine.ScenarioError, match="mood must be one of"):
        definitions.compile_scenario(data)
    data = fixture()
    node(data, "end_resolved")["praises"] = ["charm"]
    assert any("praises unknown criterion charm" in e for e in errors_of(data))


# ---------------------------------------------------------------- the shipped calls


@pytest.fixture(scope="module")
def shipped():
    _chapters, _problems, item_codes = load_standards(ROOT / "courses" / "standards")
    specs, errors = load_scenarios(ROOT / "courses", item_codes)
    assert errors == []
    return {spec.slug: definitions.compile_scenario(spec.definition) for spec in specs}


def test_every_shipped_ending_with_last_words_says_how_the_customer_sounds(shipped):
    for slug, scenario in shipped.items():
        for end in (n for n in scenario.nodes.values() if n.ends_call and n.say):
            assert end.mood, f"{slug}: {end.id} has last words but no mood"


def test_complaint_calls_fail_without_the_apology(shipped):
    for slug, scenario in shipped.items():
        if scenario.category != "complaint":
            continue
        apology = [c for c in scenario.rubric if "5.2.1-a" in c.standards]
        assert apology and all(c.critical for c in apology), slug
        paths = walk_paths(scenario)
        for path in paths:
            status = {r.criterion.id: r.status for r in path.score.criteria}
            if any(status[c.id] in ("missed", "breached") for c in apology):
                assert not path.score.passed, (slug, path.nodes)
                assert scenario.nodes[path.nodes[-1]].mood not in ("relieved", "satisfied"), (slug, path.nodes)


def test_the_privacy_call_never_ends_pleased_or_praising_after_a_disclosure(shipped):
    scenario = shipped["privacy-trap-family-member"]
    for end, reached in marks_at_endings(scenario).items():
        if any(worst.get("no_disclosure") == "breached" for worst in reached):
            assert scenario.nodes[end].mood not in ("relieved", "satisfied")
            assert "no_disclosure" not in scenario.nodes[end].praises
            assert scenario.nodes[end].end_outcome != "resolved"


def test_the_crisis_call_promises_only_what_the_unified_statement_says(shipped):
    scenario = shipped["crisis-regional-outage"]
    statement = scenario.nodes["a_statement"].prompt
    assert "簡訊" not in statement
    for n in scenario.nodes.values():
        for option in n.options:
            if "會用簡訊" in option.say:  # a promise of a text message the statement does not make
                assert ("no_promise", "missed") in option.outcome.marks, (n.id, option.say)
    assert end_extremes(scenario)["end_escalated"][0] == 100.0  # the best call keeps to the statement
