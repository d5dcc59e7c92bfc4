"""Taking exams: limits, draws, autosave order, the server's deadline, policies, review and grading."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.courses.models import Enrolment
from lms.db import db, utcnow
from lms.errors import DomainError
from lms.exams import accommodations, answers, attempts, availability, deadline, grading, regrading, sync
from lms.exams.models import Attempt, AttemptQuestion, AttemptStatus, Exam, LateAnswer
from lms.exams.question_types import QUESTION_TYPES


def _exam(slug):
    return db.session.scalar(select(Exam).where(Exam.slug == slug))


def _answer_all(attempt, right=True):
    """Answer every question of an attempt (right or wrong) through the service, in order."""
    for aq in grading.questions_of(attempt):
        qtype = QUESTION_TYPES[aq.version.qtype]
        response = qtype.correct_response(aq.version.data) if right else {"text": "???"}
        if response is None:
            response = {"text": "我很抱歉，已經幫您記錄下來。"}
        answers.save_answer(attempt.id, attempt.user, aq.position, response, aq.sequence + 1)
    db.session.commit()


@pytest.fixture
def learner(make):
    make.content()
    user = make.user()
    make.enrol(user, "TST-101")
    return user


def test_start_resumes_instead_of_duplicating(client, auth, learner):
    auth.login(learner)
    first = client.post("/exams/tst-101-post/start").headers["Location"]
    second = client.post("/exams/tst-101-post/start").headers["Location"]
    assert first == second
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_draws_come_from_the_pools_and_prefer_unseen_questions(learner):
    exam = _exam("tst-101-post")
    first = attempts.start_attempt(learner, exam, seed=1)
    first_ids = {aq.version.question_id for aq in grading.questions_of(first)}
    tags = [set(aq.version.tags) for aq in grading.questions_of(first)]
    assert sum("pool-a" in t for t in tags) == 2 and sum("pool-b" in t for t in tags) == 2
    attempts.submit_attempt(first.id, learner)
    db.session.commit()
    second = attempts.start_attempt(learner, exam, seed=2)
    second_ids = {aq.version.question_id for aq in grading.questions_of(second)}
    # pool-a has 3 questions and pool-b 4: the new draw takes the unseen ones first.
    assert len(second_ids & first_ids) <= 1


def test_attempt_limit_cooldown_and_window(learner):
    exam = _exam("tst-fixed")
    attempt = attempts.start_attempt(learner, exam)
    attempts.submit_attempt(attempt.id, learner)
    db.session.commit()
    access = availability.exam_access(learner, exam)
    assert not access.can_start and access.next_start_at is not None
    later = utcnow() + timedelta(minutes=61)
    second = attempts.start_attempt(learner, exam, now=later)
    attempts.submit_attempt(second.id, learner, now=later)
    db.session.commit()
    assert "2" in availability.exam_access(learner, exam, now=later + timedelta(days=1)).reason


def test_accommodation_gives_extra_time_and_attempts(learner, make):
    exam = _exam("tst-101-post")
    trainer = make.user(Role.TRAINER)
    accommodations.set_accommodation(exam, learner, 15, 2, None, None, "閱讀障礙", trainer)
    attempt = attempts.start_attempt(learner, exam)
    assert abs((attempt.deadline_at - attempt.started_at).total_seconds() - 25 * 60) < 1
    assert availability.exam_access(learner, exam).allowed_attempts == 5
    with pytest.raises(DomainError):
        accommodations.set_accommodation(exam, learner, -1, 0, None, None, "", trainer)


def test_window_closes_the_exam_and_caps_the_deadline(learner):
    exam = _exam("tst-101-post")
    version = exam.current_version
    closes = utcnow() + timedelta(minutes=3)
    version.settings = dict(version.settings, available_until=closes.isoformat())
    db.session.commit()
    attempt = attempts.start_attempt(learner, exam)
    assert attempt.deadline_at == closes
    attempts.submit_attempt(attempt.id, learner)
    db.session.commit()
    assert not availability.exam_access(learner, exam, now=closes + timedelta(seconds=1)).can_start


def test_autosave_sequence_resend_stale_and_latest_kept(learner):
    attempt = attempts.start_attempt(learner, _exam("tst-fixed"))
    db.session.commit()
    answers.save_answer(attempt.id, learner, 2, {"text": "三聲"}, 1)
    answers.save_answer(attempt.id, learner, 2, {"text": "3聲"}, 2)
    # The same save sent again after a dropped connection is accepted once more, changing nothing.
    answers.save_answer(attempt.id, learner, 2, {"text": "3聲"}, 2)
    # A stale tab's older answer is refused as out of sequence.
    with pytest.raises(answers.OutOfSequence):
        answers.save_answer(attempt.id, learner, 2, {"text": "三聲（舊）"}, 1)
    with pytest.raises(answers.OutOfSequence):
        answers.save_answer(attempt.id, learner, 2, {"text": "不同內容"}, 2)
    db.session.commit()
    aq = db.session.scalar(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id,
                                                         AttemptQuestion.position == 2))
    assert aq.response == {"text": "3聲"} and aq.sequence == 2


def test_one_statement_save_only_takes_the_plain_case(learner, make):
    attempt = attempts.start_attempt(learner, _exam("tst-fixed"))
    due = attempt.deadline_at = utcnow() + timedelta(minutes=10)
    db.session.commit()
    version_id, qtype = answers.slot_type(attempt.id, 2)
    assert qtype == "short"

    def at_once(sequence, who=learner, version=version_id, now=None):
        return answers.save_answer_at_once(attempt.id, who, 2, version, {"text": "三聲"}, sequence, now=now)

    assert at_once(1)
    assert not at_once(1)  # a resend or a stale tab: save_answer() decides
    assert not at_once(2, who=make.user())  # not the owner's
    assert not at_once(2, version=version_id + 999)  # not the question remembered
    assert at_once(2, now=due + deadline.LATENCY_ALLOWANCE)
    assert not at_once(3, now=due + deadline.LATENCY_ALLOWANCE + timedelta(seconds=1))  # late
    attempts.submit_attempt(attempt.id, learner)
    assert not at_once(9)  # closed
    db.session.commit()
    aq = db.session.scalar(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id,
                                                         AttemptQuestion.position == 2))
    assert aq.response == {"text": "三聲"} and aq.sequence == 2
    assert answers.slot_type(attempt.id, 99) is None


def test_autosave_route_new_resend_stale_and_a_forgotten_type(client, auth, learner):
    auth.login(learner)
    url = client.post("/exams/tst-fixed/start").headers["Location"]
    attempt = db.session.scalar(select(Attempt))

    def save(sequence, text):
        return client.post(f"{url}/save", data={"position": "2", "sequence": sequence, "q2": text})

    assert save(1, "三聲").get_json() == {"saved": True, "position": 2, "sequence": 1}
    assert save(1, "三聲").get_json()["saved"]  # the same save again after a dropped connection
    stale = save(1, "舊的")
    assert stale.status_code == 409 and stale.get_json()["stale"]
    # A remembered (version, type) that no longer fits is dropped and the form parsed again.
    answers._slot_types[(attempt.id, 2)] = (-1, "single")
    assert save(2, "3聲").get_json()["saved"]
    assert (attempt.id, 2) not in answers._slot_types
    assert save(0, "x").status_code == 400
    db.session.expire_all()
    aq = db.session.scalar(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id,
                                                         AttemptQuestion.position == 2))
    assert aq.response == {"text": "3聲"} and aq.sequence == 2


def test_a_plain_autosave_reads_the_user_once_and_writes_once(client, auth, learner):
    """The save's cost is the session lookup and one UPDATE (bench.autosave_cpu); an after-request hook that
    looked up the user's language read the user a second time after the statement (found by the bench)."""
    from sqlalchemy import event

    auth.login(learner)
    url = client.post("/exams/tst-fixed/start").headers["Location"]
    client.post(f"{url}/save", data={"position": "2", "sequence": "1", "q2": "三聲"})  # fills the slot map
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.post(f"{url}/save", data={"position": "2", "sequence": "2", "q2": "3聲"}).get_json()["saved"]
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    reads_of_users = [s for s in statements if s.startswith("SELECT") and " FROM users" in s or "JOIN users" in s]
    updates = [s for s in statements if s.startswith("UPDATE attempt_questions")]
    assert len(reads_of_users) == 1 and len(updates) == 1, statements
    assert statements.index(updates[0]) == len(statements) - 1, statements  # nothing after the write


