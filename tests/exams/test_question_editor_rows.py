"""The question editor per type (issue 18): only the chosen type's rows, row buttons that work without
JavaScript, a learner's-eye preview that saves nothing, the item analysis of earlier versions, item-writing
cues in words, and errors beside the list at fault."""

import random

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Locale, Role
from lms.db import db
from lms.exams import answers, attempts
from lms.exams.models import Exam, Question, QuestionVersion
from lms.exams.question_types import QUESTION_TYPES

COMMON = {"name": "電話禮儀配對", "text": "請把每個時機配對到規範要求的做法。", "standards": "4.1.1-a, 4.1.3-a",
          "tags": "pool-x", "difficulty": "2", "points": "2", "feedback": "", "editor": "rows"}


def _matching(*pairs, **extra):
    form = {**COMMON, "uid": "match-1", "qtype": "matching", **extra}
    for index, (left, right) in enumerate(pairs):
        form |= {f"pairs-{index}-left": left, f"pairs-{index}-right": right}
    return form


@pytest.fixture
def trainer(make, client, auth):
    make.content()
    user = make.user(Role.TRAINER, locale=Locale.EN)
    auth.login(user)
    return user


def _version(uid):
    return db.session.scalar(select(QuestionVersion).join(Question, Question.current_version_id == QuestionVersion.id)
                             .where(Question.uid == uid))


def test_the_new_question_form_shows_only_the_chosen_types_fields(client, trainer):
    html = client.get("/exams/manage/banks/test-bank/new?type=matching").get_data(as_text=True)
    assert 'name="pairs-0-left"' in html and 'name="pairs-3-right"' in html
    assert 'name="options-0-text"' not in html and 'name="answers"' not in html and 'name="number"' not in html
    single = client.get("/exams/manage/banks/test-bank/new").get_data(as_text=True)
    assert 'name="options-0-correct"' in single and 'name="pairs-0-left"' not in single
    for qtype in QUESTION_TYPES:  # every type has its own form
        assert client.get(f"/exams/manage/banks/test-bank/new?type={qtype}").status_code == 200


def test_a_matching_question_written_in_rows_is_stored_as_the_file_format(client, trainer):
    response = client.post("/exams/manage/banks/test-bank/new",
                           data=_matching(("鈴響時", "第三聲結束前接起"), ("通話結束前", "確認問題已解決"), ("", "先掛斷電話"),
                                          ("", "")))
    assert response.status_code == 302
    assert _version("match-1").data == {"pairs": [{"left": "鈴響時", "right": "第三聲結束前接起"},
                                                 {"left": "通話結束前", "right": "確認問題已解決"},
                                                 {"left": "", "right": "先掛斷電話"}]}
    # Opened again, the rows show it; saved unchanged, nothing changes.
    edit = client.get("/exams/manage/questions/match-1/edit").get_data(as_text=True)
    assert 'value="確認問題已解決"' in edit
    again = client.post("/exams/manage/questions/match-1/edit", data=_matching(
        ("鈴響時", "第三聲結束前接起"), ("通話結束前", "確認問題已解決"), ("", "先掛斷電話"), based_on=_fingerprint(edit)),
        follow_redirects=True)
    assert "Nothing changed." in again.get_data(as_text=True)


def _fingerprint(html):
    return html.split('name="based_on" type="hidden" value="')[1].split('"')[0]


def test_row_buttons_add_remove_and_move_without_saving(client, trainer):
    form = _matching(("甲", "一"), ("乙", "二"), ("丙", "三"))
    moved = client.post("/exams/manage/banks/test-bank/new", data={**form, "row_action": "up:pairs:2"})
    html = moved.get_data(as_text=True)
    assert moved.status_code == 200
    assert html.index('value="丙"') < html.index('value="乙"')  # 丙 moved above 乙
    removed = client.post("/exams/manage/banks/test-bank/new", data={**form, "row_action": "remove:pairs:0"})
    assert 'value="甲"' not in removed.get_data(as_text=True)
    added = client.post("/exams/manage/banks/test-bank/new", data={**form, "row_action": "add:pairs"})
    assert 'name="pairs-4-left"' in added.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Question).where(Question.uid == "match-1")) == 0


