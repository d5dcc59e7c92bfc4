"""Every learner-facing notification kind: sent once (two runs, one mail), in the recipient's language, to the
right person; manager copies go to the manager, addressed to the manager."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms import mail
from lms.certification import programmes, workflow
from lms.courses.enrolment import enrol_users
from lms.courses.models import Course, EnrolmentSource
from lms.db import db, utcnow
from lms.exams import answers, attempts, grading
from lms.exams.question_types import QUESTION_TYPES
from lms.notifications.models import Notification
from lms.timeutil import local_today
from tests.certification.helpers import make_ready
from tests.notifications.helpers import build_world, exam, mails_to, run_twice


@pytest.fixture
def world(make):
    return build_world(make)


def _course(code):
    return db.session.scalar(select(Course).where(Course.code == code))


def test_course_assigned_in_a_request_is_mailed_once_in_each_language(world):
    enrol_users(_course("TST-201"), [world["learner"], world["learner_en"]], local_today() + timedelta(days=20),
                EnrolmentSource.ASSIGNED, world["trainer"])
    assert mail.outbox == []  # nothing before the commit
    db.session.commit()  # the task runs once the request's transaction commits
    zh, en = mails_to(world["learner"]), mails_to(world["learner_en"])
    assert len(zh) == 1 and zh[0]["Subject"] == "新指派的課程：TST-201 測試投訴處理"
    assert "學員甲 您好" in zh[0].get_content() and "/courses/TST-201" in zh[0].get_content()
    assert len(en) == 1 and en[0]["Subject"] == "New course assigned: TST-201 測試投訴處理"
    assert "Dear Lee Learner," in en[0].get_content()
    run_twice()  # the daily run finds the same assignment: already told
    assert len(mail.outbox) == 2


def test_a_simplified_chinese_reader_is_mailed_the_course_title_in_simplified_chinese(world, make):
    from lms.accounts.models import Locale

    reader = make.user(team=world["team"], name="学员丙", locale=Locale.ZH_HANS)
    enrol_users(_course("TST-201"), [reader], local_today() + timedelta(days=20), EnrolmentSource.ASSIGNED,
                world["trainer"])
    db.session.commit()
    [message] = mails_to(reader)
    assert message["Subject"] == "新指派的课程：TST-201 测试投诉处理"
    assert "測試" not in message.get_content() and "/courses/TST-201" in message.get_content()


def test_a_self_enrolment_is_not_told(world, make):
    from lms.courses.enrolment import enrol_self

    enrol_self(world["learner"], "TST-101")
    db.session.commit()
    run_twice()
    assert mails_to(world["learner"]) == []


def test_due_soon_and_overdue_once_each_with_the_manager_copy_addressed_to_the_manager(world, make):
    today = local_today()
    make.enrol(world["learner"], "TST-101", due=today + timedelta(days=2))
    make.enrol(world["learner_en"], "TST-201", due=today - timedelta(days=1))
    mail.outbox.clear()
    run_twice()
    zh = [m["Subject"] for m in mails_to(world["learner"])]
    assert sorted(zh) == sorted(["新指派的課程：TST-101 測試基礎課",
                                 f"課程將於 {(today + timedelta(days=2)).isoformat()} 到期：TST-101 測試基礎課"])
    en = [m["Subject"] for m in mails_to(world["learner_en"])]
    assert "Course overdue: TST-201 測試投訴處理" in en and len(en) == 2  # assigned + overdue
    copies = mails_to(world["manager"])
    assert [m["Subject"] for m in copies] == ["Overdue in your team: Lee Learner, TST-201 測試投訴處理"]
    assert copies[0].get_content().startswith("Dear Morgan Manager,")
    assert "Lee Learner in your team has not finished" in copies[0].get_content()


def test_a_moved_due_date_is_told_again(world, make):
    enrolment = make.enrol(world["learner"], "TST-101", due=local_today() - timedelta(days=1))
    run_twice()
    enrolment.due_date = local_today() - timedelta(days=3)
    db.session.commit()
    before = len(mails_to(world["learner"]))
    run_twice()
    assert len(mails_to(world["learner"])) == before + 1


def _graded_essay_attempt(learner, trainer, review):
    exam_ = exam()
    version = exam_.current_version
    version.settings = {**version.settings, "review": review}
    db.session.commit()
    attempt = attempts.start_attempt(learner, exam_)
    for aq in grading.questions_of(attempt):
        response = QUESTION_TYPES[aq.version.qtype].correct_response(aq.version.data) or {"text": "已記錄。"}
        answers.save_answer(attempt.id, learner, aq.position, response, aq.sequence + 1)
    attempts.submit_attempt(attempt.id, learner)
    db.session.commit()
    essay = next(q for q in grading.questions_of(attempt) if q.version.qtype == "essay")
    grading.grade_question(essay, 3, "好", trainer)
    db.session.commit()
    return attempt


def test_an_essay_graded_tells_the_learner_once_when_the_result_shows(world):
    _graded_essay_attempt(world["learner_en"], world["trainer"], "after_submit")
    en = mails_to(world["learner_en"])
    assert [m["Subject"] for m in en] == ["Your result is ready: 固定題目與申論"]
    assert "/exams/attempts/" in en[0].get_content()
    run_twice()
    assert len(mails_to(world["learner_en"])) == 1


def test_results_held_until_release_are_told_after_the_release(world):
    _graded_essay_attempt(world["learner"], world["trainer"], "after_close")
    assert mails_to(world["learner"]) == []  # graded, but not shown before the release
    run_twice()
    assert mails_to(world["learner"]) == []
    exam().results_released_at = utcnow()
    db.session.commit()
    run_twice()
    assert [m["Subject"] for m in mails_to(world["learner"])] == ["您的成績已公布：固定題目與申論"]


def test_an_application_decided_is_told_once(world):
    learner, trainer = world["learner_en"], world["trainer"]
    make_ready(learner, trainer)
    application = workflow.apply_for_certificate(learner, programmes.get_programme("tst-cert"))
    db.session.commit()
    mail.outbox.clear()
    workflow.issue_certificate(application, trainer)
    db.session.commit()
    assert [m["Subject"] for m in mails_to(learner)] == ["Certificate issued: 測試一級認證"]
    run_twice()
    assert [m["Subject"] for m in mails_to(learner)].count("Certificate issued: 測試一級認證") == 1


def test_an_application_returned_is_told_with_the_reasons(world):
    learner, trainer = world["learner"], world["trainer"]
    make_ready(learner, trainer)
    application = workflow.apply_for_certificate(learner, programmes.get_programme("tst-cert"))
    db.session.commit()
    mail.outbox.clear()
    workflow.return_application(application, trainer, "請補上通話錄音")
    db.session.commit()
    zh = mails_to(learner)
    assert [m["Subject"] for m in zh] == ["申請已退回：測試一級認證"] and "請補上通話錄音" in zh[0].get_content()
    run_twice()
    assert [m["Subject"] for m in mails_to(learner)].count("申請已退回：測試一級認證") == 1


def test_certificate_expiring_to_the_holder_and_the_manager_each_in_their_language(world):
    learner, trainer = world["learner"], world["trainer"]
    make_ready(learner, trainer)
    cert = workflow.issue_certificate(workflow.apply_for_certificate(learner, programmes.get_programme("tst-cert")),
                                      trainer)
    db.session.commit()
    mail.outbox.clear()
    run_twice(cert.expires_at - timedelta(days=59))
    assert [m["Subject"] for m in mails_to(learner)] == ["認證即將到期：測試一級認證（剩 59 天）"]
    manager_mail = mails_to(world["manager"])
    assert [m["Subject"] for m in manager_mail] == ["Certificate expiring in your team: 學員甲, 測試一級認證"]
    assert manager_mail[0].get_content().startswith("Dear Morgan Manager,")
    assert db.session.scalar(select(Notification).where(Notification.kind == "certificate_expiring")) is not None
