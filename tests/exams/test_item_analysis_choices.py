"""Item analysis names each option by its text, not by the stored option id: learners saw the options
shuffled and without letters (issue 12, item 16)."""

import re

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.db import db
from lms.exams import answers, attempts, grading
from lms.exams.models import Exam
from lms.exams.question_types import QUESTION_TYPES
from lms.exams.reports import choice_counts, item_analysis


@pytest.fixture
def analysed(make):
    """Three learners take the shuffled post-test: two answer everything right, one picks the last option."""
    make.content()
    exam = db.session.scalar(select(Exam).where(Exam.slug == "tst-101-post"))
    for n in range(3):
        learner = make.user()
        attempt = attempts.start_attempt(learner, exam, seed=n)
        for aq in grading.questions_of(attempt):
            qtype = QUESTION_TYPES[aq.version.qtype]
            response = qtype.correct_response(aq.version.data)
            if n == 2 and aq.version.qtype == "single":
                response = {"choice": aq.version.data["options"][-1]["id"]}
            answers.save_answer(attempt.id, learner, aq.position, response, 1)
        attempts.submit_attempt(attempt.id, learner)
        db.session.commit()
    return exam


def test_choices_are_counted_under_their_own_text(analysed):
    rows = [r for r in item_analysis(analysed).rows if r.version.qtype == "single"]
    assert rows
    for row in rows:
        options = row.version.data["options"]
        assert [c.label for c in row.choices] == [o["text"][:40] for o in options]
        assert [c.is_right for c in row.choices] == [o["weight"] == 1 for o in options]
        assert sum(c.count for c in row.choices) == row.stats.n


def test_the_analysis_page_shows_option_texts_not_ids(client, auth, make, analysed):
    auth.login(make.user(Role.TRAINER))
    html = client.get("/exams/manage/exams/tst-101-post/analysis").get_data(as_text=True)
    cells = re.findall(r'<ul class="choice-counts">(.*?)</ul>', html, re.S)
    assert cells
    for cell in cells:
        assert not re.search(r"<li>[a-z]: \d", cell)  # no bare option ids
        assert "正確答案" in cell


def test_a_multiple_response_combination_joins_its_option_texts():
    from collections import Counter

    from lms.exams.models import QuestionVersion

    version = QuestionVersion(qtype="multiple", data={"options": [
        {"id": "a", "text": "公司名稱", "weight": 0.5, "feedback": ""},
        {"id": "b", "text": "工號", "weight": 0.5, "feedback": ""},
        {"id": "c", "text": "天氣", "weight": -1, "feedback": ""}]})
    rows = choice_counts(version, Counter({"a,b": 3, "c": 1}))
    assert [(r.label, r.count, r.is_right) for r in rows] == [
        ("公司名稱", 0, True), ("工號", 0, True), ("天氣", 1, False), ("公司名稱 + 工號", 3, True)]
