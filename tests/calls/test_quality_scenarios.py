"""The scenarios that assess chapters 5.2.2, 5.3 and 7 in calls: each is played through the engine along
a well-handled and a badly handled way, and one through the pages a learner uses (from its course page
to the debrief)."""

import re

import pytest

from lms.accounts.models import Role
from lms.calls import definition, engine, scoring
from lms.calls.loader import load_scenario_file
from lms.standards.loader import load_standards
from tests.factories import SHIPPED_CONTENT

COURSES = SHIPPED_CONTENT / "courses"
FILES = {
    "esim-install-old-phone": "pro-208-first-contact-resolution",
    "crisis-payment-outage-plan": "pro-206-crisis-response",
    "satisfaction-follow-up-call": "fnd-103-service-mindset",
    "smart-qa-handoff-roaming": "dev-404-service-innovation",
}


@pytest.fixture(scope="module")
def scenarios(app_context_for_loading):
    _chapters, _problems, codes = load_standards(COURSES / "standards")
    found = {}
    for slug, course in FILES.items():
        path = COURSES / course / "scenarios" / f"{slug}.yaml"
        spec, errors = load_scenario_file(path, COURSES, course, codes)
        assert errors == [], errors
        found[slug] = definition.compile_scenario(spec.definition)
    return found


@pytest.fixture(scope="module")
def app_context_for_loading():
    from lms import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context("/"):
        yield


def play(scenario, choices: dict[str, int], variant: int = 0):
    """Play a call to its end, answering each turn with the option named for its node (else the first)."""
    state = engine.begin(scenario, variant, "1024")
    for _ in range(60):
        if state.finished:
            break
        engine.choose_reply(scenario, state, choices.get(state.node, 0))
    assert state.finished
    return state, scoring.score(scenario, state.marks)


def statuses(result) -> dict[str, str | None]:
    return {r.criterion.id: r.status for r in result.criteria}


def test_the_new_scenarios_cite_the_items_they_were_written_for(scenarios):
    cited = {code for s in scenarios.values() for c in s.rubric for code in c.standards}
    assert {"5.2.2-d", "5.2.2-f", "5.3.1-c", "5.3.2-b", "5.3.2-c", "5.3.2-d", "5.3.2-e"} <= cited
    assert {"7.1.1-a", "7.1.1-c", "7.1.1-d", "7.1.2-b", "7.2.2-c", "7.3.1-a", "7.3.1-c",
            "7.3.2-a", "7.3.2-b", "7.3.2-c"} <= cited


@pytest.mark.parametrize("variant", [0, 1])
def test_esim_handled_well_is_solved_on_the_first_call(scenarios, variant):
    state, result = play(scenarios["esim-install-old-phone"], {}, variant)
    assert state.node == "end_resolved" and state.outcome == "resolved"
    assert result.percent == 100.0 and result.passed


def test_esim_installed_but_never_tested_fails_and_the_customer_calls_again(scenarios):
    state, result = play(scenarios["esim-install-old-phone"], {"a_confirm": 1})
    assert state.node == "end_untested"
    assert result.critical_failed == ["confirm"] and not result.passed


def test_esim_old_advice_twice_sends_the_customer_to_the_shop(scenarios):
    state, result = play(scenarios["esim-install-old-phone"], {"a_diagnose": 2, "a_method": 2, "a_method_again": 1})
    assert state.node == "end_store" and state.outcome == "transferred" and not result.passed
    assert statuses(result)["new_method"] == "missed" and statuses(result)["record"] is None


def test_esim_vague_report_and_off_target_measure_cost_points(scenarios):
    _state, result = play(scenarios["esim-install-old-phone"], {"a_residual": 2, "a_measure": 1, "a_record": 1})
    marks = statuses(result)
    assert (marks["residual"], marks["measure"], marks["record"]) == ("missed", "missed", "missed")
    assert result.percent == 60.0 and not result.passed


def test_payment_outage_handled_by_the_plan_ends_with_a_callback(scenarios):
    state, result = play(scenarios["crisis-payment-outage-plan"], {})
    assert state.node == "end_callback" and state.outcome == "callback"
    assert result.percent == 100.0 and result.passed


def test_payment_outage_with_promises_beyond_the_plan_fails(scenarios):
    state, result = play(scenarios["crisis-payment-outage-plan"], {"a_plan_case": 1, "a_compensation": 1})
    assert state.node == "end_promised"
    assert set(result.critical_failed) == {"plan_case", "no_guess"} and not result.passed


def test_payment_outage_blaming_the_bank_twice_loses_the_customer(scenarios):
    state, result = play(scenarios["crisis-payment-outage-plan"],
                         {"a_measures": 2, "a_measures_again": 1, "a_plan_case": 2})
    assert state.node == "end_hangup" and state.outcome == "hung_up" and not result.passed
    assert statuses(result)["review"] is None  # the call never got as far as the review


