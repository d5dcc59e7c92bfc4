"""One check of exam sections for the file importer and the browser's builder (issue 12, item 6): every
attempt gets as many questions as the exam says."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from lms.accounts.models import Role
from lms.db import db
from lms.exams import attempts
from lms.exams.exam_rules import section_problems
from lms.exams.loader import DrawSpec, ExamSpec, QuestionSpec, QuizContent, SectionSpec, check_quiz_references
from lms.exams.models import Exam, ExamVersion

QUESTIONS = {f"q{i}": ({"a"} if i < 4 else {"b"}) | ({"c"} if i % 2 else set()) for i in range(8)}


def _pool(draw):
    return {uid for uid, tags in QUESTIONS.items() if set(draw.tags) <= tags}


def _problems(*sections):
    return [p.section for p in section_problems(sections, set(QUESTIONS), _pool)]


def fixed(*uids):
    return SectionSpec(questions=uids)


def draw(count, *tags):
    return SectionSpec(draw=DrawSpec(tuple(tags), count))


def test_the_cases_of_the_issue_are_refused_and_sound_exams_pass():
    assert _problems(fixed("q0"), draw(2, "b"), draw(2, "a")) == []
    assert _problems(draw(0, "a")) == [1]  # draw 0
    assert _problems(fixed("q0", "q0", "q0")) == [1, 1]  # the same fixed id three times
    assert _problems(fixed("q0"), fixed("q0")) == [2]  # … or in two sections
    assert _problems(fixed("q9")) == [1]  # no such question
    assert _problems(draw(3, "a"), draw(3, "a")) == [2]  # two sections drawing from one pool of four
    assert _problems(draw(3, "a"), draw(3, "c")) == [2]  # overlapping pools: the first may take what the second needs
    assert _problems(fixed("q1"), draw(4, "a")) == [2]  # a fixed question is never drawn: three are left


@st.composite
def exams(draw_):
    sections = []
    for _ in range(draw_(st.integers(1, 4))):
        if draw_(st.booleans()):
            sections.append(fixed(*draw_(st.lists(st.sampled_from(sorted(QUESTIONS)), min_size=1, max_size=3))))
        else:
            tags = draw_(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=2, unique=True))
            sections.append(draw(draw_(st.integers(0, 5)), *tags))
    return sections


def _attempt(sections, rng):
    """What attempts.draw_questions does, on the in-memory bank."""
    fixed_ids = {uid for s in sections for uid in s.questions}
    chosen = []
    for section in sections:
        if section.draw is None:
            chosen += [uid for uid in dict.fromkeys(section.questions) if uid not in chosen]
            continue
        pool = sorted(_pool(section.draw) - fixed_ids - set(chosen))
        rng.shuffle(pool)
        chosen += pool[: section.draw.count]
    return chosen


@settings(max_examples=500, deadline=None)
@given(exams(), st.integers(0, 2**32))
def test_property_an_exam_that_passes_gives_every_attempt_the_questions_it_says(sections, seed):
    if section_problems(sections, set(QUESTIONS), _pool):
        return
    said = sum(len(s.questions) for s in sections) + sum(s.draw.count for s in sections if s.draw)
    rng = random.Random(seed)
    for _ in range(20):
        got = _attempt(sections, rng)
        assert len(got) == len(set(got)) == said


# ---------------------------------------------------------------- the importer and the builder run it


def _question(uid, tags):
    return QuestionSpec(uid, "truefalse", uid, "題目", "markdown", ("4.1.1-a",), tuple(tags), 2, 1.0, "",
                        {"answer": True, "feedback_true": "", "feedback_false": ""}, "quizzes/banks/x.yaml", 1)


def test_the_file_importer_refuses_the_same_problems():
    bank = type("Bank", (), {"questions": [_question(uid, tags) for uid, tags in QUESTIONS.items()]})()
    exam = ExamSpec("ex", "測驗", "quiz", None, None, {}, (fixed("q0", "q0"), draw(4, "a")),
                    "quizzes/exams/ex.yaml", {"sections": 7})
    errors = check_quiz_references(QuizContent([bank], [exam]), {"4.1.1-a"}, set())
    assert [(e.line, e.field) for e in errors] == [(7, "sections"), (7, "sections")]


@pytest.fixture
def trainer(make, client, auth):
    make.content()
    user = make.user(Role.TRAINER)
    auth.login(user)
    return user


FORM = {"slug": "rules", "title": "規則", "kind": "quiz", "course": "", "time_limit_minutes": "15",
        "overdue": "autosubmit", "grace_minutes": "0", "attempts": "2", "cooldown_minutes": "0", "pass_mark": "70",
        "layout": "one_per_page", "review": "after_submit"}


@pytest.mark.parametrize("sections, says", [
    ("draw 0 from pool-a", "至少抽一題"),
    ("t-single t-single t-single", "t-single"),
    ("draw 2 from pool-a\ndraw 2 from pool-a", "重疊"),
    ("t-single\ndraw 3 from pool-a", "固定題目不會被抽到"),
])
def test_the_builder_refuses_what_would_shorten_attempts(client, trainer, sections, says):
    response = client.post("/exams/manage/exams/new", data={**FORM, "sections": sections})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and says in html
    assert db.session.scalar(select(Exam).where(Exam.slug == "rules")) is None


def test_attempts_of_a_version_saved_before_the_check_still_get_each_question_once(trainer, make):
    exam = db.session.scalar(select(Exam).where(Exam.slug == "tst-fixed"))
    version = exam.current_version
    new = ExamVersion(exam_id=exam.id, number=version.number + 1, title=version.title, settings=version.settings,
                      sections=[{"questions": ["t-single", "t-single", "t-single"]}, {"draw": {"tags": ["pool-a"],
                                                                                           "count": 2}}],
                      content_hash="old", source="file")
    db.session.add(new)
    db.session.flush()
    chosen = attempts.draw_questions(new, set(), random.Random(1))
    ids = [v.question_id for v in chosen]
    assert len(ids) == len(set(ids)) == 3
