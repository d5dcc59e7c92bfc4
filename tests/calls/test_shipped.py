"""The shipped scenarios: they load, they cover what the curriculum promises, and every path ends with
a score that is exactly the sum of its criteria."""

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.calls import definition, engine, scoring
from lms.calls.channels import channel_named
from lms.calls.loader import load_scenarios
from lms.calls.nodes.ending import OUTCOMES
from lms.calls.paths import walk_paths
from lms.standards.loader import load_standards

COURSES = Path(__file__).parent.parent.parent / "courses"


@pytest.fixture(scope="module")
def shipped():
    _chapters, problems, item_codes = load_standards(COURSES / "standards")
    assert problems == []
    specs, errors = load_scenarios(COURSES, item_codes)
    assert errors == []
    return {spec.slug: definition.compile_scenario(spec.definition) for spec in specs}


def test_at_least_ten_scenarios_cover_every_kind_of_call(shipped):
    assert len(shipped) >= 10
    kinds = Counter(s.category for s in shipped.values())
    for kind in ("inquiry", "technical", "service", "suggestion", "complaint", "crisis", "transfer", "privacy",
                 "etiquette"):
        assert kinds[kind] >= 1, kind
    assert kinds["complaint"] >= 2  # one of them escalates
    assert any(n.free_text for s in shipped.values() for n in s.nodes.values())
    assert any(n.timer for s in shipped.values() for n in s.nodes.values())
    assert any(c.critical for s in shipped.values() for c in s.rubric)


def test_each_scenario_has_six_agent_turns_and_three_endings(shipped):
    """A phone call has at least six turns and three endings; a written exercise (an e-mail, an SMS, a
    social-media reply) is shorter by nature: at least three replies and two endings."""
    for slug, scenario in shipped.items():
        paths = walk_paths(scenario)
        assert paths, slug
        turns, endings = (3, 2) if channel_named(scenario.channel).is_written else (6, 3)
        assert max(p.agent_turns for p in paths) >= turns, slug
        assert len({p.nodes[-1] for p in paths}) >= endings, slug
        assert len({p.outcome for p in paths}) >= 2, slug
        assert any(p.score.passed for p in paths) and not all(p.score.passed for p in paths), slug


def test_written_exercises_cover_every_channel_and_chapter_4_is_assessed(shipped):
    """Issue 15: 4.2 (chat, social media) and 4.3 (e-mail, SMS) have exercises of their own, and at
    least 80 % of chapter 4's items are assessed by a call or exercise criterion."""
    channels = Counter(s.channel for s in shipped.values())
    assert all(channels[name] >= 1 for name in ("chat", "social", "email", "sms")), channels
    assert sum(n for name, n in channels.items() if name != "phone") >= 6
    _chapters, _problems, item_codes = load_standards(COURSES / "standards")
    chapter4 = {code for code in item_codes if code.startswith("4.")}
    cited = {code for s in shipped.values() for c in s.rubric for code in c.standards}
    assert len(chapter4 & cited) >= 0.8 * len(chapter4)
    assert {"4.2.1-a", "4.2.2-b", "4.3.1-c", "4.3.2-a"} <= cited


def test_every_variant_fills_every_placeholder(shipped):
    for slug, scenario in shipped.items():
        for variant in scenario.variants:
            values = dict(variant, agent_id="1024")
            for node in scenario.nodes.values():
                for text in [node.say, node.prompt, node.summary] + [o.say for o in node.options]:
                    assert "{" not in engine.fill(text, values), (slug, node.id)
            for text in scenario.thread.values():
                assert "{" not in engine.fill(text, values), (slug, "thread")


@given(st.data())
@settings(max_examples=150, deadline=None)
def test_property_random_walks_end_and_score_the_sum_of_their_criteria(shipped, data):
    slug = data.draw(st.sampled_from(sorted(shipped)))
    scenario = shipped[slug]
    state = engine.begin(scenario, data.draw(st.integers(0, 10)), "1024")
    for _ in range(100):
        if state.finished:
            break
        node = scenario.nodes[state.node]
        moves = ["timeout"] if node.timer else []
        moves += ["text"] if node.free_text else [f"option {o.index}" for o in node.options]
        move = data.draw(st.sampled_from(moves))
        if move == "timeout":
            engine.time_out(scenario, state)
        elif move == "text":
            phrases = [p for m in node.matchers for p in m.any + m.all + m.none]
            chosen = data.draw(st.lists(st.sampled_from(phrases), max_size=4)) if phrases else []
            engine.type_reply(scenario, state, "，".join(chosen) + data.draw(st.text(max_size=10)))
        else:
            engine.choose_reply(scenario, state, int(move.split()[1]))
    assert state.finished, f"{slug}: the call did not end"
    assert state.outcome in OUTCOMES
    result = scoring.score(scenario, state.marks)
    assert result.points == sum(r.points for r in result.criteria)
    assert result.possible == sum(r.criterion.weight for r in result.criteria if r.status is not None)
    assert result.percent == (round(100 * result.points / result.possible, 1) if result.possible else 0.0)
    assert result.passed == (result.percent >= scenario.pass_mark and not result.critical_failed)
