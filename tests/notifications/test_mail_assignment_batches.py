"""One action that assigns several courses to a person (a certification programme from the board, an onboarding
run) tells that person once, listing the courses with their due dates, in their language. A single course keeps
its own message. The once-only key belongs to the action: the daily run never repeats it, a later action is
told again."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from lms import mail
from lms.accounts.models import Role
from lms.board.bulk import assign_programme_to_chosen
from lms.courses.enrolment import assign_courses
from lms.courses.models import Course, Enrolment
from lms.db import db
from lms.notifications.dispatch import send_digests
from lms.notifications.hooks import notify_task
from lms.notifications.models import Notification
from lms.notifications.preferences import save_deliveries
from lms.notifications.todo import todo_groups
from lms.timeutil import local_today
from tests.certification.helpers import course_requirements, programme_of_courses
from tests.notifications.helpers import build_world, mails_to, run_twice

CODES = ("TST-101", "TST-201", "TST-301")
TITLES = ("TST-101 測試基礎課", "TST-201 測試投訴處理", "TST-301 測試管理課")


@pytest.fixture
def world(make):
    people = build_world(make)
    programme_of_courses("tst-three", "測試三門課認證", course_requirements(*CODES))
    db.session.commit()
    return people


def _courses(*codes):
    return list(db.session.scalars(select(Course).where(Course.code.in_(codes)).order_by(Course.code)))


def test_a_programme_of_three_courses_to_two_people_sends_two_mails_each_listing_the_three(world):
    due = local_today() + timedelta(days=5)
    people = [world["learner"], world["learner_en"]]
    assign_programme_to_chosen(world["manager"], [p.id for p in people], "tst-three", due)
    db.session.commit()  # the task runs once the action's transaction commits
    assert len(mail.outbox) == 2
    zh, en = mails_to(world["learner"]), mails_to(world["learner_en"])
    assert [m["Subject"] for m in zh] == ["已為您指派 3 門課程"]
    assert [m["Subject"] for m in en] == ["3 courses assigned to you"]
    zh_body, en_body = zh[0].get_content(), en[0].get_content()
    assert "學員甲 您好" in zh_body and "以下課程已指派給您" in zh_body and "/courses/mine" in zh_body
    assert "Dear Lee Learner," in en_body and "These courses have been assigned to you:" in en_body
    for title in TITLES:
        assert f"- {title}，完成期限 {due.isoformat()}" in zh_body
        assert f"- {title}, due {due.isoformat()}" in en_body
    run_twice()  # the daily run finds the same action: already told
    assert len(mail.outbox) == 2
    # Each one's to-do list shows the three courses due soon.
    for person in people:
        groups = {g.key: g for g in todo_groups(person)}
        assert sorted(item.title for item in groups["course_due_soon"].items) == sorted(TITLES)


def test_two_actions_each_tell_even_of_the_same_courses(world):
    learner = world["learner_en"]
    assign_courses(world["manager"], _courses("TST-101", "TST-201"), [learner], None)
    db.session.commit()
    db.session.execute(delete(Enrolment).where(Enrolment.user_id == learner.id))  # unassigned, then again
    db.session.commit()
    assign_courses(world["manager"], _courses("TST-101", "TST-201"), [learner], local_today() + timedelta(days=9))
    db.session.commit()
    subjects = [m["Subject"] for m in mails_to(learner)]
    assert subjects == ["2 courses assigned to you", "2 courses assigned to you"]
    assert "- TST-101 測試基礎課, no due date" in mails_to(learner)[0].get_content()
    keys = db.session.scalars(select(Notification.subject_key).where(Notification.recipient_id == learner.id))
    assert len({k for k in keys if k.startswith("assignment:")}) == 2


def test_a_new_hire_hears_of_the_onboarding_path_once(world, make):
    hire = make.user(team=world["team"], name="新人丙", hire_date=local_today())
    mine = mails_to(hire)
    assert [m["Subject"] for m in mine] == ["已為您指派 2 門課程"]  # the test path: TST-101 and TST-201
    assert "TST-101 測試基礎課" in mine[0].get_content() and "TST-201 測試投訴處理" in mine[0].get_content()


def test_the_daily_run_sends_the_same_one_message_if_the_request_s_task_never_ran(world):
    learner = world["learner"]
    assign_courses(world["manager"], _courses(*CODES), [learner], local_today() + timedelta(days=20))
    db.session.info.pop("tasks_after_commit", None)  # the queue lost the task
    db.session.commit()
    assert mail.outbox == []
    run_twice()
    assert [m["Subject"] for m in mails_to(learner)] == ["已為您指派 3 門課程"]
    ids = list(db.session.scalars(select(Enrolment.id).where(Enrolment.user_id == learner.id)))
    notify_task("course_assigned", ids)  # the task arrives late after all: already told
    assert len(mails_to(learner)) == 1


def test_the_digest_names_the_action_in_words(world):
    save_deliveries(world["learner_en"], {"courses": "digest"})
    assign_courses(world["manager"], _courses(*CODES), [world["learner_en"]], None)
    db.session.commit()
    assert mail.outbox == []
    assert send_digests() == 1
    db.session.commit()  # the digest leaves with the commit
    assert "3 courses assigned to you" in mails_to(world["learner_en"])[0].get_content()


def test_one_course_keeps_its_own_message(world, make):
    trainer = make.user(Role.TRAINER)
    assign_courses(trainer, _courses("TST-301"), [world["learner"]], None)
    db.session.commit()
    assert [m["Subject"] for m in mails_to(world["learner"])] == ["新指派的課程：TST-301 測試管理課"]