def test_the_autosaves_autocommit_connection_goes_back_to_the_pool_transactional(client, auth, learner):
    auth.login(learner)
    url = client.post("/exams/tst-fixed/start").headers["Location"]
    db.session.close()
    assert client.post(f"{url}/save", data={"position": "2", "sequence": "1", "q2": "三聲"}).get_json()["saved"]
    pooled = [db.engine.connect() for _ in range(db.engine.pool.checkedin())]
    try:
        assert pooled
        for connection in pooled:  # psycopg's flag (sqlite3 before 3.12 has none; SQLite keeps transactions)
            assert getattr(connection.connection.dbapi_connection, "autocommit", False) is False
    finally:
        for connection in pooled:
            connection.close()


def test_deadline_is_the_servers_minus_one_second_ok_after_grace_refused_and_logged(learner):
    exam = _exam("tst-101-post")
    attempt = attempts.start_attempt(learner, exam)
    db.session.commit()
    due = attempt.deadline_at
    answers.save_answer(attempt.id, learner, 1, {"choice": "a"}, 1, now=due - timedelta(seconds=1))
    answers.save_answer(attempt.id, learner, 1, {"choice": "b"}, 2, now=due + timedelta(seconds=3))
    with pytest.raises(answers.AttemptClosed):
        answers.save_answer(attempt.id, learner, 1, {"choice": "a"}, 3,
                             now=due + deadline.LATENCY_ALLOWANCE + timedelta(seconds=1))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(LateAnswer)) == 1
    closed = db.session.get(Attempt, attempt.id)
    assert closed.status == AttemptStatus.GRADED and closed.closed_by == "deadline"


