"""Language of parts and English punctuation on pages not in traditional Chinese (issue 12, items 27, 28)."""

import re

from hypothesis import given
from hypothesis import strategies as st

from lms.accounts.models import Locale, Role, User
from lms.content.simplified import SimplifiedConverter
from lms.content_language import english_punctuation, mark_content_language
from lms.db import db

SPAN = re.compile(r'<span lang="zh-Hant">|</span>')
CONVERTER = SimplifiedConverter({"帳": "账"})


def test_chinese_runs_on_an_english_page_are_marked():
    html = '<html lang="en"><body><h1>Debrief: 一通完整的來電：帳單變貴了</h1><p>Points: 3（calm）, 0（0%）</p></body></html>'
    out = mark_content_language(html, "en")
    assert '<h1>Debrief: <span lang="zh-Hant">一通完整的來電：帳單變貴了</span></h1>' in out
    assert "<p>Points: 3 (calm), 0 (0%)</p>" in out


def test_options_and_textareas_get_the_attribute_and_scripts_titles_and_marked_parts_are_left_alone():
    html = ('<title>Edit · 客服</title><script>var s = "中文（）";</script><select><option value="1">PRO-209 客服系統'
            '</option></select><textarea name="s">title: 中文</textarea><p lang="zh-Hant">已標示（好）</p>'
            '<a title="中文（）" href="/x">x</a>')
    out = mark_content_language(html, "en")
    assert '<title>Edit · 客服</title><script>var s = "中文（）";</script>' in out
    assert '<option value="1" lang="zh-Hant">PRO-209 客服系統</option>' in out
    assert '<textarea name="s" lang="zh-Hant">title: 中文</textarea>' in out
    assert '<p lang="zh-Hant">已標示（好）</p><a title="中文（）" href="/x">x</a>' in out


def test_text_in_a_drawing_gets_the_attribute_on_its_element():
    html = '<svg viewBox="0 0 9 9"><g><rect x="1" y="1" width="2" height="2"/><text x="1" y="5">喂？（掛斷）</text></g></svg>'
    assert mark_content_language(html, "en") == html.replace('y="5">', 'y="5" lang="zh-Hant">')


def test_on_a_simplified_page_the_content_is_converted_instead_of_marked():
    out = mark_content_language("<p>课程</p><p>編輯課程</p><p>軟體資訊</p>", "zh-Hans")
    assert out == "<p>课程</p><p>编辑课程</p><p>软件信息</p>"


def test_on_a_simplified_page_interface_text_beside_content_is_left_alone():
    # "文件" is interface text (tw2sp alone would make it 文档); the name after it is content.
    out = mark_content_language("<p>文件：帳單資訊.csv · 已停用</p>", "zh-Hans", CONVERTER.convert)
    assert out == "<p>文件：账单信息.csv · 已停用</p>"


def test_on_a_simplified_page_what_is_posted_back_stays_and_what_is_read_is_converted():
    html = ('<title>課程 · 軟體</title><input name="q" value="軟體" title="搜尋軟體" placeholder="例如：帳單">'
            '<select name="s"><option value="帳單" selected>帳單</option></select>'
            '<textarea name="r" placeholder="請輸入回覆">我的帳單資訊</textarea><img alt="帳單範例" src="/x.png">'
            '<p lang="zh-Hant">繁體中文</p><a aria-label="帳單" href="/帳單">帳單</a><script>var s = "帳單";</script>')
    out = mark_content_language(html, "zh-Hans", CONVERTER.convert)
    assert out == ('<title>课程 · 软件</title><input name="q" value="軟體" title="搜索软件" placeholder="例如：账单">'
                   '<select name="s"><option value="帳單" selected>账单</option></select>'
                   '<textarea name="r" placeholder="请输入回复" lang="zh-Hant">我的帳單資訊</textarea>'
                   '<img alt="账单范例" src="/x.png"><p lang="zh-Hant">繁體中文</p><a aria-label="账单" href="/帳單">'
                   '账单</a><script>var s = "帳單";</script>')


def test_on_a_simplified_page_drawings_are_converted():
    html = '<svg viewBox="0 0 9 9"><text x="1" y="5">喂？（掛斷）</text></svg>'
    assert mark_content_language(html, "zh-Hans") == '<svg viewBox="0 0 9 9"><text x="1" y="5">喂？（挂断）</text></svg>'


def test_english_punctuation():
    assert english_punctuation("0（0%）") == "0 (0%)"
    assert english_punctuation("Mark：3，done。") == "Mark: 3, done. "
    assert english_punctuation("「x」、y") == "“x”, y"


HTML_PIECES = st.lists(st.sampled_from([
    "<p>", "</p>", "<b>", "</b>", "<br>", "&amp;", "&#39;", "中文", "編輯", "课程", "（", "）", "：", "abc", " ", "<!-- c -->",
    '<span lang="en">', "</span>", "<script>中</script>", "<option>選</option>", "<img alt='中'>"]), max_size=30)


@given(HTML_PIECES)
def test_marking_only_adds_language_marks_and_english_punctuation(pieces):
    html = "".join(pieces)
    out = mark_content_language(html, "en")
    tags = re.compile(r"<[^>]*>")
    assert tags.findall(SPAN.sub("", out).replace(' lang="zh-Hant"', "")) == tags.findall(SPAN.sub("", html))
    assert re.sub(r"[^\u4e00-\u9fff]", "", out) == re.sub(r"[^\u4e00-\u9fff]", "", html)


TAG_OR_KEPT = re.compile(r"<textarea\b[^>]*>.*?</textarea>|<script>.*?</script>|<[^>]*>", re.S)
READ = re.compile(r"""(\s(?:title|alt|placeholder|aria-label)=)("[^"]*"|'[^']*')""")
CONVERTED_PIECES = st.lists(st.sampled_from([
    "<p>", "</p>", "<b>", "</b>", "<br>", "&amp;", "中文", "編輯", "课程", "帳單", "文件", "（", "：", "abc", " ",
    "<span>", "</span>", "<script>帳</script>", '<option value="帳單">帳單</option>',
    "<img alt='軟體'>", '<input value="資訊" title="資訊">', '<textarea name="t" placeholder="帳">帳號</textarea>',
    "<!-- 帳 -->", "<title>軟體</title>"]), max_size=30)


def _structure(html):
    """Tags (with the values people read left out, and the language marks added), textareas and scripts."""
    return [READ.sub(r"\1", token).replace(' lang="zh-Hant"', "") for token in TAG_OR_KEPT.findall(html)]


@given(CONVERTED_PIECES)
def test_converting_never_changes_tags_attributes_or_what_is_posted_back(pieces):
    html = "".join(pieces)
    out = mark_content_language(html, "zh-Hans", CONVERTER.convert)
    assert _structure(out) == _structure(html)
    assert TAG_OR_KEPT.sub("", out).count("&amp;") == TAG_OR_KEPT.sub("", html).count("&amp;")
    assert "帳" not in TAG_OR_KEPT.sub("", out)


def test_an_english_page_marks_course_titles_and_a_traditional_page_is_untouched(client, auth, make):
    make.content()
    user = make.user(Role.LEARNER)
    auth.login(user)
    html = client.get("/courses/").get_data(as_text=True)
    assert 'lang="zh-Hant"' not in html.split("<main", 1)[1]
    db.session.get(User, user.id).locale = Locale.EN
    db.session.commit()
    html = client.get("/courses/").get_data(as_text=True)
    assert re.search(r'<a href="/courses/TST-101"><span lang="zh-Hant">[^<]+</span></a>', html)
