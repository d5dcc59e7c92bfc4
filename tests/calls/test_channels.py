"""Written channels (4.2, 4.3): a scenario's channel is checked with its definition, the play page draws
the thread the way the channel looks, and the channel's constraints (an e-mail's subject, an SMS's length)
hold on the server."""

import copy
import re
import shutil

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.calls.channels import CHANNELS, SMS_LENGTH, Channel, channel_named, register_channel
from lms.calls.definition import compile_scenario
from lms.calls.loader import ScenarioSpec, check_definition
from lms.calls.models import CallTurn
from lms.calls.sync import save_scenario
from lms.content.files import ContentErrors
from lms.curriculum.importer import load_tree
from lms.db import db
from lms.errors import DomainError
from tests.factories import FIXTURE_CONTENT

WRITTEN = {
    "slug": "tst-written", "title": "測試文字練習", "category": "inquiry", "channel": "chat",
    "rubric": [{"id": "answer", "title": "說明帳單", "weight": 10, "standards": ["4.1.3-a"]},
               {"id": "polite", "title": "用語禮貌", "weight": 10, "standards": ["4.1.3-b"], "critical": True}],
    "variants": [{"customer": "王先生", "email": "wang@example.com"}],
    "start": "c_ask",
    "nodes": [
        {"id": "c_ask", "type": "customer", "say": "請問我的帳單怎麼多了？", "goto": "a_reply"},
        {"id": "a_reply", "type": "agent",
         "free_text": {"criteria": {"answer": {"any": ["帳單"]}, "polite": {"none": ["你自己"]}}},
         "goto": "end"},
        {"id": "end", "type": "end", "outcome": "resolved", "say": "謝謝"},
    ],
}
THREADS = {"chat": {"window": "恆通 App 線上客服"}, "social": {"page": "恆通電訊 粉絲專頁", "post": "歡迎留言"},
           "email": {"subject": "帳單疑問", "sender": "{email}"}, "sms": {}}


def written(name: str, **changes) -> dict:
    definition = copy.deepcopy(WRITTEN)
    definition.update(channel=name, slug=f"tst-{name}", title=f"測試{name}練習", thread=THREADS[name])
    definition.update(changes)
    return definition


def _problems(definition: dict) -> list[tuple[str | None, str]]:
    return [(e.field, e.message) for e in check_definition(definition, "x.yaml", None)]


# ---------------------------------------------------------------- the definition


def test_a_scenario_without_a_channel_is_a_phone_call_and_each_channel_compiles():
    phone = copy.deepcopy(WRITTEN)
    del phone["channel"]
    assert compile_scenario(phone).channel == "phone"
    for name in CHANNELS:
        if name != "phone":
            assert _problems(written(name)) == []
            assert compile_scenario(written(name)).channel == name


def test_an_unknown_channel_is_refused_naming_the_field_and_the_choices():
    (field, message), = _problems(written("chat", channel="fax"))
    assert field == "channel" and all(name in message for name in ("phone", "chat", "social", "email", "sms"))
    (field, _message), = _problems(written("chat", channel=["chat"]))
    assert field == "channel"


def test_each_channel_checks_its_thread():
    (field, message), = _problems(written("email", thread={"sender": "a@example.com"}))
    assert field == "thread" and "subject" in message
    (field, message), = _problems(written("chat", thread={"subject": "帳單"}))
    assert field == "thread" and "subject" in message and "window" in message
    (field, _message), = _problems(written("sms", thread={"page": 3}))
    assert field == "thread"
    (field, message), = _problems(written("email", thread={"subject": "{unknown}", "sender": "x"}))
    assert field == "thread" and "unknown" in message


def test_a_written_channel_has_no_ringing_timer():
    definition = written("chat")
    definition["nodes"][1]["timer"] = {"seconds": 30, "rings": 3, "timeout": {"goto": "end"}}
    (field, message), = _problems(definition)
    assert field == "node a_reply timer" and "rings" in message
    del definition["nodes"][1]["timer"]["rings"]
    assert _problems(definition) == []


