"""Survey and observation-plan files: what loads, and errors that name the file, line and field."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.content.files import load_yaml
from lms.evaluation.plan_loader import check_plan_references, load_plans, plan_from_data
from lms.evaluation.survey_loader import check_survey_references, load_surveys, survey_from_data
from tests.factories import FIXTURE_CONTENT, SHIPPED_CONTENT

GOOD = """slug: s1
title: 問卷
offer:
  after: [course]
  courses: [PRO-205]
items:
  - {id: a, kind: likert, text: 甲}
  - {id: r, kind: nps, text: 推薦}
  - {id: c, kind: comment, text: 意見}
"""


def _survey(text):
    return survey_from_data(load_yaml(text, "courses/surveys/s1.yaml"), "courses/surveys/s1.yaml")


def test_a_good_survey_loads_with_its_defaults(app):
    spec, errors = _survey(GOOD)
    assert errors == []
    assert spec.definition["offer"] == {"after": ["course"], "courses": ["PRO-205"]}
    assert [(i["id"], i["required"]) for i in spec.definition["items"]] == [("a", True), ("r", True), ("c", False)]
    assert check_survey_references([spec], {"PRO-205"}) == []
    [error] = check_survey_references([spec], {"PRO-201"})
    assert (error.path, error.line, error.field) == ("courses/surveys/s1.yaml", 5, "offer.courses")
    assert "PRO-205" in error.message


def test_survey_errors_name_line_and_field(app):
    text = GOOD.replace("kind: likert", "kind: stars").replace("id: c, kind: comment", "id: a, kind: comment")
    _spec, errors = _survey(text)
    assert {(e.line, e.field) for e in errors} == {(7, "kind"), (9, "id")}  # unknown kind; id used twice
    _spec, errors = _survey(GOOD.replace("id: c, kind: comment", "id: c, kind: nps"))
    assert [(e.line, e.field) for e in errors] == [(6, "items")]  # two recommendation questions


def test_survey_needs_offer_and_a_rated_item(app):
    _spec, errors = _survey("slug: s1\ntitle: t\nitems:\n  - {id: c, kind: comment, text: x}\n")
    assert {e.field for e in errors} == {"offer", "items"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(st.sampled_from(["slug", "title", "offer", "items", "id", "kind", "text",
                                                       "after", "courses", "required", "x"]), children, max_size=5),
                    max_leaves=20))
def test_any_survey_data_gives_a_spec_or_errors_never_a_crash(app, data):
    import yaml

    with app.test_request_context("/"):
        text = yaml.safe_dump({"root": data}, allow_unicode=True)
        loaded = load_yaml(text, "f.yaml")["root"]
        spec, errors = survey_from_data(loaded, "f.yaml")
    assert (spec is None) == bool(errors)
    assert all(e.path == "f.yaml" for e in errors)


def test_plans_load_and_their_references_are_checked(app, tmp_path: Path):
    specs, errors = load_plans(FIXTURE_CONTENT / "courses")
    assert errors == [] and {(s.slug, s.source_kind, s.source_key) for s in specs} == {
        ("tst-follow-up", "course", "TST-201"), ("tst-cert-follow-up", "certification", "tst-cert")}
    problems = check_plan_references(specs, {"course": {"TST-201"}, "programme": {"tst-cert"}, "scenario": {"other"}})
    assert sorted((e.path.split("/")[-1], e.field) for e in problems) == [
        ("tst-cert-follow-up.yaml", "scenario"), ("tst-follow-up.yaml", "scenario")]


def test_plan_errors_name_line_and_field(app):
    data = load_yaml("slug: p\ntitle: t\nafter: {team: 3}\nscenario: x\ndays: [30, 30, 400]\nobserver: boss\n",
                     "courses/observations/p.yaml")
    _spec, errors = plan_from_data(data, "courses/observations/p.yaml")
    assert {(e.line, e.field) for e in errors} == {(3, "after"), (5, "days"), (6, "observer")}


def test_shipped_surveys_and_plans_load(app):
    surveys, errors = load_surveys(SHIPPED_CONTENT / "courses")
    assert errors == [] and "course-reaction" in {s.slug for s in surveys}
    plans, errors = load_plans(SHIPPED_CONTENT / "courses")
    assert errors == [] and {p.definition["days"][0] for p in plans} == {30}
