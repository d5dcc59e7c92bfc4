"""A pre-test result is a placement, not a failure: it says what it means and links to the course
(issue 12, item 20)."""

import pytest
from sqlalchemy import select

from lms.db import db
from lms.exams import attempts
from lms.exams.models import Exam
from tests.exams.test_attempts import _answer_all


@pytest.fixture
def learner(make):
    make.content()
    user = make.user()
    make.enrol(user, "TST-101")
    return user


def _take(learner, slug, right):
    exam = db.session.scalar(select(Exam).where(Exam.slug == slug))
    attempt = attempts.start_attempt(learner, exam)
    db.session.commit()
    _answer_all(attempt, right=right)
    attempts.submit_attempt(attempt.id, learner)
    db.session.commit()
    return attempt.id


@pytest.mark.parametrize("right,meaning", [(False, "課程都會教"), (True, "已經掌握了不少")])
def test_a_pre_test_result_is_a_placement_with_a_link_to_the_course(client, auth, learner, right, meaning):
    attempt_id = _take(learner, "tst-101-pre", right)
    auth.login(learner)
    html = client.get(f"/exams/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "未通過" not in html and "tag--bad" not in html
    assert "程度評估，不分及格與否" in html and meaning in html
    assert 'href="/courses/TST-101"' in html and "前往課程" in html


def test_the_pre_test_page_has_no_pass_mark(client, auth, learner):
    auth.login(learner)
    html = client.get("/exams/tst-101-pre").get_data(as_text=True)
    assert "及格分數" not in html and "不分及格與否" in html


def test_a_post_test_still_passes_or_fails(client, auth, learner):
    attempt_id = _take(learner, "tst-101-post", False)
    auth.login(learner)
    html = client.get(f"/exams/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "未通過" in html and "程度評估" not in html
