"""The learner's home (the next step of the onboarding path, path progress, certificates, recent results)
and the trainer's home (the queues with counts and the oldest item's age)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.certification import programmes, workflow
from lms.courses.models import Enrolment, Lesson, LessonProgress
from lms.db import db, utcnow
from lms.exams import answers, attempts
from lms.timeutil import local_today
from tests.certification.helpers import make_ready
from tests.conftest import Auth
from tests.notifications.helpers import exam


@pytest.fixture
def world(make):
    make.content()
    trainer = make.user(Role.TRAINER, name="講師乙")
    new_hire = make.user(name="新人丙", hire_date=local_today() - timedelta(days=3))  # on the onboarding path
    return {"trainer": trainer, "new_hire": new_hire}


def _home(app, user) -> str:
    client = Auth(app.test_client())
    client.login(user)
    response = client.client.get("/")
    assert response.status_code == 200  # and wrote nothing
    return response.get_data(as_text=True)


def _read_all_lessons(user, code):
    from lms.courses.models import Course

    course = db.session.scalar(select(Course).where(Course.code == code))
    for lesson in db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)):
        db.session.add(LessonProgress(user_id=user.id, lesson_id=lesson.id, position=1.0, completed_at=utcnow()))
    db.session.commit()


def test_a_new_hire_sees_the_paths_next_course_then_its_test(app, world):
    hire = world["new_hire"]
    html = _home(app, hire)
    assert "What to do next" in html or "下一步" in html
    assert "/courses/TST-101/continue" in html and "測試到職路徑" in html
    assert "0 / 2" in html  # 已完成 0 / 2 個步驟
    _read_all_lessons(hire, "TST-101")
    html = _home(app, hire)
    assert "/exams/tst-101-post" in html and "測驗" in html  # the lessons are read: the course's test is next


def test_the_next_step_of_a_learner_without_a_path_is_the_first_to_do_item(app, make):
    make.content()
    learner = make.user()
    make.enrol(learner, "TST-201", due=local_today() - timedelta(days=1))
    html = _home(app, learner)
    assert "/courses/TST-201" in html.split("next-step__title")[1][:100] and "已逾期的課程" in html


def test_certificates_show_the_renewal_window_and_results_show(app, world, make):
    learner, trainer = make.user(), world["trainer"]
    make_ready(learner, trainer)
    cert = workflow.issue_certificate(workflow.apply_for_certificate(learner, programmes.get_programme("tst-cert")),
                                      trainer)
    db.session.commit()
    html = _home(app, learner)
    assert "我的認證" in html and "測試一級認證" in html and "重新認證期間" in html
    assert f"{cert.renew_from.year}年" in html
    assert "最近的成績" in html and "80%" in html and "模擬通話" in html  # the test and the call of make_ready


def test_the_trainers_home_shows_each_queue_with_its_count_and_oldest_age(app, world):
    learner = world["new_hire"]
    attempt = attempts.start_attempt(learner, exam())
    answers.save_answer(attempt.id, learner, 3, {"text": "非常抱歉，已經記錄。"}, 1)
    attempts.submit_attempt(attempt.id, learner, now=utcnow() - timedelta(days=4))
    db.session.commit()
    html = _home(app, world["trainer"])
    queues = html.split('id="queues-h"')[1].split("</section>")[0]
    assert "待評分的作答" in queues and "待審閱的通話文字回覆" in queues and "待決定的認證申請" in queues
    assert "已等待 4 天" in queues and "/exams/manage/grading" in queues
    assert 'id="next-h"' not in html  # a trainer only: no learner panels


def test_someone_with_no_path_and_nothing_to_do_is_told_so(app, make):
    make.content()
    html = _home(app, make.user())
    assert "目前沒有待辦事項" in html and "尚無成績" in html
    assert not db.session.scalars(select(Enrolment)).all()
    assert date.today()  # the page rendered on any day
