"""Choices the scheduling form offers: trainers, published courses and the tests of courses."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from lms.classroom.scheduling import data_from_template, trainers
from lms.courses.catalogue import course_choices
from lms.courses.models import Course
from lms.db import db
from lms.exams.models import Exam, ExamVersion
from lms.timeutil import local_today, local_zone


def exam_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(select(Exam.slug, ExamVersion.title, Course.code)
                              .join(ExamVersion, ExamVersion.id == Exam.current_version_id)
                              .join(Course, Course.id == Exam.course_id).order_by(Course.code, Exam.slug)).all()
    return [(slug, f"{code} · {title}") for slug, title, code in rows]


def form_choices():
    """(trainers, courses, exams) for SessionForm.set_choices."""
    return trainers(), course_choices(), exam_choices()


def next_morning() -> datetime:
    """Nine o'clock a week from today in the centre: where a new session from a template starts."""
    return datetime.combine(local_today() + timedelta(days=7), time(9, 0), tzinfo=local_zone())


def template_prefill(template, trainer_id: int) -> dict:
    """The scheduling form's values from a template (times as the centre's wall clock)."""
    data = data_from_template(template, next_morning())
    return {"kind": data.kind.value, "title": data.title, "description": data.description,
            "starts_at": data.starts_at.replace(tzinfo=None), "ends_at": data.ends_at.replace(tzinfo=None),
            "capacity": data.capacity, "course_code": data.course_code or "", "template_slug": template.slug,
            "trainer_id": trainer_id}
