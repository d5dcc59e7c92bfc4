"""Shared steps of the evaluation tests: completing a course the way a learner does, and graded pre- and
post-test attempts through the exam services."""

from flask import current_app
from sqlalchemy import select

from lms.courses.reading import complete_lesson
from lms.db import db
from lms.exams import answers, attempts, grading
from lms.exams.models import Exam
from lms.exams.question_types import QUESTION_TYPES

LESSONS = {"TST-201": ("apology", "closing")}


def finish_course(make, learner, code="TST-201", assigned_by=None):
    """Enrol the learner and read every lesson, which completes the course (TST-201 has no test)."""
    enrolment = make.enrol(learner, code)
    if assigned_by is not None:
        enrolment.assigned_by_id = assigned_by.id
        db.session.commit()
    with current_app.test_request_context("/"):
        for slug in LESSONS[code]:
            complete_lesson(learner, code, slug)
    db.session.commit()
    return enrolment


def take_test(user, slug: str, right: int, seed: int = 1):
    """Answer the first ``right`` questions correctly and leave the rest blank; submit; return the attempt."""
    exam = db.session.scalar(select(Exam).where(Exam.slug == slug))
    attempt = attempts.start_attempt(user, exam, seed=seed)
    for aq in grading.questions_of(attempt)[:right]:
        response = QUESTION_TYPES[aq.version.qtype].correct_response(aq.version.data)
        answers.save_answer(attempt.id, user, aq.position, response, aq.sequence + 1)
    attempts.submit_attempt(attempt.id, user)
    db.session.commit()
    return attempt


def cohort(make, team, size: int = 5, pre_right: int = 1, post_right: int = 4):
    """``size`` learners of ``team`` who took TST-101's pre-test and post-test."""
    learners = []
    for i in range(size):
        learner = make.user(team=team)
        take_test(learner, "tst-101-pre", pre_right, seed=i)
        take_test(learner, "tst-101-post", post_right, seed=i)
        learners.append(learner)
    return learners
