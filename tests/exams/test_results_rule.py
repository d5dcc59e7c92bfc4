"""One rule decides what a learner sees of an exam result (lms/exams/review.py ``release_policy``), and every
consumer follows it: the exam page, the review, the lists of best results, the transcript PDF and the
certificate evidence. tst-fixed shows results after it closes and has no closing date, so a graded attempt
stays hidden until a trainer releases the results."""

import subprocess
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from lms.accounts.models import Role
from lms.certification import documents
from lms.certification.eligibility import eligibility
from lms.certification.programmes import get_programme
from lms.db import db, utcnow
from lms.exams.models import Attempt, AttemptStatus, Exam
from lms.exams.queries import best_results
from lms.exams.review import release_policy

NOW = utcnow()
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(("status", "settings", "released", "marks", "answers", "says"), [
    ("graded", {"review": "after_submit"}, None, True, True, ""),
    ("graded", {}, None, True, True, ""),
    ("needs_grading", {"review": "after_submit"}, None, False, False, "waiting for a trainer"),
    ("in_progress", {"review": "after_submit"}, None, False, False, ""),
    ("discarded", {"review": "after_submit"}, None, False, False, ""),
    ("graded", {"review": "never"}, None, True, False, "not shown"),
    ("needs_grading", {"review": "never"}, None, False, False, "waiting for a trainer"),
    ("graded", {"review": "after_close"}, None, False, False, "when a trainer releases them"),
    ("graded", {"review": "after_close", "available_until": (NOW + HOUR).isoformat()}, None, False, False,
     "when the exam closes"),
    ("graded", {"review": "after_close", "available_until": (NOW - HOUR).isoformat()}, None, True, True, ""),
    ("graded", {"review": "after_close"}, NOW, True, True, ""),
    ("needs_grading", {"review": "after_close"}, NOW, False, False, "waiting for a trainer"),
])
def test_the_rule(app, status, settings, released, marks, answers, says):
    with app.test_request_context("/"), force_locale("en"):
        policy = release_policy(status, settings, released, NOW)
    assert (policy.show_marks, policy.show_answers) == (marks, answers)
    assert says in policy.message and bool(says) == bool(policy.message)


@pytest.fixture
def graded(make):
    """A learner with a graded 85% attempt of tst-fixed, whose results are not released."""
    make.content()
    learner = make.user(Role.LEARNER, name="林雅婷")
    exam = db.session.scalar(select(Exam).where(Exam.slug == "tst-fixed"))
    db.session.add(Attempt(exam_id=exam.id, exam_version_id=exam.current_version_id, user_id=learner.id, number=1,
                           status=AttemptStatus.GRADED, started_at=utcnow(), submitted_at=utcnow(),
                           graded_at=utcnow(), score=85, max_score=100, percent=85.0, passed=True))
    db.session.commit()
    return learner, exam


def _release(exam):
    exam.results_released_at = utcnow()
    db.session.commit()


def test_the_exam_page_says_when_results_are_shown_without_inventing_a_closing_date(graded, client, auth):
    learner, exam = graded
    auth.login(learner)
    body = client.get("/exams/tst-fixed").get_data(as_text=True)
    assert "成績要等培訓師公布後才會顯示" in body and "考試截止後" not in body


def test_the_lists_of_best_results_hide_an_unreleased_score(graded, client, auth):
    learner, exam = graded
    auth.login(learner)
    assert best_results(learner, [exam.id]) == {}
    assert "85%" not in client.get("/exams/").get_data(as_text=True)
    _release(exam)
    assert best_results(learner, [exam.id])[exam.id].percent == 85.0
    assert "85%" in client.get("/exams/").get_data(as_text=True)


def _transcript_text(user, tmp_path) -> str:
    with documents.current_app.test_request_context("/"):
        pdf = documents.transcript_pdf(user)
    (tmp_path / "t.pdf").write_bytes(pdf)
    return subprocess.run(["pdftotext", str(tmp_path / "t.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_transcript_prints_a_score_only_once_it_is_released(graded, tmp_path):
    learner, exam = graded
    text = _transcript_text(learner, tmp_path)
    assert "林雅婷" in text and "固定題目與申論" not in text and "85%" not in text
    _release(exam)
    text = _transcript_text(learner, tmp_path)
    assert "固定題目與申論" in text and "85%" in text


def test_an_unreleased_result_is_no_certificate_evidence_yet(graded):
    learner, exam = graded
    written = next(r for r in eligibility(learner, get_programme("tst-cert")).results
                   if r.requirement["id"] == "written")
    assert not written.met and "85" not in written.detail
    _release(exam)
    written = next(r for r in eligibility(learner, get_programme("tst-cert")).results
                   if r.requirement["id"] == "written")
    assert written.met and "85" in written.detail
