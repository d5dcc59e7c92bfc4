"""A reader who chooses simplified Chinese reads the content in simplified Chinese too (issue 15): courses,
lessons, questions, call scenarios and standards; a traditional Chinese page is unchanged and an English
page still marks the content's language. What the reader types in simplified Chinese finds and matches the
traditional content."""

import io
import re

import pytest
from sqlalchemy import select

from lms.accounts.models import Locale, Role, User
from lms.calls.nodes.typed import match_typed_reply
from lms.content.phrases import sync_phrases
from lms.db import db
from lms.exams.models import QuestionVersion
from lms.exams.question_types.short import ShortAnswer
from lms.search.services import IndexEntry, index_documents, search

PAGES = [  # (address, traditional in the content, its simplified form on a zh_Hans page)
    ("/courses/", "測試基礎課", "测试基础课"),
    ("/courses/TST-101", "這門課介紹電話接聽的基本功", "这门课介绍电话接听的基本功"),
    ("/courses/TST-101/lessons/pickup", "客戶等候的每一秒都在累積不耐", "客户等候的每一秒都在累积不耐"),
    ("/calls/tst-call", "測試投訴電話", "测试投诉电话"),
    ("/standards/4", "結束前確認客戶的問題已經解決", "结束前确认客户的问题已经解决"),
    ("/standards/items/4.1.1-b", "問候語要有公司、中心與工號", "问候语要有公司、中心与工号"),
]


@pytest.fixture
def reader(make, auth):
    make.content()
    user = make.user(Role.LEARNER)
    make.enrol(user, "TST-101")
    auth.login(user)
    return user


def _set_locale(user, locale):
    db.session.get(User, user.id).locale = locale
    db.session.commit()


def _main(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True).split("<main", 1)[1]


@pytest.mark.parametrize("url,traditional,simplified", PAGES)
def test_the_content_follows_the_readers_script(client, reader, url, traditional, simplified):
    assert traditional in _main(client, url) and simplified not in _main(client, url)
    _set_locale(reader, Locale.ZH_HANS)
    html = _main(client, url)
    assert simplified in html and traditional not in html
    _set_locale(reader, Locale.EN)
    assert re.search(rf'lang="zh-Hant">[^<]*{traditional}', _main(client, url))


def test_an_exam_question_and_a_call_in_simplified_chinese_with_the_contents_own_corrections(client, reader):
    _set_locale(reader, Locale.ZH_HANS)
    attempt = client.post("/exams/tst-fixed/start").headers["Location"]
    html = _main(client, attempt)
    assert "铃响第几声前要接起" in html and "第三声" in html and "鈴響" not in html
    call = client.post("/calls/tst-call/start", data={"mode": "practice"}).headers["Location"].split("#")[0]
    html = _main(client, call)
    assert "电话响了" in html and "電話響了" not in html
    for option in ("0", "0"):  # pick up, greet
        client.post(f"{call}/reply", data={"option": option})
    html = _main(client, call)
    # The options of the next turn; the test curriculum's phrases file has 帳 → 账 (OpenCC alone: 帐号).
    assert "请问您的账号是多少" in html and "帳號" not in html and "帐号" not in html
    assert "您好，测试客服中心" in html  # the transcript so far


def test_a_change_of_the_phrases_shows_at_once(client, reader):
    _set_locale(reader, Locale.ZH_HANS)
    assert "累积不耐" in _main(client, "/courses/TST-101/lessons/pickup")
    sync_phrases({"帳": "账", "不耐": "不耐烦"})
    db.session.commit()
    assert "累积不耐烦" in _main(client, "/courses/TST-101/lessons/pickup")


def test_a_simplified_query_finds_the_traditional_content(app):
    sync_phrases({"品質": "质量", "帳": "账"})
    index_documents([IndexEntry("item", "9.9.9-a", "軟體更新", "更新後請檢查服務品質與帳戶資訊。")])
    for query in ("软件更新", "软体更新", "服务质量", "账户信息", "帐户资讯", "軟體"):
        assert [hit.key for hit in search(query, ("item",))] == ["9.9.9-a"], query
    assert search("软件质量", ("item",)) == []


