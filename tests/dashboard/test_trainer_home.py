"""The trainer's home (issue 18): drafts in progress, what waits for review (from the to-do registry, with its
first items) and the questions item analysis flags, each linking to where it is dealt with; a fixed number
of statements whatever the amount of data."""

from dataclasses import replace

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.cases import authoring as cases
from lms.cases import review
from lms.cases.authoring import CaseData
from lms.cases.scenario_draft import make_scenario_draft
from lms.courses import authoring
from lms.db import db
from lms.exams import answers, attempts, grading
from lms.exams.models import Exam
from lms.exams.question_types import QUESTION_TYPES
from tests.conftest import Auth
from tests.test_query_counts import counting

pytestmark = pytest.mark.usefixtures("cache_minute_held")


def _all_right(learner, exam) -> None:
    attempt = attempts.start_attempt(learner, exam, seed=3)
    for aq in grading.questions_of(attempt):
        answers.save_answer(attempt.id, learner, aq.position,
                            QUESTION_TYPES[aq.version.qtype].correct_response(aq.version.data), 1)
    attempts.submit_attempt(attempt.id, learner)


def _world(make, app, cases_waiting: int = 1, takers: int = 5) -> dict:
    make.content()
    trainer, learner = make.user(Role.TRAINER, name="講師乙"), make.user(name="學員甲")
    with app.test_request_context("/"):
        authoring.open_draft(authoring.get_course("TST-101"), trainer)
        data = CaseData("鈴響三聲內接起", "phone", "professional", "客戶來電詢問帳單", "先聆聽再確認", "當場解決",
                        "值得學習", ["4.1.1-a"])
        published = cases.save_case(learner, None, data, submit=True)
        review.publish_case(published.id, data, trainer)
        make_scenario_draft(published.id, trainer)
        for i in range(cases_waiting):
            cases.save_case(learner, None, replace(data, title=f"待審案例{i}"), submit=True)
        db.session.commit()
        exam = db.session.scalar(select(Exam).where(Exam.slug == "tst-101-post"))
        for _ in range(takers):
            _all_right(make.user(), exam)
            db.session.commit()
    return {"trainer": trainer, "learner": learner}


def _home(app, user) -> str:
    client = Auth(app.test_client())
    client.login(user)
    response = client.client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_trainers_home_shows_drafts_waiting_reviews_and_flagged_questions(app, make):
    people = _world(make, app)
    html = _home(app, people["trainer"])
    drafts = html.split('id="drafts-h"')[1].split("</section>")[0]
    assert 'href="/courses/manage/TST-101"' in drafts and "/calls/manage/" in drafts and "/edit" in drafts
    queues = html.split('id="queues-h"')[1].split("</section>")[0]
    assert "待審案例0" in queues and "/cases/manage/" in queues
    flagged = html.split('id="flagged-h"')[1].split("</section>")[0]
    assert "/exams/manage/questions/" in flagged and "/exams/manage/exams/tst-101-post/analysis" in flagged
    assert "測試課後測" in flagged and "1.00" in flagged  # every taker answered right: very easy


def test_too_few_answers_flag_nothing_and_learners_see_no_trainer_panels(app, make):
    people = _world(make, app, takers=2)
    html = _home(app, people["trainer"])
    assert "/exams/manage/questions/" not in html.split('id="flagged-h"')[1].split("</section>")[0]
    learner_home = _home(app, people["learner"])
    assert 'id="drafts-h"' not in learner_home and 'id="flagged-h"' not in learner_home


PAGES = [("trainer", "/"), ("trainer", "/courses/manage/paths"), ("trainer", "/courses/manage/paths/new-hire"),
         ("trainer", "/courses/manage/paths/new"), ("trainer", "/certification/programmes/tst-cert/form"),
         ("trainer", "/certification/programmes/tst-cert/initial/requirements/observed")]


def _counts(app, people) -> dict:
    counts = {}
    for role, url in PAGES:
        client = Auth(app.test_client())
        client.login(people[role])
        with counting() as statements:
            assert client.client.get(url).status_code == 200, url
        counts[url] = len(statements)
    return counts


def test_statement_counts_do_not_grow_with_drafts_reviews_or_answers(app, make):
    small = _counts(app, _world(make, app, cases_waiting=1, takers=5))
    from tests.conftest import _reset_database

    _reset_database()
    large = _counts(app, _world(make, app, cases_waiting=6, takers=9))
    assert {url: (small[url], large[url]) for url in small if large[url] > small[url]} == {}
