"""The demo's level-2 story: two groups through PRO-205, the action between them, and its effect."""

from sqlalchemy import func, select

from lms.accounts.demo import load_demo_users
from lms.db import db
from lms.evaluation.learning_demo import LEARNERS, load_demo_learning
from lms.evaluation.models import ImprovementAction
from lms.exams.models import Attempt
from tests.factories import SHIPPED_CONTENT


def test_demo_learning_tells_a_true_story(app, make):
    make.content(SHIPPED_CONTENT)
    load_demo_users()
    assert load_demo_learning()
    db.session.commit()
    action = db.session.scalar(select(ImprovementAction))
    weak = "learning_items.wrong.5.2.1-c"
    # Before the action most of the first group still missed the step; after it few of the second do.
    assert action.baseline["learning.paired"] == len(LEARNERS) // 2
    assert action.effect["learning.paired"] == len(LEARNERS) // 2
    assert action.baseline[weak] > 50 > action.effect[weak]
    assert action.effect["learning.post_mean"] > action.baseline["learning.post_mean"]
    attempts = db.session.scalar(select(func.count()).select_from(Attempt))
    assert load_demo_learning()  # a second run adds nothing
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == attempts

