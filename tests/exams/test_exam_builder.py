"""The exam builder (issue 18): a question picker with filters, fixed questions and draw rules as form
controls, the blueprint, a sample draw by the real drawing code, and exam pages that list their pools."""

import random
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.accounts.models import Locale, Role
from lms.db import db
from lms.exams import attempts, exam_builder
from lms.exams.exam_rules import QuestionFacts, draw_matches
from lms.exams.loader import DrawSpec, SectionSpec, check_quiz_references, load_quizzes
from lms.exams.models import Exam

SETTINGS = {"slug": "built", "title": "建立的測驗", "kind": "quiz", "course": "", "time_limit_minutes": "15",
            "overdue": "autosubmit", "grace_minutes": "0", "attempts": "2", "cooldown_minutes": "0",
            "pass_mark": "70", "layout": "one_per_page", "review": "after_submit", "builder": "rows"}


def _fixed(index, *uids):
    return {f"parts-{index}-kind": "fixed", f"parts-{index}-questions": " ".join(uids)}


def _draw(index, count, **filters):
    row = {f"parts-{index}-kind": "draw", f"parts-{index}-count": str(count)}
    return row | {f"parts-{index}-{name}": value for name, value in filters.items()}


@pytest.fixture
def trainer(make, client, auth):
    make.content()
    user = make.user(Role.TRAINER, locale=Locale.EN)
    auth.login(user)
    return user


def _exam(slug="built"):
    return db.session.scalar(select(Exam).where(Exam.slug == slug))


def test_the_picker_lists_and_filters_questions(client, trainer):
    html = client.get("/exams/manage/exams/new").get_data(as_text=True)
    assert 'name="picked"' in html and 'value="t-single"' in html and "鈴響第幾聲前要接起" in html
    found = client.post("/exams/manage/exams/new", data={**SETTINGS, "row_action": "filter", "pick_type": "matching"})
    page = found.get_data(as_text=True)
    assert "1 question found." in page and 'value="t-matching"' in page and 'value="t-single"' not in page
    unused = client.post("/exams/manage/exams/new", data={**SETTINGS, "row_action": "filter", "unused_in": "5",
                                                          "min_facility": "0.2"})
    assert "0 questions found." in unused.get_data(as_text=True)  # nobody has answered: no figures pass
    wrong = client.post("/exams/manage/exams/new", data={**SETTINGS, "row_action": "filter", "min_facility": "2"})
    assert 'id="min_facility-error"' in wrong.get_data(as_text=True)


def test_picking_adds_fixed_questions_and_a_draw_rule_from_the_filters(client, trainer):
    picked = client.post("/exams/manage/exams/new", data={**SETTINGS, "row_action": "pick",
                                                          "picked": ["t-single", "t-short"]})
    html = picked.get_data(as_text=True)
    assert 'name="parts-0-questions" type="hidden" value="t-single t-short"' in html
    drawn = client.post("/exams/manage/exams/new", data={**SETTINGS, **_fixed(0, "t-single"), "row_action": "draw",
                                                         "pick_tag": "pool-b", "pick_type": "ordering"})
    html = drawn.get_data(as_text=True)
    assert 'name="parts-1-kind" type="hidden" value="draw"' in html and 'name="parts-1-count"' in html
    assert '<option selected value="pool-b">' in html or 'value="pool-b" selected' in html


