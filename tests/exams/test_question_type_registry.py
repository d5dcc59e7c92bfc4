"""A question type owns everything about itself: a type defined here, in the test suite, and registered
with one call works end to end — a YAML bank file, GIFT in and out, the trainer's form, an attempt taken
through the pages with autosave, grading, the review and item analysis — without touching any other module."""

from pathlib import Path

import pytest
from flask_babel import lazy_gettext as _l
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import select

from lms.accounts.models import Role
from lms.db import db
from lms.exams import question_types
from lms.exams.gift import GiftQuestion, export_question, parse_gift
from lms.exams.gift_text import split_answers, take_weight, unhide
from lms.exams.loader import load_quizzes
from lms.exams.models import Attempt, AttemptQuestion, Question
from lms.exams.question_types import Feedback, FieldProblem, QuestionType
from lms.exams.reports import item_analysis
from lms.exams.sync import sync_banks, sync_exams

PARTIAL = """<label for="{{ q.field }}-pick">{{ _("Your answer") }}</label>
<select id="{{ q.field }}-pick" name="{{ q.field }}"{% if q.disabled %} disabled{% endif %} data-autosave>
<option value="">—</option>
{% for o in v.options %}<option value="{{ o.value }}"{% if o.checked %} selected{% endif %}>{{ o.text }}</option>{% endfor %}
</select>{% for o in v.options if o.is_right %}<span class="dropdown-right">{{ o.text }}</span>{% endfor %}"""


class Dropdown(QuestionType):
    """Choose the word that fills the blank from a drop-down list. GIFT writes it {?=right ~wrong ~wrong}."""

    name = "dropdown"
    label = _l("Drop-down")
    partial = "exams/types/dropdown.html"
    file_fields = frozenset({"choices", "right"})
    editor_fields = ("answers",)
    gift_order = 5  # before Moodle's own types: '?' marks it

    def validate(self, data):
        words = data.get("words") or []
        return [] if len(words) >= 2 and data.get("right") in words else ["needs words and the right one among them"]

    def grade(self, data, response):
        return Feedback(1.0 if (response or {}).get("word") == data["right"] else 0.0)

    def parse_form(self, form, prefix):
        word = form.get(prefix)
        return {"word": word} if word else None

    def presentation(self, data, rng):
        order = list(data["words"])
        rng.shuffle(order)
        return {"words": order}

    def correct_response(self, data):
        return {"word": data["right"]}

    def choice_key(self, response):
        return (response or {}).get("word")

    def view(self, data, presentation, response, correct):
        chosen, right = (response or {}).get("word"), (correct or {}).get("word")
        return {"options": [{"value": w, "text": w, "checked": w == chosen, "is_right": w == right}
                            for w in presentation.get("words", data["words"])]}

    def from_file(self, question, fields):
        return {"words": [str(w) for w in question.get("choices") or []], "right": str(question.get("right", ""))}

    def gift_claims(self, answer_text):
        return answer_text.startswith("?")

    def from_gift(self, answer_text, warnings):
        words, right = [], None
        for part in split_answers(answer_text[1:], "~="):
            _weight, body = take_weight(part[1:].strip(), 0.0)
            words.append(unhide(body))
            right = words[-1] if part.startswith("=") else right
        return {"words": words, "right": right}, None

    def to_gift(self, data):
        return "?" + " ".join(("=" if w == data["right"] else "~") + w for w in data["words"])

    def from_editor(self, fields):
        lines = [line.strip() for line in fields.answers.splitlines() if line.strip()]
        right = [line[1:].strip() for line in lines if line.startswith("*")]
        if len(right) != 1:
            raise FieldProblem("answers", "mark exactly one word with *")
        return {"words": [line.lstrip("*").strip() for line in lines], "right": right[0]}

    def to_editor(self, data):
        return {"answers": "\n".join(("*" if w == data["right"] else "") + w for w in data["words"])}


BANK = """bank: dropdowns
title: 下拉選單題
questions:
  - id: dd-greeting
    type: dropdown
    text: 接聽電話時先說公司名稱，再說 ____ 名稱與工號。
    choices: [客服中心, 產品, 分店]
    right: 客服中心
    standards: [4.1.1-a]
    tags: [dd]
"""
EXAM = """slug: dd-exam
title: 下拉選單測驗
kind: quiz
pass_mark: 100
review: after_submit
layout: all_on_one
sections:
  - questions: [dd-greeting]
"""