def test_client_clock_is_never_read(client, auth, learner):
    auth.login(learner)
    attempt_url = client.post("/exams/tst-101-post/start", headers={"Date": "Mon, 01 Jan 2001 00:00:00 GMT"}
                              ).headers["Location"]
    attempt = db.session.scalar(select(Attempt))
    assert abs((attempt.deadline_at - attempt.started_at).total_seconds() - 600) < 1
    # A forged "time is up" (the submit form posted early) simply submits; it cannot extend anything.
    html = client.get(attempt_url).get_data(as_text=True)
    assert 'data-remaining="' in html


def test_a_learner_who_never_comes_back_is_closed_by_the_sweeper(runner, learner):
    attempt = attempts.start_attempt(learner, _exam("tst-101-post"))
    attempt.deadline_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    result = runner.invoke(args=["lms", "close-overdue"])
    assert "1 overdue" in result.output
    assert db.session.get(Attempt, attempt.id).closed_by == "sweeper"


def test_returning_after_the_deadline_finds_the_attempt_closed(client, auth, learner):
    auth.login(learner)
    url = client.post("/exams/tst-101-post/start").headers["Location"]
    attempt = db.session.scalar(select(Attempt))
    attempt.deadline_at = utcnow() - timedelta(days=2)
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"].endswith("/review")
    assert db.session.get(Attempt, attempt.id).status == AttemptStatus.GRADED
    save = client.post(f"{url}/save", data={"position": "1", "sequence": "5", "q1": "a"})
    assert save.status_code == 409 and save.get_json()["closed"]


