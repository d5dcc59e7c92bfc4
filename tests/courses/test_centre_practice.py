"""A lesson never passes centre practice off as the standard: citations of centre-practice items carry a
tag, and a lesson citing any says so near the top, in the reader's language (issue 15)."""

import re
import shutil

from tests.factories import FIXTURE_CONTENT

NOTE_EN = "Parts of this lesson are the centre's own practice"
NOTE_HANT = "本課有部分內容是本中心自訂的做法"
TAG = "std-ref__source--centre"


def _content_with_centre_item(tmp_path):
    """The test curriculum with 4.1.1-a (cited by TST-101's lesson "pickup") declared centre practice."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    chapter = root / "courses" / "standards" / "04-channels.md"
    text = chapter.read_text(encoding="utf-8")
    cited = "- `4.1.1-a` **三聲內接聽**：鈴響第三聲結束前接起電話。\n"
    assert cited in text
    chapter.write_text(text.replace(cited, cited + "  來源：本中心做法\n"), encoding="utf-8")
    return root


def _lesson(client, code, slug):
    response = client.get(f"/courses/{code}/lessons/{slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_lesson_citing_centre_practice_shows_the_note_and_the_tag(client, auth, make, tmp_path):
    make.content(_content_with_centre_item(tmp_path))
    learner = make.user()
    make.enrol(learner, "TST-101")
    auth.login(learner)
    html = _lesson(client, "TST-101", "pickup")
    assert NOTE_HANT in html and TAG in html
    note = html[html.index('class="source-note"'):html.index("</p>", html.index('class="source-note"'))]
    assert 'href="/standards/items/4.1.1-a"' in note  # the code links to the reference
    assert "來源：本中心做法，標準文件未涵蓋此處" in html  # the citation's hover text says it too
    client.post("/locale", data={"locale": "en"})
    html = _lesson(client, "TST-101", "pickup")
    assert NOTE_EN in html and "(its text stops inside 9.2)" in html
    client.post("/locale", data={"locale": "zh_Hans"})
    assert "本课有部分内容是本中心自定的做法" in _lesson(client, "TST-101", "pickup")


def test_a_lesson_citing_only_the_documents_items_shows_neither(client, auth, make, tmp_path):
    make.content(_content_with_centre_item(tmp_path))
    learner = make.user()
    make.enrol(learner, "TST-201")
    make.enrol(learner, "TST-101")
    auth.login(learner)
    html = _lesson(client, "TST-201", "apology")  # cites 5.2.1-a, restated from the document
    assert 'class="std-ref"' in html
    assert NOTE_HANT not in html and "std-ref__source" not in html
    html = _lesson(client, "TST-101", "greeting")  # cites 4.1.1-b, adapted: tagged so, but no centre note
    assert "std-ref__source--adapted" in html and TAG not in html and NOTE_HANT not in html


def test_a_source_changed_in_the_files_re_renders_the_lessons_citing_it(client, auth, make, tmp_path):
    make.content()
    learner = make.user()
    make.enrol(learner, "TST-101")
    auth.login(learner)
    assert TAG not in _lesson(client, "TST-101", "pickup")
    make.content(_content_with_centre_item(tmp_path))  # the lesson itself is unchanged: no new version
    html = _lesson(client, "TST-101", "pickup")
    assert TAG in html and NOTE_HANT in html


def test_the_course_page_tags_the_lessons_citing_centre_practice(client, auth, make, tmp_path):
    make.content(_content_with_centre_item(tmp_path))
    learner = make.user()
    make.enrol(learner, "TST-101")
    make.enrol(learner, "TST-201")
    auth.login(learner)
    html = client.get("/courses/TST-101").get_data(as_text=True)
    items = re.findall(r'<li class="lesson-list__item.*?</li>', html, re.S)
    tagged = [item for item in items if '<span class="tag tag--source">本中心做法</span>' in item]
    assert len(items) == 2 and len(tagged) == 1 and "/lessons/pickup" in tagged[0]
    assert "tag--source" not in client.get("/courses/TST-201").get_data(as_text=True)
    client.post("/locale", data={"locale": "en"})
    assert '<span class="tag tag--source">Centre practice</span>' in client.get("/courses/TST-101").get_data(as_text=True)