def test_payment_outage_taking_card_numbers_is_a_breach(scenarios):
    _state, result = play(scenarios["crisis-payment-outage-plan"], {"a_alternatives": 2})
    assert statuses(result)["no_guess"] == "breached" and not result.passed


def test_follow_up_call_done_well_reopens_the_ticket(scenarios):
    state, result = play(scenarios["satisfaction-follow-up-call"], {})
    assert state.node == "end_reopened" and state.outcome == "callback"
    assert result.percent == 100.0 and result.passed


def test_follow_up_call_telling_the_relative_fails_even_if_the_rest_is_right(scenarios):
    state, result = play(scenarios["satisfaction-follow-up-call"], {"a_relative": 1})
    assert state.node == "end_reopened_disclosed"
    assert statuses(result)["privacy"] == "breached" and result.critical_failed == ["privacy"]
    assert any("我媽說你們打來講我報修網路的事" in e.text for e in state.events)


def test_follow_up_call_that_only_notes_the_fault_leaves_it_open(scenarios):
    state, result = play(scenarios["satisfaction-follow-up-call"], {"a_reopen": 1, "a_record": 2})
    assert state.node == "end_open" and state.outcome == "resolved"
    assert result.critical_failed == ["reopen"] and statuses(result)["record"] == "missed"


def test_follow_up_call_asking_for_top_marks_is_a_breach(scenarios):
    _state, result = play(scenarios["satisfaction-follow-up-call"], {"a_purpose": 2})
    assert statuses(result)["neutral"] == "breached" and statuses(result)["purpose"] == "missed"


@pytest.mark.parametrize("variant", [0, 1])
def test_smart_qa_handoff_handled_well_ends_with_the_customer_served_and_the_bot_reported(scenarios, variant):
    state, result = play(scenarios["smart-qa-handoff-roaming"], {}, variant)
    assert state.node == "end_resolved" and result.percent == 100.0 and result.passed


def test_smart_qa_handoff_keeping_the_bots_old_price_fails(scenarios):
    state, result = play(scenarios["smart-qa-handoff-roaming"], {"a_price": 1})
    assert state.node == "end_promised" and result.critical_failed == ["correct"] and not result.passed
    assert statuses(result)["courtesy"] is None  # the customer, pleased, never asked who is responsible


def test_smart_qa_handoff_sending_the_customer_to_a_shop_is_a_transfer(scenarios):
    state, result = play(scenarios["smart-qa-handoff-roaming"], {"a_activate": 1, "a_report": 1, "a_proposal": 2})
    assert state.node == "end_store" and state.outcome == "transferred" and not result.passed


def test_smart_qa_handoff_going_round_in_circles_loses_the_customer(scenarios):
    state, result = play(scenarios["smart-qa-handoff-roaming"], {"a_open": 1, "a_price": 2, "a_courtesy": 1,
                                                                 "a_activate": 2})
    assert state.node == "end_left" and state.outcome == "hung_up" and not result.passed
    assert statuses(result)["handoff"] == "missed" and statuses(result)["report"] is None


@pytest.mark.slow
def test_a_learner_reaches_each_new_call_from_its_course_page_and_plays_one_to_the_debrief(client, auth, make):
    make.content(SHIPPED_CONTENT)
    learner = make.user(Role.LEARNER, name="新人乙")
    auth.login(learner)
    for code, slug, title in (("PRO-208", "esim-install-old-phone", "eSIM 開不通：新按鈕在哪裡？"),
                              ("PRO-206", "crisis-payment-outage-plan", "繳費截止日，刷卡一直失敗"),
                              ("FND-103", "satisfaction-follow-up-call", "電話回訪：修好了，可是……"),
                              ("DEV-404", "smart-qa-handoff-roaming", "智慧客服報錯價之後")):
        page = client.get(f"/courses/{code}").get_data(as_text=True)
        assert f'href="/calls/{slug}"' in page and title in page, code
    response = client.post("/calls/satisfaction-follow-up-call/start", data={"mode": "practice"})
    call_id = int(re.search(r"/calls/attempts/(\d+)", response.headers["Location"]).group(1))
    for _turn in range(9):  # the well-handled way: the first reply of each of its nine turns
        assert client.post(f"/calls/attempts/{call_id}/reply", data={"option": 0}).status_code == 302
    debrief = client.get(f"/calls/attempts/{call_id}/debrief")
    assert debrief.status_code == 200
    text = debrief.get_data(as_text=True)
    assert "回訪找到了工單上看不到的事" in text and "7.1.2-b" in text
