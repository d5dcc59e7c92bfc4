"""Trainer pages: GIFT import/export, the question editor, the exam builder, grading and analysis."""

import io

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.db import db
from lms.exams import answers, attempts, availability, grading
from lms.exams.models import Attempt, Exam, Question, QuestionVersion
from lms.exams.question_types import QUESTION_TYPES
from lms.exams.reports import item_analysis

GOOD_GIFT = """// exported from another LMS
$CATEGORY: $course$/電話禮儀

// [id:moodle-q1] [tag:std:4.1.1-a] [tag:phone]
::三聲::來電要在第幾聲內接起？{#3}

// [tag:std:4.1.3-b]
::誰先掛::通話結束時應該讓客戶先掛斷。{T#錯：要等客戶。#對。}

// [tag:std:4.1.1-b]
::問候語::下列哪些屬於標準問候語？{~%50%公司名稱 ~%50%工號 ~%-100%天氣}
"""
BAD_GIFT = "// [tag:std:4.1.1-a]\nQ1 {T}\n\n// [tag:std:4.1.1-a]\nQ2 {=a ~b\n\n// [tag:std:4.1.1-a]\nQ3 {F}\n"


@pytest.fixture
def trainer(make, client, auth):
    make.content()
    user = make.user(Role.TRAINER)
    auth.login(user)
    return user


def _upload(client, text, bank="匯入題庫", tags="pro-201"):
    return client.post("/exams/manage/gift", data={"bank": bank, "tags": tags,
                                              "file": (io.BytesIO(text.encode()), "export.gift")},
                       content_type="multipart/form-data")


def test_gift_import_creates_questions_citing_standards(client, trainer):
    response = _upload(client, GOOD_GIFT)
    assert response.status_code == 302
    uids = set(db.session.scalars(select(Question.uid)))
    assert "moodle-q1" in uids and len([u for u in uids if u.startswith("bank-")]) == 2
    version = db.session.scalar(select(QuestionVersion).join(Question, Question.id == QuestionVersion.question_id)
                                .where(Question.uid == "moodle-q1"))
    assert version.qtype == "numerical" and version.standards == ["4.1.1-a"]
    assert "pro-201" in version.tags and "電話禮儀" in version.tags and not any("$" in t for t in version.tags)


def test_malformed_gift_is_refused_with_the_line_and_nothing_imported(client, trainer):
    before = db.session.scalar(select(func.count()).select_from(Question))
    response = _upload(client, BAD_GIFT)
    html = response.get_data(as_text=True)
    summary = html.split("error-summary")[1].split("</ul>")[0]
    assert response.status_code == 200 and "第 5 行" in summary and summary.count("<li>") == 1
    assert "大括號缺少或順序錯誤" in summary  # the parser's message in the trainer's language
    assert db.session.scalar(select(func.count()).select_from(Question)) == before


def test_gift_problems_of_a_question_type_name_the_type_in_the_trainers_language(client, trainer):
    response = _upload(client, "// [tag:std:4.1.1-a]\nQ {~%50%a ~%20%b ~c}\n")
    assert "複選題：正確選項的權重合計為 70%，不是 100%" in response.get_data(as_text=True)
    client.post("/locale", data={"locale": "en", "next": "/"})
    response = _upload(client, "// [tag:std:4.1.1-a]\nQ {~%50%a ~%20%b ~c}\n")
    assert "Multiple response question: the correct options&#39; weights add up to 70%, not 100%" in (
        response.get_data(as_text=True))


def test_gift_without_standard_citation_is_refused(client, trainer):
    response = _upload(client, "Q {T}\n")
    assert "std:" in response.get_data(as_text=True)


def test_bank_exports_as_gift_that_imports_back(client, trainer):
    response = client.get("/exams/manage/banks/test-bank/export.gift")
    assert response.status_code == 200 and response.headers["X-Skipped-Questions"] == "1"  # the ordering one
    text = response.get_data(as_text=True)
    assert "[id:t-single]" in text and "[tag:std:4.1.1-a]" in text
    again = _upload(client, text, bank="test-bank", tags="")
    assert again.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(QuestionVersion)) == 9  # nothing changed


def test_question_editor_creates_and_versions(client, trainer):
    form = {"uid": "new-q", "qtype": "single", "name": "新題", "text": "三聲以內要做什麼？",
            "answers": "*接起電話 // 對\n再等等\n轉給同事", "truefalse": "true", "standards": "4.1.1-a",
            "tags": "pro-201", "difficulty": "1", "points": "1"}
    assert client.post("/exams/manage/banks/test-bank/new", data=form).status_code == 302
    assert client.post("/exams/manage/banks/test-bank/new", data=form).status_code == 200  # id taken
    form.pop("uid")
    response = client.post("/exams/manage/questions/new-q/edit", data={**form, "answers": "*接起電話\n掛掉"})
    assert response.status_code == 302
    question = db.session.scalar(select(Question).where(Question.uid == "new-q"))
    assert question.current_version.number == 2
    bad = client.post("/exams/manage/questions/new-q/edit", data={**form, "answers": "沒有正確答案\n也沒有"})
    assert bad.status_code == 200
    bad = client.post("/exams/manage/questions/new-q/edit", data={**form, "standards": "9.9.9-z"})
    assert "9.9.9-z" in bad.get_data(as_text=True)
    page = client.get("/exams/manage/questions/new-q").get_data(as_text=True)
    assert "choice--right" in page


