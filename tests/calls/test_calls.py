"""Playing calls through the routes and services: modes, the server's timer, typed replies and their
review, debriefs, versions, the trainer's editor, analytics and who may see what."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.calls import analytics, playing, results, review, scenarios
from lms.calls.models import CallAttempt, CallMode, CallStatus, CallTurn, ScenarioVersion
from lms.db import db
from lms.errors import DomainError
from lms.standards.models import StandardCitation


@pytest.fixture
def learner(make):
    make.content()
    return make.user(Role.LEARNER, name="新人甲")


@pytest.fixture
def trainer(make):
    return make.user(Role.TRAINER, name="講師甲")


def _start(client, mode="practice") -> int:
    response = client.post("/calls/tst-call/start", data={"mode": mode})
    assert response.status_code == 302
    return int(re.search(r"/calls/attempts/(\d+)", response.headers["Location"]).group(1))


def _reply(client, call_id, **data):
    response = client.post(f"/calls/attempts/{call_id}/reply", data=data)
    assert response.status_code == 302
    return response


def _play_well(client, call_id, typed="我先幫您核對一下帳單"):
    _reply(client, call_id, option=0)  # pick up
    _reply(client, call_id, option=0)  # full greeting
    _reply(client, call_id, option=0)  # apology
    _reply(client, call_id, text=typed)
    _reply(client, call_id, option=0)  # promise a callback


def test_a_practice_call_end_to_end_with_feedback_and_debrief(client, auth, learner):
    auth.login(learner)
    page = client.get("/calls/").get_data(as_text=True)
    assert "測試投訴電話" in page
    call_id = _start(client)
    page = client.get(f"/calls/attempts/{call_id}").get_data(as_text=True)
    assert 'role="timer"' in page and "電話響了。" in page and 'data-seconds-left="6"' in page
    _reply(client, call_id, option=0)
    page = client.get(f"/calls/attempts/{call_id}").get_data(as_text=True)
    assert "三聲內接起。" in page  # practice: feedback after the reply
    _reply(client, call_id, option=0)
    _reply(client, call_id, option=1)  # asks for the account number: no apology
    page = client.get(f"/calls/attempts/{call_id}").get_data(as_text=True)
    assert "投訴電話要先道歉。" in page and "5.2.1-a" in page
    _reply(client, call_id, text="我幫您確認")
    response = _reply(client, call_id, option=0)
    assert response.headers["Location"].endswith(f"/calls/attempts/{call_id}#turn")
    response = client.get(f"/calls/attempts/{call_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/debrief")
    debrief = client.get(f"/calls/attempts/{call_id}/debrief").get_data(as_text=True)
    assert "先致歉" in debrief and "TST-201" in debrief  # the lesson on 5.2.1-a is suggested
    attempt = db.session.get(CallAttempt, call_id)
    assert attempt.status == CallStatus.FINISHED and attempt.criteria["apology"] == "missed"
    assert attempt.percent == 70.0 and attempt.passed is True
    turns = db.session.scalars(select(CallTurn).where(CallTurn.attempt_id == call_id).order_by(CallTurn.index)).all()
    assert [t.kind for t in turns] == ["choice", "choice", "choice", "text", "choice"]
    assert all(t.seconds >= 0 for t in turns) and not any(t.needs_review for t in turns)


def test_assessment_keeps_feedback_for_the_end_and_waits_for_the_trainer(client, auth, learner, trainer, app):
    received = []

    def on_assessed(attempt):
        received.append(attempt.id)

    results.call_assessed.connect(on_assessed, weak=False)
    try:
        auth.login(learner)
        call_id = _start(client, "assessment")
        _reply(client, call_id, option=0)
        page = client.get(f"/calls/attempts/{call_id}").get_data(as_text=True)
        assert "三聲內接起。" not in page and "Feedback on your reply" not in page
        _play_well(client, call_id, typed="好的")  # the typed reply misses "verify"
        attempt = db.session.get(CallAttempt, call_id)
        assert attempt.status == CallStatus.NEEDS_REVIEW and received == []
        debrief = client.get(f"/calls/attempts/{call_id}/debrief").get_data(as_text=True)
        assert "三聲內接起。" in debrief  # the feedback comes in the debrief
        auth.logout()
        auth.login(trainer)
        queue = client.get("/calls/manage/reviews").get_data(as_text=True)
        assert "好的" in queue and "新人甲" in queue
        turn = db.session.scalar(select(CallTurn).where(CallTurn.attempt_id == call_id, CallTurn.kind == "text"))
        response = client.post(f"/calls/manage/turns/{turn.id}/review",
                               data={"mark-verify": "met", "mark-no_argue": "met", "comment": "語意有確認到"})
        assert response.status_code == 302
        db.session.expire_all()
        attempt = db.session.get(CallAttempt, call_id)
        assert attempt.status == CallStatus.FINISHED and attempt.percent == 100.0 and attempt.passed
        assert received == [call_id]
        assert client.get("/calls/manage/reviews").get_data(as_text=True).count("語意有確認到") == 0
        assert "語意有確認到" in client.get(f"/calls/manage/calls/{call_id}").get_data(as_text=True)
    finally:
        results.call_assessed.disconnect(on_assessed)


def test_a_typed_reply_with_the_wrong_amount_goes_to_a_trainer_with_the_reason(client, auth, learner, trainer):
    auth.login(learner)
    call_id = _start(client)
    attempt = db.session.get(CallAttempt, call_id)
    wrong = "1,299" if attempt.state["variant"]["amount"] == "599" else "599"
    _play_well(client, call_id, typed=f"我跟您核對一下，是被扣了兩次 {wrong} 元嗎？")
    page = client.get(f"/calls/attempts/{call_id}/debrief").get_data(as_text=True)
    assert "扣款金額" in page and wrong in page
    turn = db.session.scalar(select(CallTurn).where(CallTurn.attempt_id == call_id, CallTurn.kind == "text"))
    assert turn.needs_review and ["verify", "missed"] in turn.marks  # not credited, even in practice
    auth.logout()
    auth.login(trainer)
    queue = client.get("/calls/manage/reviews").get_data(as_text=True)
    assert f"扣款金額 is wrong: the reply says {wrong}" in queue or f"扣款金額不對：回覆說的是 {wrong}" in queue


def test_the_server_keeps_the_time(learner):
    attempt = playing.start_call(learner, "tst-call", "practice")
    db.session.commit()
    with pytest.raises(DomainError):  # too early to time out
        playing.take_turn(attempt.id, learner, timed_out=True, now=attempt.node_shown_at + timedelta(seconds=2))
    late = attempt.node_shown_at + timedelta(seconds=9)
    turn = playing.take_turn(attempt.id, learner, option=0, now=late)  # a reply after the time is no reply
    assert turn.kind == "timeout"
    db.session.commit()
    assert db.session.get(CallAttempt, attempt.id).state["marks"][0][:2] == ["pickup", "missed"]
    with pytest.raises(DomainError):  # the greeting has no timer
        playing.take_turn(attempt.id, learner, timed_out=True)


def test_bad_replies_get_a_message_not_an_error(client, auth, learner):
    auth.login(learner)
    call_id = _start(client)
    for data in ({"option": "9"}, {"option": "x"}, {}, {"text": "   "}):
        response = client.post(f"/calls/attempts/{call_id}/reply", data=data, follow_redirects=True)
        assert response.status_code == 200
        assert "這個回合沒有這個回覆可選" in response.get_data(as_text=True) or \
            "請選擇一個回覆" in response.get_data(as_text=True) or "請輸入" in response.get_data(as_text=True)
    assert client.post("/calls/tst-call/start", data={"mode": "exam"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(CallAttempt)) == 1


def test_starting_again_resumes_the_call_in_progress(client, auth, learner):
    auth.login(learner)
    assert _start(client) == _start(client)
    assert _start(client, "assessment") != _start(client)


def test_others_cannot_see_a_call_but_trainers_can(client, auth, learner, trainer, make):
    auth.login(learner)
    call_id = _start(client)
    _play_well(client, call_id)
    auth.logout()
    other = make.user(Role.LEARNER)
    auth.login(other)
    assert client.get(f"/calls/attempts/{call_id}/debrief").status_code == 404
    assert client.post(f"/calls/attempts/{call_id}/reply", data={"option": 0}).status_code == 404
    assert client.get(f"/calls/manage/calls/{call_id}").status_code == 403
    auth.logout()
    auth.login(trainer)
    assert "新人甲" in client.get(f"/calls/manage/calls/{call_id}").get_data(as_text=True)
    page = client.get(f"/calls/manage/tst-call/learners/{learner.id}").get_data(as_text=True)
    assert "先致歉" in page and "100%" in page


def test_the_briefing_shows_each_criterion_over_time(client, auth, learner):
    auth.login(learner)
    first = _start(client, "assessment")
    _reply(client, first, option=0)
    _reply(client, first, option=0)
    _reply(client, first, option=2)  # argues: fails on the critical criterion
    page = client.get(f"/calls/attempts/{first}/debrief").get_data(as_text=True)
    assert "不與客戶爭辯" in page and "not passed" not in page
    second = _start(client, "assessment")
    _play_well(client, second)
    page = client.get("/calls/tst-call").get_data(as_text=True)
    assert page.count('class="tag tag--bad"') >= 2  # breached in the first call (and the "critical" tag)
    assert results.passed_assessments(learner, [db.session.get(CallAttempt, first).scenario_id]) == set()


def test_the_diagram_and_analytics(client, auth, learner, trainer):
    auth.login(learner)
    for option in (0, 1):
        call_id = _start(client, "assessment")
        _reply(client, call_id, option=0)
        _reply(client, call_id, option=option)
        _reply(client, call_id, option=2)
    auth.logout()
    auth.login(trainer)
    page = client.get("/calls/manage/tst-call").get_data(as_text=True)
    assert "<svg" in page and "end_callback" in page and "100%" in page
    assert "ring → greet → c_complaint" not in page  # node ids are shown one by one
    scenario, version = scenarios.get_scenario("tst-call")
    stats = analytics.analytics(scenario, version)
    assert stats.attempts == 2 and stats.passed == 0
    greet = next(n for n in stats.nodes if n.node.id == "greet")
    assert greet.visits == 2 and greet.choices == {0: 1, 1: 1}
    apology = next(n for n in stats.nodes if n.node.id == "a_apology")
    assert apology.hang_ups_after == 2
    assert stats.failure_path[1] == 2 and stats.failure_path[0][-1] == "a_apology"
    worst = stats.criteria[0]
    assert worst[0].id in ("apology", "no_argue") and worst[2] == 2


def test_the_editor_saves_a_new_version_and_calls_in_progress_keep_theirs(client, auth, learner, trainer):
    ongoing = playing.start_call(learner, "tst-call", "practice")
    db.session.commit()
    auth.login(trainer)
    page = client.get("/calls/manage/tst-call/edit").get_data(as_text=True)
    source = re.search(r'<textarea id="source"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    import html

    source = html.unescape(source)
    assert "非常抱歉造成您的困擾" in source
    response = client.post("/calls/manage/tst-call/edit", data={"source": source.replace(
        "非常抱歉造成您的困擾", "真的很抱歉讓您跑這一趟")})
    assert response.status_code == 302
    versions = db.session.scalars(select(ScenarioVersion.number).order_by(ScenarioVersion.number)).all()
    assert versions == [1, 2]
    playing.take_turn(ongoing.id, learner, option=0)
    assert db.session.get(CallAttempt, ongoing.id).version.number == 1
    fresh = playing.start_call(trainer, "tst-call", "practice")
    assert fresh.version.number == 2
    # A file with an unreachable turn is refused, naming the file and the line; nothing is saved.
    indent = "  " if "\n  - id: ring" in source else ""
    bad = source.rstrip("\n") + "\n" + "\n".join(
        indent + line for line in ("- id: forgotten", "  type: customer", "  say: 還有人在嗎？", "  goto: a_close")) + "\n"
    response = client.post("/calls/manage/tst-call/edit", data={"source": bad})
    page = response.get_data(as_text=True)
    line = bad.split("\n").index(indent + "- id: forgotten") + 1
    assert response.status_code == 200 and f"第 {line} 行：[node forgotten] 無法到達：從起點沒有任何路徑能走到這裡" in page
    assert "forgotten" in page and db.session.scalar(select(func.count()).select_from(ScenarioVersion)) == 2
    for broken in ("slug: [", "- just a list", "slug: other\n"):
        response = client.post("/calls/manage/tst-call/edit", data={"source": broken})
        assert response.status_code == 200 and "error-summary" in response.get_data(as_text=True)


def test_criteria_are_cited_in_the_coverage_matrix(learner):
    labels = db.session.scalars(select(StandardCitation.label).where(StandardCitation.kind == "criterion")).all()
    assert any("測試投訴電話" in label and "先致歉" in label for label in labels)
    assert len(labels) == 5  # one per standard item cited by the rubric


def test_practice_replies_do_not_wait_for_a_trainer(learner):
    attempt = playing.start_call(learner, "tst-call", CallMode.PRACTICE)
    db.session.commit()
    for option in (0, 0, 0):
        playing.take_turn(attempt.id, learner, option=option)
    turn = playing.take_turn(attempt.id, learner, text="我幫您核對")
    assert turn.needs_review is False and review.review_queue() == []


def test_a_double_click_or_stale_tab_cannot_answer_the_next_turn(client, auth, learner):
    auth.login(learner)
    call_id = _start(client)
    page = client.get(f"/calls/attempts/{call_id}").get_data(as_text=True)
    at = re.search(r'name="at" value="(\d+)"', page).group(1)
    _reply(client, call_id, option=0, at=at)
    response = client.post(f"/calls/attempts/{call_id}/reply", data={"option": 0, "at": at}, follow_redirects=True)
    assert "已經回覆過了" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CallTurn).where(CallTurn.attempt_id == call_id)) == 1


def test_scenario_text_is_never_markup(client, auth, learner, trainer):
    auth.login(trainer)
    page = client.get("/calls/manage/tst-call/edit").get_data(as_text=True)
    import html

    source = html.unescape(re.search(r'<textarea id="source"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    payload = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    source = source.replace("非常抱歉造成您的困擾", payload.replace("'", "")).replace("我被扣了兩次", "<svg onload=alert(3)>")
    assert client.post("/calls/manage/tst-call/edit", data={"source": source}).status_code == 302
    diagram = client.get("/calls/manage/tst-call").get_data(as_text=True)
    auth.logout()
    auth.login(learner)
    call_id = _start(client)
    for option in (0, 0):
        _reply(client, call_id, option=option)
    play = client.get(f"/calls/attempts/{call_id}").get_data(as_text=True)
    for body in (diagram, play):
        assert "<script>alert" not in body and "<img src=x" not in body and "<svg onload" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in play and "&lt;svg onload=alert(3)&gt;" in play
