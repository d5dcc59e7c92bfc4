"""The course page and the learner's list get ready data: the tab title, the button, the completion rule."""

import re
from datetime import timedelta

from lms.courses.completion import COMPLETING_EXAM_KINDS, completion_rule
from lms.courses.enrolment import split_employee_nos
from lms.courses.forms import split_codes
from lms.courses.labels import (
    COMPLETION_RULE_HINTS,
    ENROLMENT_SOURCE_LABELS,
    RESUME_LABELS,
    TIER_HINTS,
    TIER_LABELS,
)
from lms.courses.models import EnrolmentSource, Tier
from lms.courses.progress import percent_done, resume_action
from lms.exams.models import ExamKind
from lms.timeutil import local_today


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_the_tab_title_of_a_course_with_tests_is_its_code_and_title(client, auth, make):
    make.content()
    auth.login(make.user())
    html = client.get("/courses/TST-101").get_data(as_text=True)
    assert "<h2>" in html  # the page does list its tests …
    title = _title(html)
    assert "<" not in title and ">" not in title  # … but not in the tab title
    assert re.fullmatch(r"TST-101 測試基礎課 · \S.*", title)


def test_course_page_states_the_completion_rule_only_when_tests_complete_it(client, auth, make):
    make.content()
    auth.login(make.user())
    client.post("/locale", data={"locale": "en"})
    rule = "The course is complete when every lesson is read and its post-test is passed."
    assert rule in client.get("/courses/TST-101").get_data(as_text=True)  # a post-test
    assert rule not in client.get("/courses/TST-201").get_data(as_text=True)  # no test


def test_the_course_button_says_start_then_continue(client, auth, make):
    make.content()
    learner = make.user()
    auth.login(learner)
    client.post("/locale", data={"locale": "en"})
    assert ">Enrol</button>" in client.get("/courses/TST-101").get_data(as_text=True)
    client.post("/courses/TST-101/enrol")
    assert ">Start</a>" in client.get("/courses/TST-101").get_data(as_text=True)
    client.post("/courses/TST-101/lessons/pickup/complete")
    assert ">Continue</a>" in client.get("/courses/TST-101").get_data(as_text=True)
    assert "Continue<span" in client.get("/courses/mine").get_data(as_text=True)


def test_my_courses_names_who_decided_an_enrolment(client, auth, make):
    make.content()
    learner = make.user()
    make.enrol(learner, "TST-101", due=local_today() + timedelta(days=3))
    auth.login(learner)
    client.post("/locale", data={"locale": "en"})
    html = client.get("/courses/mine").get_data(as_text=True)
    assert 'tag--muted">assigned<' in html


def test_completion_rule_counts_quizzes_and_post_tests_only():
    assert set(COMPLETING_EXAM_KINDS) == {ExamKind.QUIZ, ExamKind.POST_TEST}
    assert completion_rule([]) == "lessons"
    assert completion_rule([ExamKind.PRE_TEST, ExamKind.EXAM]) == "lessons"
    assert completion_rule([ExamKind.PRE_TEST, ExamKind.POST_TEST]) == "lessons_and_tests"
    assert completion_rule(["quiz"]) == "lessons_and_tests"
    assert set(COMPLETION_RULE_HINTS) <= {"lessons", "lessons_and_tests"}


def test_percent_and_resume_action():
    class Enrolment:
        completed_at = None
        last_lesson_id = None

    enrolment = Enrolment()
    assert percent_done(None, 0, 0) == 0
    assert percent_done(enrolment, 1, 3) == 33
    assert resume_action(enrolment, 0) == "start"
    assert resume_action(enrolment, 1) == "continue"
    enrolment.last_lesson_id = 7
    assert resume_action(enrolment, 0) == "continue"
    enrolment.completed_at = "yes"
    assert percent_done(enrolment, 1, 3) == 100
    assert set(RESUME_LABELS) == {"start", "continue"}


def test_every_tier_and_enrolment_source_has_its_labels():
    assert set(TIER_LABELS) == set(TIER_HINTS) == set(Tier)
    assert set(ENROLMENT_SOURCE_LABELS) == set(EnrolmentSource) - {EnrolmentSource.SELF}


def test_typed_lists_are_split_on_either_comma_and_new_lines():
    assert split_employee_nos("L1, L2，L3\nL4\r\n ") == ["L1", "L2", "L3", "L4"]
    assert split_employee_nos(None) == []
    assert split_codes("FND-101、PRO-201 MGT-301，DEV-401,") == ["FND-101", "PRO-201", "MGT-301", "DEV-401"]


def test_course_page_links_to_the_courses_call_scenarios_and_only_to_them(client, auth, make):
    make.content()
    auth.login(make.user())
    with_call = client.get("/courses/TST-201").get_data(as_text=True)
    assert "<h2>模擬通話與文字練習</h2>" in with_call and 'href="/calls/tst-call">測試投訴電話</a>' in with_call
    without = client.get("/courses/TST-101").get_data(as_text=True)
    assert "<h2>模擬通話與文字練習</h2>" not in without and "/calls/tst-call" not in without
    client.post("/locale", data={"locale": "en"})
    assert "<h2>Calls and written exercises</h2>" in client.get("/courses/TST-201").get_data(as_text=True)


def _form_token(html: str, form_action: str = "") -> str:
    """The form token of the first form (or of the form posting to ``form_action``)."""
    html = html.split(f'action="{form_action}"', 1)[1] if form_action else html
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_a_kept_course_page_carries_each_sessions_own_form_token(app, make):
    """The course page is kept per person while nothing changes; its enrol form must still carry the form
    token of the session asking (another browser of the same person has another)."""
    from flask import g, session
    from flask_login import login_user

    from lms.courses.catalogue import course_page_html

    make.content()
    learner = make.user()
    enrol = "/courses/TST-101/enrol"
    tokens = []
    for raw in ("a" * 40, "b" * 40, "a" * 40):
        with app.test_request_context("/courses/TST-101"):
            g.pop("csrf_token", None)  # Flask-WTF keeps a request's token in g, which the suite's requests share
            session["csrf_token"] = raw
            login_user(learner)
            tokens.append(_form_token(course_page_html(learner, "TST-101", calls=lambda _course_id: []).body, enrol))
    assert tokens[0] != tokens[1]  # each session's own
    assert tokens[2] == tokens[0]  # and kept for the first session
