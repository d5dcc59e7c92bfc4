"""A small world for the notification tests: a team with a Chinese-speaking and an English-speaking learner,
an English-speaking manager, a trainer."""

from sqlalchemy import select

from lms import mail
from lms.accounts.models import Locale, Role
from lms.db import db
from lms.exams.models import Exam
from lms.notifications.dispatch import run_notifications


def build_world(make) -> dict:
    make.content()
    manager = make.user(Role.MANAGER, name="Morgan Manager", locale=Locale.EN)
    team = make.team("一組", managers=[manager])
    return {"learner": make.user(team=team, name="學員甲"),
            "learner_en": make.user(team=team, name="Lee Learner", locale=Locale.EN),
            "trainer": make.user(Role.TRAINER, name="講師乙"),
            "manager": manager, "team": team}


def run_twice(now=None) -> list:
    """Run the notify command's work twice (committing like the command); return the mails of both runs."""
    for _ in range(2):
        run_notifications(now)
        db.session.commit()
    return list(mail.outbox)


def mails_to(user) -> list:
    return [m for m in mail.outbox if m["To"] == user.email]


def exam(slug="tst-fixed") -> Exam:
    return db.session.scalar(select(Exam).where(Exam.slug == slug))