def test_errors_are_named_beside_the_rows_and_nothing_is_saved(client, trainer):
    one_pair = client.post("/exams/manage/banks/test-bank/new", data=_matching(("甲", "一")))
    html = one_pair.get_data(as_text=True)
    assert one_pair.status_code == 200 and 'id="pairs-error"' in html and "needs at least two pairs" in html
    no_text = client.post("/exams/manage/banks/test-bank/new", data={
        **COMMON, "uid": "single-1", "qtype": "single", "options-0-text": "第三聲", "options-0-correct": "y",
        "options-1-feedback": "沒有選項文字"})
    assert "Option 2 has no text." in no_text.get_data(as_text=True)
    numbers = client.post("/exams/manage/banks/test-bank/new", data={
        **COMMON, "uid": "num-1", "qtype": "numerical", "numbers-0-mode": "range", "numbers-0-low": "9",
        "numbers-0-high": "1"})
    assert "the smaller first" in numbers.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Question).where(
        Question.uid.in_(["match-1", "single-1", "num-1"]))) == 0


def test_the_preview_shows_the_question_as_in_an_exam_and_saves_nothing(client, trainer):
    response = client.post("/exams/manage/banks/test-bank/new", data={
        **_matching(("鈴響時", "第三聲結束前接起"), ("通話結束前", "確認問題已解決")), "row_action": "preview"})
    html = response.get_data(as_text=True)
    preview = html.split('id="preview"')[1]
    assert 'class="table match-table"' in preview and "鈴響時" in preview and "— choose —" in preview
    assert "correct:" not in preview  # as the learner meets it: no answer shown
    assert _version("match-1") is None


def test_item_writing_cues_are_shown_in_words(client, trainer):
    response = client.post("/exams/manage/banks/test-bank/new", data={
        **COMMON, "uid": "cue-1", "qtype": "single", "text": "接聽時要說出公司名稱與工號嗎？請選出公司名稱與工號。",
        "options-0-text": "公司名稱與工號", "options-0-correct": "y", "options-1-text": "只說您好",
        "options-2-text": "只說您好", "row_action": "preview"})
    html = response.get_data(as_text=True)
    assert "Item-writing cues in this question" in html
    assert "contains the correct option" in html and "Two options say the same thing" in html
    assert "The correct option is the longest one" in html


def test_the_item_analysis_of_earlier_versions_is_on_the_edit_page(client, trainer, make):
    exam = db.session.scalar(select(Exam).where(Exam.slug == "tst-fixed"))
    for n in range(3):
        learner = make.user()
        attempt = attempts.start_attempt(learner, exam, seed=n)
        for aq in attempt.questions:
            qtype = QUESTION_TYPES[aq.version.qtype]
            right = random.Random(n).random() < 0.5
            answers.save_answer(attempt.id, learner, aq.position,
                                qtype.correct_response(aq.version.data) if right else {"choice": "zz", "text": "x"}, 1)
        attempts.submit_attempt(attempt.id, learner)
        db.session.commit()
    html = client.get("/exams/manage/questions/t-single/edit").get_data(as_text=True)
    figures = html.split('id="figures-title"')[1]
    assert "version 1" in figures and "too few to rely on" in figures and "<td>3" in figures


def test_the_advanced_text_fields_still_save(client, trainer):
    page = client.get("/exams/manage/banks/test-bank/new?editor=text").get_data(as_text=True)
    assert 'name="answers"' in page and 'name="options-0-text"' not in page
    response = client.post("/exams/manage/banks/test-bank/new", data={
        **COMMON, "editor": "text", "uid": "text-1", "qtype": "single", "answers": "*三聲內 // 對\n五聲內"})
    assert response.status_code == 302
    assert [o["weight"] for o in _version("text-1").data["options"]] == [1.0, 0.0]


@pytest.mark.parametrize("url", ["/exams/manage/banks/test-bank/new?type=matching",
                                 "/exams/manage/questions/t-single/edit"])
@pytest.mark.parametrize("role", [Role.LEARNER, Role.MANAGER])
def test_learners_and_managers_may_not_edit_questions(client, auth, make, url, role):
    make.content()
    auth.login(make.user(role))
    assert client.get(url).status_code == 403
    assert client.post(url.split("?")[0], data={**_matching(("甲", "一"), ("乙", "二")),
                                                "row_action": "preview"}).status_code == 403


@pytest.mark.parametrize("url", ["/exams/manage/banks/test-bank/new", "/exams/manage/questions/t-single/edit"])
def test_anonymous_people_are_sent_to_log_in(client, make, url):
    make.content()
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_admin_may_edit_questions(client, auth, make):
    make.content()
    auth.login(make.user(Role.ADMIN))
    assert client.get("/exams/manage/questions/t-single/edit").status_code == 200
