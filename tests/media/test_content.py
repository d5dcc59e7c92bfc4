"""Media in content: Markdown references become players, a call's customer line plays its clip, and the
files travel with the content export and import, byte for byte."""

import html
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from lms.calls.definition import compile_scenario
from lms.calls.engine import ScenarioError
from lms.content.files import ContentErrors
from lms.content.markdown import render_markdown
from lms.courses.models import LessonVersion
from lms.curriculum.exporter import export_tree
from lms.curriculum.importer import load_tree
from lms.db import db
from lms.media.checks import Upload
from lms.media.library import upload_media
from lms.media.models import MediaFile
from lms.media.storage import media_storage
from tests.conftest import Auth
from tests.content.test_markdown import executable_parts
from tests.media import samples
from tests.media.conftest import TRANSCRIPT


@pytest.fixture
def clip(app, people):
    with app.test_request_context():
        media = upload_media(people["trainer"], Upload(samples.wav(), "refund.wav", "退費來電", "", TRANSCRIPT))
    db.session.commit()
    return media


@pytest.fixture
def picture(app, people):
    with app.test_request_context():
        media = upload_media(people["trainer"], Upload(samples.png(), "流程.png", "流程圖", "三個階段的流程圖"))
    db.session.commit()
    return media


def test_an_image_reference_becomes_an_image_with_alt_text(app, picture):
    with app.test_request_context():
        alone = render_markdown("![](media:流程.png)")
        inline = render_markdown(f"看這張 ![自己的說明](media:{picture.digest}) 圖")
    assert alone == (f'<figure class="media media--image"><img class="media__image" src="/media/files/{picture.filename}" '
                     'alt="三個階段的流程圖" loading="lazy"></figure>')
    assert inline.startswith("<p>看這張 <img") and 'alt="自己的說明"' in inline and inline.endswith("圖</p>\n")


def test_an_audio_reference_becomes_a_player_with_its_transcript_below(app, clip):
    with app.test_request_context():
        html = render_markdown("## 聽聽看\n\n![](media:refund.wav)\n\n之後的段落")
    assert re.search(r'<figure class="media media--audio"><figcaption>退費來電</figcaption><audio [^>]*controls[^>]*'
                     rf'src="/media/files/{clip.filename}"[^>]*></audio><details class="media__transcript"><summary>'
                     r"逐字稿：退費來電</summary><p>客戶：我被扣了兩次錢！<br>客服：", html)
    assert html.endswith("<p>之後的段落</p>\n")


@pytest.mark.parametrize("text", [
    "![x](media:nothing.png)", '<img src="media:javascript:alert(1)" onerror="alert(1)">',
    "[link](media:javascript:alert(1))", '<img src="MEDIA:x" alt="&quot; onload=&quot;alert(1)">',
    '<a href=" media:x">a</a>', '<img src="&#9;media:x">',
])
def test_unknown_or_hostile_references_stay_harmless(app, clip, text):
    with app.test_request_context():
        html = render_markdown(text)
    assert not re.search(r'(src|href)="[^"]*javascript:', html, re.IGNORECASE)
    assert "onerror" not in html and "onload=" not in html and "<script" not in html
    assert "media-missing" in html or 'href="#"' in html


TOKENS = ["media:", "![", "](", ")", "[", "]", '<img src="', '<a href="', '"', ">", " ", "\t", "\n\n", "流程.png",
          "refund.wav", "javascript:", "alert(1)", "onerror=", "<p>", "</p>", "&#58;", "x"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join))
def test_property_no_media_or_script_url_survives_rendering(app, clip, picture, text):
    with app.test_request_context():
        html = render_markdown(text)
    assert executable_parts(html) == [], html  # media: is not among the schemes a page may keep


def test_without_an_app_a_reference_is_a_visible_note():
    assert "找不到媒體檔案：x.png" in render_markdown("![a](media:x.png)")


