"""Pages built from content are cached per content generation (issue 11): a change of content shows at
once, in every worker, and nothing else is ever served from a stale cache."""

from sqlalchemy import select

from lms.accounts.models import Role
from lms.db import db
from lms.generations import CONTENT, RESULTS, DataGeneration, cached, changed, current


def _token():
    return db.session.scalar(select(DataGeneration.token).where(DataGeneration.name == CONTENT))


def test_the_token_changes_once_per_transaction_and_only_when_it_commits(app):
    changed(CONTENT)
    db.session.commit()
    first = _token()
    assert first is not None
    changed(CONTENT)
    changed(CONTENT)
    assert _token() == first  # written when the transaction commits, not before
    db.session.rollback()
    assert _token() == first
    nested = db.session.begin_nested()
    changed(CONTENT)
    nested.rollback()
    db.session.commit()
    second = _token()
    assert second != first  # what a savepoint noted is written with its transaction (at worst a rebuild)
    db.session.commit()
    assert _token() == second  # a transaction that changed nothing leaves it


def test_cache_is_reused_while_the_generation_stays_and_rebuilt_after_a_change(app):
    builds = []

    def build():
        builds.append(1)
        return len(builds)

    with app.test_request_context("/"):
        if current(CONTENT) is None:  # no content was ever written here: nothing is cached
            assert cached(CONTENT, ("t",), build) != cached(CONTENT, ("t",), build)
    changed(CONTENT)
    db.session.commit()
    builds.clear()
    with app.test_request_context("/"):
        assert cached(CONTENT, ("t",), build) == cached(CONTENT, ("t",), build)
    changed(CONTENT)
    db.session.commit()
    with app.test_request_context("/"):
        assert cached(CONTENT, ("t",), build) == 2 and current(CONTENT) == _token()
    assert len(builds) == 2


def test_coverage_matrix_shows_a_new_citation_after_a_content_change(client, auth, make):
    from lms.standards.services import replace_citations

    make.content()
    auth.login(make.user(Role.TRAINER))
    client.post("/locale", data={"locale": "en"})
    before = client.get("/standards/coverage").get_data(as_text=True)
    assert "6 items · 1 not taught by any lesson" in before
    replace_citations("lesson", [999_999], [(999_999, "新的示範課 · 核實問題", "", ["5.2.1-b"])])
    db.session.commit()
    after = client.get("/standards/coverage").get_data(as_text=True)
    assert "新的示範課" in after and "6 items · 0 not taught by any lesson" in after


# ------------------------------------------------------------------ the results generation, noted by itself


def _results_token():
    return db.session.scalar(select(DataGeneration.token).where(DataGeneration.name == RESULTS))


def test_a_graded_exam_changes_the_results_token_and_typing_an_answer_does_not(app, make):
    from lms.exams import answers, attempts, grading
    from lms.exams.models import Attempt, AttemptStatus, Exam
    from lms.exams.question_types import QUESTION_TYPES

    make.content()
    learner = make.user()
    exam = db.session.scalar(select(Exam).where(Exam.slug == "tst-101-post"))
    with app.test_request_context("/"):
        attempt = attempts.start_attempt(learner, exam, seed=1)
    db.session.commit()
    started = _results_token()
    assert started is not None
    aq = grading.questions_of(attempt)[0]
    response = QUESTION_TYPES[aq.version.qtype].correct_response(aq.version.data)
    answers.save_answer(attempt.id, learner, aq.position, response, aq.sequence + 1)
    db.session.commit()
    assert _results_token() == started  # an answer being typed adds nothing up
    attempts.submit_attempt(attempt.id, learner)
    db.session.commit()
    assert db.session.get(Attempt, attempt.id).status == AttemptStatus.GRADED
    assert _results_token() != started


def test_logins_sessions_and_audit_leave_the_results_token(app, client, make, auth):
    user = make.user(Role.MANAGER)
    db.session.merge(DataGeneration(name=RESULTS, token="before"))
    db.session.commit()
    auth.login(user)  # a login time, a session row, an audit entry
    assert client.get("/").status_code == 200
    assert _results_token() == "before"
    user.name = "改了名字"  # a change a board shows
    db.session.commit()
    assert _results_token() != "before"


def test_an_orm_bulk_statement_changes_the_results_token(app, make):
    from sqlalchemy import update

    from lms.accounts.models import User

    user = make.user()
    db.session.merge(DataGeneration(name=RESULTS, token="before"))
    db.session.commit()
    db.session.execute(update(User).where(User.id == user.id).values(is_active=False))
    db.session.commit()
    assert _results_token() != "before"


def test_a_report_shows_a_new_result_at_once(app, client, make, auth):
    """The team report is built from the cache while nothing changes, and again after a test is graded."""
    from tests.evaluation.helpers import cohort, take_test

    make.content()
    manager = make.user(Role.MANAGER)
    team = make.team("甲組", managers=[manager])
    learners = cohort(make, team, size=5)
    auth.login(manager)
    path = f"/evaluation/manage/reports/team/{team.id}"
    first = client.get(path).get_data(as_text=True)
    assert client.get(path).get_data(as_text=True).count("<svg") == first.count("<svg")
    late = make.user(team=team, name="新來的學員")
    take_test(late, "tst-101-pre", 0)
    take_test(late, "tst-101-post", 4)
    after = client.get(path).get_data(as_text=True)
    assert "新來的學員" in after and "新來的學員" not in first
    assert len(learners) == 5


def test_scrolling_a_lesson_leaves_the_results_token_and_finishing_it_does_not(app, make):
    from lms.courses.reading import complete_lesson, save_position

    make.content()
    learner = make.user()
    make.enrol(learner, "TST-101")
    save_position(learner, "TST-101", "pickup", 0.2)  # the first position writes a row: that counts
    db.session.commit()
    before = _results_token()
    save_position(learner, "TST-101", "pickup", 0.6)
    db.session.commit()
    assert _results_token() == before  # how far down someone has read adds nothing up
    complete_lesson(learner, "TST-101", "pickup")
    db.session.commit()
    assert _results_token() != before


def test_the_home_page_is_kept_per_person_and_shows_a_new_result_at_once(app, client, make, auth):
    from tests.evaluation.helpers import take_test

    make.content()
    learner, other = make.user(name="第一位學員"), make.user(name="第二位學員")
    auth.login(learner)
    first = client.get("/").get_data(as_text=True)
    assert "第一位學員" in first and client.get("/").get_data(as_text=True) == first
    take_test(other, "tst-101-post", 4)  # someone else's result: a new token, the same page for this one
    assert "第二位學員" not in client.get("/").get_data(as_text=True)
    take_test(learner, "tst-101-post", 4)
    results = client.get("/").get_data(as_text=True).split('id="my-results-h"', 1)[1]
    assert "測試課後測" in results and "測試課後測" not in first.split('id="my-results-h"', 1)[1]  # at once