def test_discard_and_grace_policies(learner):
    exam = _exam("tst-101-post")
    version = exam.current_version
    version.settings = dict(version.settings, overdue="discard")
    db.session.commit()
    attempt = attempts.start_attempt(learner, exam)
    assert deadline.close_overdue_attempts(now=attempt.deadline_at + timedelta(minutes=1)) == 1
    assert db.session.get(Attempt, attempt.id).status == AttemptStatus.DISCARDED
    version.settings = dict(version.settings, overdue="grace", grace_minutes=5)
    db.session.commit()
    attempt = attempts.start_attempt(learner, exam)
    in_grace = attempt.deadline_at + timedelta(minutes=2)
    with pytest.raises(answers.AttemptClosed):
        answers.save_answer(attempt.id, learner, 1, {"choice": "a"}, 1, now=in_grace)
    attempts.submit_attempt(attempt.id, learner, now=in_grace)
    assert db.session.get(Attempt, attempt.id).status == AttemptStatus.GRADED


def test_submit_twice_finalises_once(client, auth, learner):
    auth.login(learner)
    url = client.post("/exams/tst-101-post/start").headers["Location"]
    assert client.post(f"{url}/submit").status_code == 302
    assert client.post(f"{url}/submit").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "attempt.submitted")) == 1


def test_full_marks_pass_and_complete_the_course(learner, make):
    exam = _exam("tst-101-post")
    attempt = attempts.start_attempt(learner, exam)
    _answer_all(attempt)
    attempts.submit_attempt(attempt.id, learner)
    db.session.commit()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.percent == 100 and attempt.passed
    # Lessons still unread: the course is not complete yet; reading them completes it.
    from lms.courses.reading import complete_lesson

    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == learner.id))
    assert enrolment.completed_at is None
    complete_lesson(learner, "TST-101", "pickup")
    complete_lesson(learner, "TST-101", "greeting")
    db.session.commit()
    assert db.session.scalar(select(Enrolment).where(Enrolment.user_id == learner.id)).completed_at is not None


def test_lessons_alone_do_not_complete_a_course_with_a_post_test(client, auth, learner):
    auth.login(learner)
    client.post("/courses/TST-101/lessons/pickup/complete")
    client.post("/courses/TST-101/lessons/greeting/complete")
    assert db.session.scalar(select(Enrolment).where(Enrolment.user_id == learner.id)).completed_at is None


def test_another_learners_attempt_is_not_found(client, auth, learner, make):
    attempt = attempts.start_attempt(learner, _exam("tst-101-post"))
    db.session.commit()
    intruder = make.user()
    auth.login(intruder)
    for url in (f"/exams/attempts/{attempt.id}", f"/exams/attempts/{attempt.id}/review",
                f"/exams/attempts/{attempt.id}/submit"):
        assert client.get(url).status_code == 404
    assert client.post(f"/exams/attempts/{attempt.id}/save", data={"position": "1", "sequence": "1"}).status_code == 404
    assert client.post(f"/exams/attempts/{attempt.id}/submit").status_code == 404