def test_a_bad_channel_in_a_file_names_the_file_and_line(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, tree)
    path = tree / "courses/tst-201-phone/scenarios/tst-written.yaml"
    path.write_text(yaml.safe_dump(written("chat", channel="telegram"), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_tree(tree)
    line = path.read_text(encoding="utf-8").split("\n").index("channel: telegram") + 1
    assert any("tst-written.yaml" in str(e) and f":{line}" in str(e) and "channel" in str(e)
               for e in caught.value.errors)


# ---------------------------------------------------------------- the channel's constraints


@given(st.text(min_size=1, max_size=80).filter(lambda s: s.strip() and "\n" not in s and "\r" not in s),
       st.text(min_size=1, max_size=300))
def test_an_email_reply_keeps_its_subject_and_body(subject, body):
    email = channel_named("email")
    assert email.split_subject(email.compose(body, subject)) == (subject.strip(), body)


def test_an_email_reply_needs_a_subject_and_an_sms_its_length():
    with pytest.raises(DomainError) as caught:
        channel_named("email").compose("內文", "  ")
    assert caught.value.field == "subject"
    sms = channel_named("sms")
    assert sms.compose("字" * SMS_LENGTH) == "字" * SMS_LENGTH
    with pytest.raises(DomainError) as caught:
        sms.compose("字" * (SMS_LENGTH + 1))
    assert caught.value.field == "text"
    assert channel_named("chat").compose(None) is None and channel_named(None).name == "phone"


# ---------------------------------------------------------------- the pages


@pytest.fixture
def learner(make):
    make.content()
    for name in ("chat", "social", "email", "sms"):
        save_scenario(ScenarioSpec(f"tst-{name}", "tst-201-phone", written(name)))
    db.session.commit()
    return make.user(Role.LEARNER, name="新人乙")


def _start(client, slug: str) -> int:
    response = client.post(f"/calls/{slug}/start", data={"mode": "practice"})
    assert response.status_code == 302
    return int(re.search(r"/calls/attempts/(\d+)", response.headers["Location"]).group(1))


PAGE_MARKS = {
    "chat": ['class="transcript transcript--chat"', "<time ", "恆通 App 線上客服", "Write it as you would send it"],
    "social": ["This thread is public", "恆通電訊 粉絲專頁", "Public replies", "Everyone who visits the page"],
    "email": ['name="subject"', "<dt>Sender</dt>", "&lt;wang@example.com&gt;", "帳單疑問"],
    "sms": ['data-count-max="70"', 'maxlength="70"', "At most 70 characters."],
}


@pytest.mark.parametrize("channel", sorted(PAGE_MARKS))
def test_the_play_page_draws_the_thread_of_its_channel(client, auth, learner, channel):
    auth.login(learner)
    client.post("/locale", data={"locale": "en"})
    briefing = client.get(f"/calls/tst-{channel}").get_data(as_text=True)
    assert "Start a practice exercise" in briefing and "Start a practice call" not in briefing
    html = client.get(f"/calls/attempts/{_start(client, f'tst-{channel}')}").get_data(as_text=True)
    for mark in PAGE_MARKS[channel]:
        assert mark in html, mark
    others = {name for name in PAGE_MARKS if name != channel}
    assert not any(f"transcript--{name}" in html for name in others)
    assert ">Send</button>" in html and "What do you say to the customer?" not in html


def test_a_phone_call_keeps_its_words(client, auth, learner):
    auth.login(learner)
    client.post("/locale", data={"locale": "en"})
    html = client.get(f"/calls/attempts/{_start(client, 'tst-call')}").get_data(as_text=True)
    assert "The call so far" in html and "transcript--" not in html
    assert "Start a practice call" in client.get("/calls/tst-call").get_data(as_text=True)


def test_the_list_and_the_course_page_show_each_channel(client, auth, learner):
    auth.login(learner)
    client.post("/locale", data={"locale": "en"})
    listing = client.get("/calls/").get_data(as_text=True)
    for label in ("Phone call", "Online chat", "Social media", "E-mail", "SMS"):
        assert label in listing
    course = client.get("/courses/TST-201").get_data(as_text=True)
    assert "Calls and written exercises" in course and 'href="/calls/tst-email"' in course and "E-mail" in course


def test_an_email_without_subject_is_refused_and_with_one_it_is_recorded(client, auth, learner):
    auth.login(learner)
    call_id = _start(client, "tst-email")
    refused = client.post(f"/calls/attempts/{call_id}/reply", data={"text": "王先生您好，帳單已更正。", "subject": ""},
                          follow_redirects=True)
    assert refused.status_code == 200 and "請為你的郵件寫上主旨" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CallTurn)) == 0
    response = client.post(f"/calls/attempts/{call_id}/reply",
                           data={"text": "王先生您好，帳單已更正。", "subject": "【恆通電訊】帳單更正"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "逐則回顧這次練習" in html and "主旨：【恆通電訊】帳單更正" in html
    assert db.session.scalar(select(CallTurn.text)).startswith("主旨：【恆通電訊】帳單更正\n")


def test_an_sms_over_its_length_is_refused_on_the_server(client, auth, learner):
    auth.login(learner)
    call_id = _start(client, "tst-sms")
    refused = client.post(f"/calls/attempts/{call_id}/reply", data={"text": "帳單" * 40}, follow_redirects=True)
    assert "這裡的回覆最多 70 字，你寫了 80 字" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CallTurn)) == 0
    ok = client.post(f"/calls/attempts/{call_id}/reply", data={"text": "【恆通電訊】您的帳單已更正。"},
                     follow_redirects=True)
    assert "逐則回顧這次練習" in ok.get_data(as_text=True)


def test_a_new_channel_is_one_registry_entry(client, auth, learner):
    """A throw-away channel (a paper letter: a reply of at most 30 characters, drawn like the SMS thread)
    is checked, played and limited with nothing but its entry in the registry."""
    letter = register_channel(Channel("letter", "Letter", "M4 4h16v16H4z", "calls/channels/_sms.html",
                                      reply_hint="A letter.", thread_fields=("address",), required_fields=1,
                                      max_length=30))
    try:
        (field, _message), = _problems(dict(written("sms"), channel="letter"))
        assert field == "thread"
        definition = dict(written("sms"), channel="letter", slug="tst-letter", thread={"address": "台北市"})
        assert _problems(definition) == []
        save_scenario(ScenarioSpec("tst-letter", "tst-201-phone", definition))
        db.session.commit()
        auth.login(learner)
        client.post("/locale", data={"locale": "en"})
        call_id = _start(client, "tst-letter")
        html = client.get(f"/calls/attempts/{call_id}").get_data(as_text=True)
        assert "Letter" in html and 'data-count-max="30"' in html and "A letter." in html
        refused = client.post(f"/calls/attempts/{call_id}/reply", data={"text": "帳單" * 20}, follow_redirects=True)
        assert "at most 30 characters; yours has 40" in refused.get_data(as_text=True)
        assert letter.compose("帳單已更正") == "帳單已更正"
    finally:
        CHANNELS.pop("letter")