def test_a_customer_line_takes_a_media_name_and_refuses_anything_else():
    data = yaml.safe_load((Path(__file__).parent.parent / "fixtures/content/courses/tst-201-phone/scenarios/tst-call.yaml")
                          .read_text(encoding="utf-8"))
    line = next(n for n in data["nodes"] if n["id"] == "c_complaint")
    line["media"] = "refund.wav"
    assert compile_scenario(data).nodes["c_complaint"].media == "refund.wav"
    for bad in ("../x.wav", "a b.wav", 42, ["x"]):
        line["media"] = bad
        with pytest.raises(ScenarioError) as caught:
            compile_scenario(data)
        assert caught.value.where == "node c_complaint media"


def test_a_learner_hears_the_clip_in_the_call_and_the_debrief(app, make, people, media_tree):
    make.content(media_tree)
    media = db.session.scalar(select(MediaFile).where(MediaFile.name == "double-charge.wav"))
    client = app.test_client()
    Auth(client).login(people["learner"])
    call_id = int(re.search(r"/calls/attempts/(\d+)", client.post("/calls/tst-call/start", data={"mode": "practice"})
                            .headers["Location"]).group(1))
    for option in (0, 0):
        client.post(f"/calls/attempts/{call_id}/reply", data={"option": option})
    page = client.get(f"/calls/attempts/{call_id}").get_data(as_text=True)
    assert f'src="/media/files/{media.filename}"' in page and "逐字稿：重複扣款來電" in page
    client.post(f"/calls/attempts/{call_id}/reply", data={"option": 0})
    client.post(f"/calls/attempts/{call_id}/reply", data={"text": "我幫您確認"})
    client.post(f"/calls/attempts/{call_id}/reply", data={"option": 0})
    debrief = client.get(f"/calls/attempts/{call_id}/debrief").get_data(as_text=True)
    assert f'src="/media/files/{media.filename}"' in debrief
    assert client.get(f"/media/files/{media.filename}").status_code == 200


def test_a_learner_reads_the_lesson_with_its_image_and_player(app, make, people, media_tree):
    make.content(media_tree)
    make.enrol(people["learner"], "TST-101")
    client = app.test_client()
    Auth(client).login(people["learner"])
    page = client.get("/courses/TST-101/lessons/pickup").get_data(as_text=True)
    assert 'alt="三聲之內接起電話的流程圖"' in page and "<audio" in page and "逐字稿：重複扣款來電" in page
    assert "客服：非常抱歉造成您的困擾" in page


def test_the_library_lists_where_each_file_is_used(app, make, people, media_tree):
    make.content(media_tree)
    client = app.test_client()
    Auth(client).login(people["trainer"])
    page = client.get("/media/manage/").get_data(as_text=True)
    assert "TST-101 · 三聲之內" in page and "測試投訴電話" in page
    assert re.search(r'href="/exams/manage/questions/[^"]*t-single"', page)  # the question's stem shows the image


