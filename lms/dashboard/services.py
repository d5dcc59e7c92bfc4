"""What the home page shows: gathered here so that the view only renders."""

from dataclasses import dataclass, field

from markupsafe import Markup

from lms.accounts.models import Role, User
from lms.courses.progress import my_courses


@dataclass
class LearningSummary:
    courses: list  # the courses still open, as my_courses returns them
    completed: int
    overdue: int
    open_surveys: list = field(default_factory=list)  # reaction surveys waiting for an answer
    observation_tasks: int = 0  # observed calls this person (a trainer or manager) has to score


def learning_summary(user: User) -> LearningSummary:
    """A learner's open courses, how many are finished, and how many of the open ones are overdue."""
    courses = my_courses(user) if user.has_role(Role.LEARNER) else []
    open_courses = [c for c in courses if not c.enrolment.completed_at]
    from lms.evaluation.observations import observer_task_count
    from lms.evaluation.surveys import open_surveys

    return LearningSummary(open_courses, completed=len(courses) - len(open_courses),
                           overdue=sum(1 for c in open_courses if c.overdue), open_surveys=open_surveys(user),
                           observation_tasks=observer_task_count(user)
                           if user.has_role(Role.TRAINER, Role.MANAGER) else 0)


@dataclass
class Queue:
    """One of a trainer's queues on the home page: how many wait, since when, where to work them."""

    label: str
    count: int
    oldest: str  # the oldest item's age, in words
    url: str
    items: list = field(default_factory=list)  # the first few (to-do items), each linking to where it is done


TRAINER_QUEUES = ("answers_to_grade", "replies_to_review", "cases_to_review", "applications_to_review",
                  "observations_due")
QUEUE_ITEMS = 3  # items of each queue listed on the home page


def home_html(user: User) -> Markup:
    """The home page's content for this person, rendered. It is built from their results, the clock (due,
    overdue, expiring) and their language, so it is kept per person while no result changes (the results
    token), per language and per minute: a learner coming back to the home page costs a lookup."""
    from flask import render_template

    from lms.generations import cached_results

    return cached_results(("home", user.id),
                          lambda: Markup(render_template("dashboard/_home.html", **home_page(user))), "personal")


def home_page(user: User) -> dict:
    """Everything the home page shows, ready: the learning summary, the learner's next step and path, the
    trainer's queues — the last two from the one to-do computation."""
    from lms.competitions.home import competitions_home
    from lms.dashboard.learner_home import learner_home
    from lms.dashboard.trainer_home import (
        DRAFT_KINDS,
        FLAG_MIN_ANSWERS,
        drafts_in_progress,
        flagged_questions,
    )
    from lms.mentoring.progress import mentoring_home
    from lms.notifications.todo import Moment, todo_groups
    from lms.urls import path_for

    moment = Moment.current()
    summary = learning_summary(user)
    groups = todo_groups(user, keep_empty=True)  # kept per person while no result changes
    learner_groups = [g for g in groups if Role.LEARNER in g.source.roles and g.count]
    mentoring = mentoring_home(user)
    home = learner_home(user, learner_groups, moment, mentoring.as_mentee) if user.has_role(Role.LEARNER) else None
    trainer = user.has_role(Role.TRAINER)
    queues = [Queue(g.label, g.count, g.oldest_label, path_for(g.source.queue_endpoint), g.items[:QUEUE_ITEMS])
              for g in groups if g.key in TRAINER_QUEUES] if trainer else []
    return {"drafts": drafts_in_progress(user) if trainer else None, "flagged": flagged_questions() if trainer else None,
            "draft_kinds": DRAFT_KINDS, "flag_min_answers": FLAG_MIN_ANSWERS,
            "courses": summary.courses, "completed": summary.completed, "overdue": summary.overdue,
            "open_surveys": summary.open_surveys, "observation_tasks": summary.observation_tasks,
            "home": home, "queues": queues, "mentoring": mentoring, "competitions": competitions_home(user)}