@pytest.fixture
def dropdown(app):
    question_types.register(Dropdown())
    app.jinja_env.loader = ChoiceLoader([DictLoader({"exams/types/dropdown.html": PARTIAL}), app.jinja_env.loader])
    yield question_types.QUESTION_TYPES["dropdown"]
    question_types.unregister("dropdown")


def test_a_type_registered_in_the_tests_works_end_to_end(dropdown, tmp_path: Path, make, client, auth):
    make.content()
    (tmp_path / "banks").mkdir()
    (tmp_path / "exams").mkdir()
    (tmp_path / "banks" / "dropdowns.yaml").write_text(BANK, encoding="utf-8")
    (tmp_path / "exams" / "dd-exam.yaml").write_text(EXAM, encoding="utf-8")
    content, errors = load_quizzes(tmp_path)
    assert errors == []
    sync_banks(content.banks)
    sync_exams(content.exams)
    db.session.commit()

    # GIFT: Moodle's detection order asks the new type first, and the export reads back the same.
    parsed = parse_gift("::blank:: 先說公司，再說 {?=客服中心 ~產品 ~分店} 名稱。\n")
    assert parsed.errors == [] and parsed.questions[0].qtype == "dropdown"
    assert parsed.questions[0].data == {"words": ["客服中心", "產品", "分店"], "right": "客服中心"}
    again = parse_gift(export_question(GiftQuestion(0, "blank", "題目", "markdown", "dropdown",
                                                    parsed.questions[0].data)))
    assert again.questions[0].data == parsed.questions[0].data

    # The trainer's question form and the preview.
    trainer = make.user(Role.TRAINER)
    auth.login(trainer)
    form = {"uid": "dd-two", "qtype": "dropdown", "name": "下拉", "text": "先問 ____ 再處理。",
            "answers": "*姓名\n電話\n地址", "truefalse": "true", "standards": "4.1.1-a", "difficulty": "2",
            "points": "1"}
    assert client.post("/exams/manage/banks/dropdowns/new", data=form).status_code == 302
    assert "*姓名" in client.get("/exams/manage/questions/dd-two/edit").get_data(as_text=True)
    preview = client.get("/exams/manage/questions/dd-greeting").get_data(as_text=True)
    assert 'class="dropdown-right">客服中心' in preview
    auth.logout()

    # A learner takes it through the pages: the partial draws it, the autosave parses it, grading grades it.
    learner = make.user()
    auth.login(learner)
    start = client.post("/exams/dd-exam/start")
    attempt = db.session.scalar(select(Attempt).where(Attempt.user_id == learner.id))
    assert start.headers["Location"].endswith(f"/exams/attempts/{attempt.id}")
    page = client.get(f"/exams/attempts/{attempt.id}").get_data(as_text=True)
    assert 'name="q1"' in page and "<option value=\"分店\">分店</option>" in page
    saved = client.post(f"/exams/attempts/{attempt.id}/save", data={"position": "1", "sequence": "1", "q1": "客服中心"})
    assert saved.get_json() == {"saved": True, "position": 1, "sequence": 1}
    client.post(f"/exams/attempts/{attempt.id}/submit")
    db.session.rollback()
    graded = db.session.get(Attempt, attempt.id)
    assert graded.passed is True and graded.percent == 100
    review = client.get(f"/exams/attempts/{attempt.id}/review").get_data(as_text=True)
    assert 'class="dropdown-right">客服中心' in review and "<option value=\"客服中心\" selected>" in review

    # Item analysis counts its choices like any other choice question.
    slot = db.session.scalar(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id))
    assert slot.choice_key == "客服中心"
    question = db.session.scalar(select(Question).where(Question.uid == "dd-greeting"))
    report = item_analysis(graded.exam)
    assert report.rows[0].version.question_id == question.id
    assert report.rows[0].stats.choices["客服中心"] == 1


def test_the_registry_is_the_only_list_of_types():
    names = list(question_types.QUESTION_TYPES)
    assert names == ["single", "multiple", "truefalse", "short", "numerical", "matching", "ordering", "essay"]
    assert [t.name for t in question_types.gift_types()][-1] == "short"  # Moodle's last resort
    for question_type in question_types.QUESTION_TYPES.values():
        assert question_type.label and (Path(__file__).parents[2] / "templates" / question_type.partial).is_file()
