"""What a debrief recommends: lessons on the missed criteria's standard items, from courses of the tiers
and audience meant for the learner (a new hire is never sent to a development or management course)."""

from datetime import date, timedelta
from pathlib import Path

import yaml

from lms.accounts.models import Role
from lms.calls import definition as definitions
from lms.calls import scoring
from lms.calls.recommendations import is_new_hire, recommended_lessons, tiers_for
from lms.courses.models import Tier

FIXTURE = Path(__file__).parent.parent / "fixtures/content/courses/tst-201-phone/scenarios/tst-call.yaml"
TODAY = date(2026, 12, 7)


def _result(**marks):
    scenario = definitions.compile_scenario(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")))
    return scoring.score(scenario, [[cid, mark, 0] for cid, mark in marks.items()])


def test_a_new_hire_reads_foundation_and_professional_courses_only(make):
    hire = make.user(Role.LEARNER, hire_date=TODAY - timedelta(days=10))
    veteran = make.user(Role.LEARNER, hire_date=TODAY - timedelta(days=800))
    manager = make.user(Role.MANAGER, hire_date=TODAY - timedelta(days=5))
    assert is_new_hire(hire, TODAY, 90) and not is_new_hire(veteran, TODAY, 90)
    assert is_new_hire(make.user(Role.LEARNER), TODAY, 90)  # no hire date: treated as new
    assert tiers_for(hire, True) == {Tier.FOUNDATION, Tier.PROFESSIONAL}
    assert tiers_for(veteran, False) == {Tier.FOUNDATION, Tier.PROFESSIONAL, Tier.DEVELOPMENT}
    assert tiers_for(manager, is_new_hire(manager, TODAY, 90)) == set(Tier)


def test_the_debrief_recommends_the_lessons_meant_for_the_learner(make):
    make.content()
    hire = make.user(Role.LEARNER, hire_date=TODAY - timedelta(days=10))
    manager = make.user(Role.MANAGER)
    missed_closing = _result(pickup="met", closing="missed")  # 4.1.3-a: TST-201 (professional), TST-301 (management)
    for_hire = [lesson.label for lesson in recommended_lessons(missed_closing, hire, TODAY)]
    assert any(label.startswith("TST-201") for label in for_hire)
    assert not any(label.startswith("TST-301") for label in for_hire)
    for_manager = [lesson.label for lesson in recommended_lessons(missed_closing, manager, TODAY)]
    assert any(label.startswith("TST-301") for label in for_manager)
    assert recommended_lessons(_result(pickup="met", closing="met"), hire, TODAY) == []
