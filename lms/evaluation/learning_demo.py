"""Demo data for the level-2 reports (part of ``flask lms demo``): twelve more agents in the demo team who
took the complaint-handling course PRO-205 with its pre-test and post-test, in two groups five and two
months ago, and the improvement action recorded between them, with its effect measured.

The first group still misses the questions on the third complaint step (5.2.1-c, checking the facts with
the customer) after the course; the action adds practice on that step; the second group gets them right.
Everything goes through the exam and course services at the dates it happened, with fixed random seeds,
so the demo is the same on every machine (only the dates move with today)."""

import random
from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from lms.accounts.models import Team, User
from lms.accounts.users import UserData, create_user
from lms.courses.models import Course, Enrolment, EnrolmentSource
from lms.db import db
from lms.evaluation.models import ActionStatus, ImprovementAction
from lms.evaluation.report_sections import ReportScope
from lms.evaluation.reports import build_report, minimum_group
from lms.timeutil import local_today, local_zone

COURSE = "PRO-205"
WEAK_ITEM = "5.2.1-c"
TEAM = "客服一組"
TRAINER = "T0001"
# employee number, name; the first six took the course five months ago, the others two months ago
LEARNERS = [
    ("L0301", "吳佩珊"), ("L0302", "蔡承翰"), ("L0303", "鄭雅琪"), ("L0304", "謝宗翰"), ("L0305", "許雅雯"),
    ("L0306", "郭俊宏"), ("L0307", "洪詩涵"), ("L0308", "曾柏宇"), ("L0309", "廖家豪"), ("L0310", "賴怡君"),
    ("L0311", "周冠廷"), ("L0312", "葉佳穎"),
]
FIRST_GROUP_DAYS_AGO, ACTION_DAYS_AGO, SECOND_GROUP_DAYS_AGO = 150, 120, 60
FINDING = "投訴處理課程結束後，多數學員在「與客戶逐一確認事實」（5.2.1-c）的題目仍然答錯。"
ACTION = "在課程中加入核實事實的對話演練：講師示範後，學員兩人一組輪流扮演客戶，練習複述與確認。"


def _moment(days_ago: int, hour: int = 10) -> datetime:
    return datetime.combine(local_today() - timedelta(days=days_ago), time(hour), local_zone())


def _learner(number: str, name: str, team: Team, hired: datetime) -> User:
    user = db.session.scalar(select(User).where(User.employee_no == number))
    if user is None:
        from lms.accounts.demo import DEMO_PASSWORD

        user = create_user(UserData(employee_no=number, name=name, email=f"{number.lower()}@example.com",
                                    hire_date=hired.date(), team_id=team.id, roles={"learner"}), password=DEMO_PASSWORD)
    return user


def _take(user: User, slug: str, when: datetime, rng: random.Random, right: float, weak_right: float):
    """One attempt at ``when``: each question answered correctly with the given chance (a question on the
    weak item with its own chance), the others left blank; submitted five minutes later."""
    from lms.exams import answers, attempts, grading, queries
    from lms.exams.question_types import QUESTION_TYPES

    attempt = attempts.start_attempt(user, queries.get_exam(slug), now=when, seed=rng.randrange(10_000))
    for aq in grading.questions_of(attempt):
        chance = weak_right if WEAK_ITEM in (aq.version.standards or []) else right
        response = QUESTION_TYPES[aq.version.qtype].correct_response(aq.version.data)
        if response is not None and rng.random() < chance:
            answers.save_answer(attempt.id, user, aq.position, response, aq.sequence + 1,
                                now=when + timedelta(minutes=1))
    attempt = attempts.submit_attempt(attempt.id, user, now=when + timedelta(minutes=5))
    attempt.submitted_at = attempt.graded_at = when + timedelta(minutes=5)  # grading stamps the real time
    return attempt


def _course_run(user: User, course: Course, days_ago: int, rng: random.Random, weak_right: float) -> None:
    start = _moment(days_ago)
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id,
                                                          Enrolment.course_id == course.id))
    if enrolment is None:  # new hires may have it from their onboarding path already
        enrolment = Enrolment(user_id=user.id, course_id=course.id, source=EnrolmentSource.ASSIGNED)
        db.session.add(enrolment)
    enrolment.enrolled_at, enrolment.due_date = start - timedelta(days=1), (start + timedelta(days=14)).date()
    db.session.flush()
    _take(user, f"{COURSE.lower()}-pre", start, rng, right=rng.uniform(0.3, 0.6), weak_right=0.2)
    for number in range(3):
        post = _take(user, f"{COURSE.lower()}-post", start + timedelta(days=2, hours=number), rng,
                     right=0.8 + 0.07 * number, weak_right=weak_right)
        if post.passed:
            break
    enrolment.last_lesson_id = course.published_version.lesson_versions[-1].lesson_id
    enrolment.completed_at = start + timedelta(days=2, hours=4) if rng.random() < 0.85 else None


def _action(trainer: User, team: Team) -> None:
    """The improvement action, its baseline as the course report read on the day it was recorded, and its
    effect as the same report over the time since."""
    recorded = _moment(ACTION_DAYS_AGO, 15)
    before = build_report(ReportScope("course", COURSE, None, recorded.date(), minimum_group()))
    after = build_report(ReportScope("course", COURSE, recorded.date(), local_today(), minimum_group()))
    db.session.add(ImprovementAction(
        report_kind="course", report_params={"key": COURSE, "start": None, "end": recorded.date().isoformat()},
        report_title=before.title, finding=FINDING, action=ACTION, owner_id=trainer.id,
        due_on=(recorded + timedelta(days=30)).date(), status=ActionStatus.DONE, baseline=dict(before.figures),
        effect=dict(after.figures), measured_at=_moment(3, 9), created_by_id=trainer.id, created_at=recorded,
        updated_at=_moment(3, 9)))


def load_demo_learning() -> bool:
    """Idempotent: does nothing when the demo agents are there already. False when the course, the demo
    team or the trainer is missing."""
    course = db.session.scalar(select(Course).where(Course.code == COURSE))
    team = db.session.scalar(select(Team).where(Team.name == TEAM))
    trainer = db.session.scalar(select(User).where(User.employee_no == TRAINER))
    if course is None or course.published_version is None or team is None or trainer is None:
        return False
    if db.session.scalar(select(User.id).where(User.employee_no == LEARNERS[0][0])) is not None:
        return True
    with current_app.test_request_context("/"):
        for index, (number, name) in enumerate(LEARNERS):
            first = index < len(LEARNERS) // 2
            days_ago = (FIRST_GROUP_DAYS_AGO if first else SECOND_GROUP_DAYS_AGO) - index % 3
            user = _learner(number, name, team, _moment(days_ago + 30))
            _course_run(user, course, days_ago, random.Random(index), weak_right=0.15 if first else 0.97)
        db.session.flush()
        _action(trainer, team)
    db.session.flush()
    return True