SHORT = {"answers": [{"text": "帳戶", "weight": 1.0, "feedback": ""}, {"text": "資訊", "weight": 0.5, "feedback": ""}]}


@pytest.mark.parametrize("typed,score", [("帳戶", 1.0), ("帐户", 1.0), ("账户", 1.0), ("資訊", 0.5), ("信息", 0.5),
                                         ("资讯", 0.5), ("帐号", 0.0)])
def test_a_simplified_short_answer_is_graded_like_its_traditional_form(typed, score):
    assert ShortAnswer().grade(SHORT, {"text": typed}).fraction == score


def test_a_simplified_call_reply_is_matched_like_its_traditional_form():
    from lms.calls import definition as definitions
    from tests.calls.test_engine import definition

    scenario = definitions.compile_scenario(definition())
    verify = scenario.nodes["a_verify"]
    assert match_typed_reply(verify, "我先核对一下")[0][:2] == ("verify", "met")
    # A criterion written in Taiwan words is met by their mainland words.
    data = definition()
    for node in data["nodes"]:
        if node["id"] == "a_verify":
            node["free_text"]["criteria"]["verify"]["any"] = ["查詢帳戶資訊"]
    verify = definitions.compile_scenario(data).nodes["a_verify"]
    assert match_typed_reply(verify, "我帮您查询账户信息")[0][:2] == ("verify", "met")
    assert match_typed_reply(verify, "我幫您查詢帳戶資訊")[0][:2] == ("verify", "met")
    assert match_typed_reply(verify, "我帮您查询密码")[0][:2] == ("verify", "missed")


def _upload_gift(client, data: bytes):
    return client.post("/exams/manage/gift", data={"bank": "简体题库", "file": (io.BytesIO(data), "q.gift")},
                       content_type="multipart/form-data", follow_redirects=True)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_gift_file_in_simplified_chinese_imports_and_the_export_stays_traditional(client, make, auth, encoding):
    make.content()
    trainer = make.user(Role.TRAINER)
    auth.login(trainer)
    _set_locale(trainer, Locale.ZH_HANS)
    text = "// [tag:std:4.1.1-a]\n::接听时限::来电要在铃响第几声之前接起？{=三声 =3声}\n"
    page = _upload_gift(client, text.encode(encoding)).get_data(as_text=True)
    assert "已导入 1 题" in page, page.split("<main", 1)[1][:3000]
    stored = db.session.scalar(select(QuestionVersion).where(QuestionVersion.name == "接听时限"))
    assert stored.text_md.startswith("来电要在铃响第几声之前接起")  # kept as written
    exported = client.get("/exams/manage/banks/test-bank/export.gift").get_data(as_text=True)
    assert "鈴響第幾聲前要接起" in exported  # the source, not the reader's script


def test_a_reply_in_the_words_of_the_simplified_page_meets_the_criterion_written_in_the_contents(app):
    """The page said 工作日 (the content's 工作天, corrected by the phrases file): typing it counts."""
    from lms.calls import definition as definitions
    from tests.calls.test_engine import definition

    sync_phrases({"工作天": "工作日"})
    db.session.commit()
    data = definition()
    for node in data["nodes"]:
        if node["id"] == "a_verify":
            node["free_text"]["criteria"]["verify"]["any"] = ["三個工作天內"]
    verify = definitions.compile_scenario(data).nodes["a_verify"]
    assert match_typed_reply(verify, "我们会在三个工作日内回复您")[0][:2] == ("verify", "met")
    assert ShortAnswer().grade({"answers": [{"text": "工作天", "weight": 1.0, "feedback": ""}]},
                               {"text": "工作日"}).fraction == 1.0


def test_search_results_follow_the_readers_script(client, reader):
    _set_locale(reader, Locale.ZH_HANS)
    html = _main(client, "/search/?q=问候语")
    assert "标准<mark>问候语</mark>" in html and "標準" not in html and "接听电话" in html
    _set_locale(reader, Locale.EN)
    assert 'lang="zh-Hant"' in _main(client, "/search/?q=問候語")