def test_exam_builder_draws_from_two_pools_and_checks_them(client, trainer):
    form = {"slug": "pooled", "title": "兩個題池", "kind": "quiz", "course": "", "time_limit_minutes": "15",
            "overdue": "autosubmit", "grace_minutes": "0", "attempts": "2", "cooldown_minutes": "0", "pass_mark": "70",
            "shuffle_questions": "y", "shuffle_options": "y", "layout": "one_per_page", "review": "after_submit",
            "sections": "draw 2 from pool-a\ndraw 3 from pool-b only short numerical matching ordering"}
    assert client.post("/exams/manage/exams/new", data=form).status_code == 302
    exam = db.session.scalar(select(Exam).where(Exam.slug == "pooled"))
    assert len(exam.current_version.sections) == 2
    too_many = client.post("/exams/manage/exams/pooled/edit", data={**form, "sections": "draw 9 from pool-a"})
    assert too_many.status_code == 200 and "9" in too_many.get_data(as_text=True)
    unknown = client.post("/exams/manage/exams/pooled/edit", data={**form, "sections": "t-single nope-1"})
    assert "nope-1" in unknown.get_data(as_text=True)
    assert client.get("/exams/manage/exams/pooled").status_code == 200


def test_item_analysis_figures(app, client, trainer, make):
    exam = db.session.scalar(select(Exam).where(Exam.slug == "tst-101-post"))
    # Five learners: the stronger ones answer more questions right.
    for strength in range(5):
        learner = make.user()
        attempt = attempts.start_attempt(learner, exam, seed=3)
        for aq in grading.questions_of(attempt):
            qtype = QUESTION_TYPES[aq.version.qtype]
            right = aq.position <= strength
            response = qtype.correct_response(aq.version.data) if right else {"choice": "zz", "text": "x"}
            answers.save_answer(attempt.id, learner, aq.position, response, 1)
        attempts.submit_attempt(attempt.id, learner)
        db.session.commit()
    report = item_analysis(exam)
    assert report.test.n == 5 and 0 < report.test.mean_percent < 100
    assert all(0 <= row.stats.facility <= 1 for row in report.rows)
    assert any((row.stats.discrimination or 0) > 0.3 for row in report.rows)
    html = client.get("/exams/manage/exams/tst-101-post/analysis").get_data(as_text=True)
    assert "Cronbach" in html or "alpha" in html.lower() or "信度" in html


def test_grading_queue_override_and_audited_reading(client, trainer, make):
    learner = make.user()
    exam = db.session.scalar(select(Exam).where(Exam.slug == "tst-fixed"))
    attempt = attempts.start_attempt(learner, exam)
    answers.save_answer(attempt.id, learner, 3, {"text": "非常抱歉，已經記錄。"}, 1)
    attempts.submit_attempt(attempt.id, learner)
    db.session.commit()
    page = client.get("/exams/manage/grading").get_data(as_text=True)
    assert "非常抱歉" in page
    essay = next(q for q in grading.questions_of(attempt) if q.version.qtype == "essay")
    assert client.post(f"/exams/manage/answers/{essay.id}/grade", data={"score": "9", "comment": ""}).status_code == 302
    assert db.session.get(type(essay), essay.id).score is None  # above the maximum: refused
    client.post(f"/exams/manage/answers/{essay.id}/grade", data={"score": "3.5", "comment": "好", "next": "queue"})
    assert db.session.get(Attempt, attempt.id).status == "graded"
    client.get(f"/exams/manage/attempts/{attempt.id}")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempt.viewed")) is not None


def test_accommodation_release_and_regrade_pages(client, trainer, make):
    learner = make.user(employee_no="ACC01")
    response = client.post("/exams/manage/exams/tst-fixed/accommodations", data={
        "employee_no": "acc01", "extra_minutes": "20", "extra_attempts": "1", "note": "輔具"})
    assert response.status_code == 302
    assert availability.exam_access(learner, db.session.scalar(select(Exam).where(Exam.slug == "tst-fixed"))).extra_minutes == 20
    client.post("/exams/manage/exams/tst-fixed/release")
    assert db.session.scalar(select(Exam).where(Exam.slug == "tst-fixed")).results_released_at is not None
    assert client.get("/exams/manage/questions/t-single/regrade").status_code == 200


def test_learners_cannot_use_trainer_pages(client, auth, make):
    make.content()
    auth.login(make.user())
    for url in ("/exams/manage/", "/exams/manage/grading", "/exams/manage/gift", "/exams/manage/exams/tst-fixed/analysis"):
        assert client.get(url).status_code == 403


def test_tags_are_shown_as_the_codes_they_are(client, auth, make):
    """A question's tags name the pools exams draw from ("tst-101, pool-a"): shown as code beside the
    question's words, on the bank page and the question page, like its id."""
    make.content()
    auth.login(make.user(Role.TRAINER))
    bank = client.get("/exams/manage/banks/test-bank").get_data(as_text=True)
    question = client.get("/exams/manage/questions/t-single").get_data(as_text=True)
    for html in (bank, question):
        assert "<code>tst-101</code>, <code>pool-a</code>" in html
        assert "tst-101, pool-a" not in html