def test_review_after_close_hides_marks_and_answers_until_released(client, auth, learner, make):
    attempt = attempts.start_attempt(learner, _exam("tst-fixed"))
    _answer_all(attempt)
    attempts.submit_attempt(attempt.id, learner)
    db.session.commit()
    auth.login(learner)
    html = client.get(f"/exams/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "correct answer" not in html and "choice--right" not in html and "%" not in html.split("result-box")[1][:200]
    # A trainer grades the essay and releases the results.
    aq = next(q for q in grading.questions_of(attempt) if q.version.qtype == "essay")
    trainer = make.user(Role.TRAINER)
    grading.grade_question(aq, 3, "不錯", trainer)
    exam = _exam("tst-fixed")
    exam.results_released_at = utcnow()
    db.session.commit()
    html = client.get(f"/exams/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "choice--right" in html and "不錯" in html


def test_essays_wait_in_the_queue_and_marks_are_validated_and_audited(learner, make):
    attempt = attempts.start_attempt(learner, _exam("tst-fixed"))
    _answer_all(attempt)
    attempts.submit_attempt(attempt.id, learner)
    db.session.commit()
    assert db.session.get(Attempt, attempt.id).status == AttemptStatus.NEEDS_GRADING
    queue = grading.grading_queue()
    assert len(queue) == 1 and queue[0].version.qtype == "essay"
    trainer = make.user(Role.TRAINER)
    for bad in (-1, 4.5, float("nan"), float("inf")):
        with pytest.raises(DomainError):
            grading.grade_question(queue[0], bad, "", trainer)
    grading.grade_question(queue[0], 4, "完整", trainer)
    db.session.commit()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.status == AttemptStatus.GRADED and attempt.percent == 100
    # Changing a mark needs a reason, and is audited with before and after.
    with pytest.raises(DomainError):
        grading.grade_question(queue[0], 2, "", trainer)
    grading.grade_question(queue[0], 2, "少了告知已記錄", trainer, reason="重新評分")
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempt.mark_overridden"))
    assert event.before["score"] == 4 and event.after["score"] == 2


def test_regrade_dry_run_then_apply(learner, make, tmp_path):
    exam = _exam("tst-fixed")
    attempt = attempts.start_attempt(learner, exam)
    for aq in grading.questions_of(attempt):
        if aq.version.qtype == "single":
            answers.save_answer(attempt.id, learner, aq.position, {"choice": "b"}, 1)  # wrong under the old key
    attempts.submit_attempt(attempt.id, learner)
    db.session.commit()
    from lms.exams.banks import find_question as get_question
    from lms.exams.loader import QuestionSpec

    question = get_question("t-single")
    old = question.current_version
    data = {"options": [dict(o, weight=1.0 if o["id"] == "b" else 0.0) for o in old.data["options"]]}
    spec = QuestionSpec("t-single", "single", old.name, old.text_md, "markdown", tuple(old.standards), tuple(old.tags),
                        2, old.points, old.feedback_md, data)
    trainer = make.user(Role.TRAINER)
    sync.save_question(question.bank, spec, trainer)
    db.session.commit()
    dry = regrading.regrade_question(question, apply=False)
    assert len(dry) == 1 and dry[0].answers[0][1:] == (0.0, 1.0)
    assert db.session.get(AttemptQuestion, dry[0].answers[0][0].id).score == 0.0
    db.session.rollback()
    regrading.regrade_question(get_question("t-single"), apply=True, actor=trainer)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "attempt.regraded")) == 1


def test_exam_pages_render_for_the_learner(client, auth, learner):
    auth.login(learner)
    assert "測試課後測" in client.get("/exams/").get_data(as_text=True)
    assert client.get("/exams/tst-101-post").status_code == 200
    url = client.post("/exams/tst-101-post/start").headers["Location"]
    html = client.get(url).get_data(as_text=True)
    assert 'role="timer"' in html and 'name="seq1"' in html
    # Without JavaScript: saving a page posts its answers and moves on.
    attempt = db.session.scalar(select(Attempt))
    aq = grading.questions_of(attempt)[0]
    form = {"positions": "1", "seq1": "1", "goto": "2"}
    form.update(_form_for(aq))
    response = client.post(f"{url}/page", data=form)
    assert response.headers["Location"].endswith("page=2")
    assert db.session.get(AttemptQuestion, aq.id).response is not None
    assert client.get(f"{url}/submit").status_code == 200
    assert client.get("/exams/nope").status_code == 404


def _form_for(aq):
    correct = QUESTION_TYPES[aq.version.qtype].correct_response(aq.version.data)
    name = f"q{aq.position}"
    if "choice" in correct:
        return {name: correct["choice"]}
    if "choices" in correct:
        return {name: correct["choices"]}
    if "value" in correct:
        return {name: str(correct["value"]).lower()}
    if "text" in correct:
        return {name: correct["text"]}
    if "matches" in correct:
        return {f"{name}-{k}": str(v) for k, v in correct["matches"].items()}
    return {f"{name}-{item}": str(place + 1) for place, item in enumerate(correct["order"])}