def test_a_built_exam_is_stored_in_the_file_format_and_draws_from_bank_and_item(client, trainer, make):
    response = client.post("/exams/manage/exams/new", data={
        **SETTINGS, **_fixed(0, "t-essay"), **_draw(1, 2, tags="pool-a"),
        **_draw(2, 1, bank="test-bank", standards="4.1.1-a", types=["short", "numerical"]), "row_action": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    sections = _exam().current_version.sections
    assert sections == [{"questions": ["t-essay"]}, {"draw": {"tags": ["pool-a"], "count": 2, "types": []}},
                        {"draw": {"tags": [], "count": 1, "types": ["short", "numerical"], "bank": "test-bank",
                                  "standards": ["4.1.1-a"]}}]
    attempt = attempts.start_attempt(make.user(), _exam(), seed=3)
    uids = [aq.version.question.uid for aq in attempt.questions]
    assert len(uids) == 4 and "t-essay" in uids
    cites = [aq.version for aq in attempt.questions if aq.version.qtype in ("short", "numerical")]
    assert any("4.1.1-a" in v.standards for v in cites)


@pytest.mark.parametrize("rows, says", [
    ({**_draw(0, 9, tags="pool-a")}, "only 3 can be drawn"),
    ({**_draw(0, 2, bank="test-bank", standards="4.1.1-a", difficulties="3")}, "can be drawn"),
    ({**_draw(0, 0, tags="pool-a")}, "Number must be between 1 and 500"),
    ({"parts-0-kind": "draw", "parts-0-count": "2"}, "choose where to draw from"),
    ({**_draw(0, 1, bank="no-such-bank")}, "there is no bank no-such-bank"),
    ({**_fixed(0, "")}, "Section 1 has no questions"),
    ({}, "Add questions from the picker, or a draw rule."),
])
def test_rule_errors_are_named_beside_the_sections_and_nothing_is_saved(client, trainer, rows, says):
    response = client.post("/exams/manage/exams/new", data={**SETTINGS, **rows})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and says in html
    assert _exam() is None


def test_the_blueprint_and_a_sample_draw(client, trainer):
    response = client.post("/exams/manage/exams/new", data={**SETTINGS, **_fixed(0, "t-single"),
                                                            **_draw(1, 2, tags="pool-b"), "row_action": "sample"})
    html = response.get_data(as_text=True)
    sample = html.split('id="sample-title"')[1].split("</ol>")[0]
    assert sample.count("<li>") == 3 and "鈴響第幾聲前要接起" in sample
    blueprint = html.split('id="blueprint-title"')[1]
    assert "1 fixed questions and 2 drawn at random" in blueprint and "4.1.1-a" in blueprint
    assert _exam() is None


def test_draw_filters_match_questions_by_every_filter():
    question = QuestionFacts("single", ("pool-a", "tst-101"), ("4.1.1-a",), 2, "test-bank")
    assert draw_matches(DrawSpec(("pool-a",), 1), question)
    assert draw_matches(DrawSpec((), 1, ("single",), "test-bank", ("4.1.1-a",), (2,)), question)
    assert not draw_matches(DrawSpec((), 1, bank="other"), question)
    assert not draw_matches(DrawSpec((), 1, standards=("4.1.1-b",)), question)
    assert not draw_matches(DrawSpec((), 1, difficulties=(1, 3)), question)
    assert not draw_matches(DrawSpec(("pool-a", "pool-b"), 1), question)


def test_older_draws_keep_their_stored_form():
    assert DrawSpec(("a",), 2).as_data() == {"tags": ["a"], "count": 2, "types": []}
    full = DrawSpec(("a",), 2, ("single",), "bank", ("4.1.1-a",), (1,))
    assert DrawSpec.from_data(full.as_data()) == full


def test_files_may_draw_by_bank_and_item_and_unknown_ones_are_named(app, tmp_path):
    root = Path(__file__).resolve().parents[1] / "fixtures" / "content" / "quizzes"
    exams = tmp_path / "exams"
    (tmp_path / "banks").mkdir()
    (tmp_path / "banks" / "test-bank.yaml").write_text((root / "banks" / "test-bank.yaml").read_text("utf-8"), "utf-8")
    exams.mkdir()
    head = ("title: 檔案\nkind: quiz\ntime_limit_minutes: 5\noverdue: autosubmit\ngrace_minutes: 0\nattempts: 1\n"
            "cooldown_minutes: 0\npass_mark: 50\nshuffle_questions: true\nshuffle_options: true\n"
            "layout: one_per_page\nreview: after_submit\n")
    (exams / "good.yaml").write_text("slug: good\n" + head + "sections:\n  - draw: {bank: test-bank, standards: "
                                     "[4.1.1-a], count: 1, difficulties: [2]}\n", "utf-8")
    (exams / "bad.yaml").write_text("slug: bad\n" + head + "sections:\n  - draw: {bank: nope, count: 1}\n", "utf-8")
    (exams / "nowhere.yaml").write_text("slug: nowhere\n" + head + "sections:\n  - draw: {count: 1}\n", "utf-8")
    content, errors = load_quizzes(tmp_path)
    assert len(errors) == 1 and "nowhere" in errors[0].path and "抽題須指明題池" in str(errors[0])
    good = next(e for e in content.exams if e.slug == "good")
    assert good.sections[0].draw == DrawSpec((), 1, (), "test-bank", ("4.1.1-a",), (2,))
    references = check_quiz_references(content, {"4.1.1-a", "4.1.1-b", "4.1.3-a", "4.1.3-b", "5.2.1-a"}, set())
    assert not [e for e in references if "good" in e.path]
    assert any("沒有題庫 nope" in str(e) for e in references if "bad" in e.path), references


def test_exam_pages_list_what_they_draw(client, auth, make):
    make.content()
    learner = make.user(locale=Locale.EN)
    make.enrol(learner, "TST-101")
    auth.login(learner)
    html = client.get("/exams/tst-101-post").get_data(as_text=True)
    pools = html.split('id="pools-title"')[1]
    assert "2 questions drawn at random from a pool of 3" in pools and "pool of 4" in pools
    assert "鈴響第幾聲前要接起" not in pools and "pool-a" not in pools  # learners see sizes, not questions
    auth.logout()
    auth.login(make.user(Role.TRAINER, locale=Locale.EN))
    staff = client.get("/exams/manage/exams/tst-101-post").get_data(as_text=True).split('id="pools-title"')[1]
    assert "tagged pool-a" in staff and "鈴響第幾聲前要接起" in staff
    fixed = client.get("/exams/manage/exams/tst-fixed").get_data(as_text=True).split('id="pools-title"')[1]
    assert "3 set questions" in fixed


def test_the_builder_shows_an_existing_exam_as_controls(client, trainer):
    html = client.get("/exams/manage/exams/tst-101-pre/edit").get_data(as_text=True)
    assert 'name="parts-0-kind" type="hidden" value="draw"' in html
    assert 'value="single" checked' in html or 'checked id="parts-0-types-0"' in html
    text = client.get("/exams/manage/exams/tst-101-pre/edit?builder=text").get_data(as_text=True)
    assert "draw 3 from tst-101 only single multiple truefalse" in text


def test_sample_draw_uses_the_attempt_drawing_code(app, make):
    make.content()
    sections = [SectionSpec(questions=("t-single",)), SectionSpec(draw=DrawSpec(("pool-a",), 2))]
    drawn = exam_builder.sample_draw(sections, seed=random.Random(1).randrange(100))
    uids = [v.question.uid for v in drawn]
    assert uids[0] == "t-single" and len(set(uids)) == 3


@pytest.mark.parametrize("role", [Role.LEARNER, Role.MANAGER])
@pytest.mark.parametrize("url", ["/exams/manage/exams/new", "/exams/manage/exams/tst-fixed/edit"])
def test_learners_and_managers_may_not_build_exams(client, auth, make, role, url):
    make.content()
    auth.login(make.user(role))
    assert client.get(url).status_code == 403
    assert client.post(url, data={**SETTINGS, "row_action": "sample", **_fixed(0, "t-single")}).status_code == 403


def test_anonymous_people_are_sent_to_log_in_from_the_builder(client, make):
    make.content()
    response = client.get("/exams/manage/exams/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/exams/tst-fixed").status_code == 302


def test_a_section_that_cannot_be_filled_is_named_beside_its_own_controls(client, trainer):
    response = client.post("/exams/manage/exams/new", data={**SETTINGS, **_fixed(0, "t-single", "nope-1"),
                                                            **_draw(1, 9, tags="pool-a")})
    html = response.get_data(as_text=True)
    section_two = html.split('id="section-2-title"')[1].split('id="parts-1-count-error"')[1].split("</p>")[0]
    assert "only 2 can be drawn" in section_two
    section_one = html.split('id="section-1-title"')[1].split('id="section-2-title"')[0]
    assert "no question nope-1" in section_one
    assert _exam() is None