def test_export_then_import_keeps_the_files_byte_identical(app, make, media_tree, tmp_path):
    make.content(media_tree)
    exported = tmp_path / "exported"
    with app.test_request_context():
        counts = export_tree(exported)
    assert counts["media files"] == 2
    originals = sorted(p.name for p in (media_tree / "courses/media").iterdir())
    assert sorted(p.name for p in (exported / "courses/media").iterdir()) == originals
    for name in originals:
        if name != "media.yaml":
            assert (exported / "courses/media" / name).read_bytes() == (media_tree / "courses/media" / name).read_bytes()
    index = yaml.safe_load((exported / "courses/media/media.yaml").read_text(encoding="utf-8"))
    assert {e["name"]: e.get("transcript", e.get("alt_text")) for e in index["files"]} == {
        "double-charge.wav": TRANSCRIPT, "接聽流程.png": "三聲之內接起電話的流程圖"}
    shutil.copytree(media_tree / "quizzes", exported / "quizzes")
    tree = load_tree(exported)  # the exported tree is checked like any content, and loads
    assert sorted(s.name for s in tree.media) == ["double-charge.wav", "接聽流程.png"]
    # Into an empty database: the files come back byte for byte, and the lesson shows them again.
    db.session.execute(MediaFile.__table__.delete())
    db.session.commit()
    make.content(exported)
    for media in db.session.scalars(select(MediaFile)):
        assert media_storage().read(media.filename) == (media_tree / "courses/media" / media.filename).read_bytes()
    body = db.session.scalar(select(LessonVersion.body_html).where(LessonVersion.body_md.contains("media:")))
    assert "<audio" in body


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d["files"][0].pop("alt_text"), "alt_text"),
    (lambda d: d["files"][1].update(transcript=""), "transcript"),
    (lambda d: d["files"][0].update(file="0" * 64 + ".png"), "file"),
    (lambda d: d["files"][1].update(name="a b.wav"), "name"),
    (lambda d: d["files"][1].update(name="接聽流程.png"), "name"),
])
def test_import_checks_each_file_like_an_upload_and_names_the_field(app, media_tree, change, field):
    index = media_tree / "courses/media/media.yaml"
    data = yaml.safe_load(index.read_text(encoding="utf-8"))
    data["files"] = sorted(data["files"], key=lambda e: e["name"].endswith(".wav"))  # the image first
    change(data)
    index.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught, app.test_request_context():
        load_tree(media_tree)
    found = [(e.path, e.field) for e in caught.value.errors if e.line]
    assert ("courses/media/media.yaml", field) in found, caught.value.errors


def test_import_refuses_a_reference_to_an_unknown_file(app, media_tree):
    (media_tree / "courses/media/media.yaml").write_text("files: []\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as caught, app.test_request_context():
        load_tree(media_tree)
    named = {(e.path.rsplit("courses/", 1)[-1], e.field) for e in caught.value.errors}
    assert ("tst-101-basics/lessons/01-pickup.md", "body") in named, caught.value.errors
    assert ("tst-201-phone/scenarios/tst-call.yaml", "media") in named, caught.value.errors


def test_import_refuses_bytes_that_do_not_match_their_name(app, media_tree):
    folder = media_tree / "courses/media"
    index = yaml.safe_load((folder / "media.yaml").read_text(encoding="utf-8"))
    audio = next(e for e in index["files"] if e["name"].endswith(".wav"))
    (folder / audio["file"]).write_bytes(samples.wav(tone=880))  # changed after the index was written
    with pytest.raises(ContentErrors) as caught, app.test_request_context():
        load_tree(media_tree)
    assert [(e.field, "SHA-256" in e.message) for e in caught.value.errors] == [("file", True)]


def test_a_trainer_gives_a_customer_line_its_clip_in_the_call_builder(app, make, people, media_tree):
    make.content(media_tree)
    client = app.test_client()
    Auth(client).login(people["trainer"])
    page = client.get("/calls/manage/tst-call/builder").get_data(as_text=True)
    # The shipped clip is chosen on the complaint line's form, by its title; other lines offer it, unchosen.
    assert '<option value="double-charge.wav" selected>重複扣款來電</option>' in page
    assert page.count('<option value="double-charge.wav">重複扣款來電</option>') >= 1
    definition = json.loads(html.unescape(re.search(
        r'<input type="hidden" name="definition" value="([^"]*)" data-definition>', page).group(1)))

    def edit(fields):
        return client.post("/calls/manage/tst-call/builder/edit", data={
            "definition": json.dumps(definition), "edit": json.dumps({"edit": "update_node", **fields})}).get_json()

    complaint = next(n for n in definition["nodes"] if n.get("media"))
    answer = edit({"node": complaint["id"], "media": ""})  # "no clip": the key leaves the line
    assert "media" not in next(n for n in answer["definition"]["nodes"] if n["id"] == complaint["id"])
    other = next(n for n in definition["nodes"] if n.get("type") == "customer" and not n.get("media"))
    answer = edit({"node": other["id"], "media": "double-charge.wav"})
    assert next(n for n in answer["definition"]["nodes"] if n["id"] == other["id"])["media"] == "double-charge.wav"
    assert not answer["problems"]
