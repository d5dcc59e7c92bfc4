"""Language of parts and English punctuation on pages not in traditional Chinese (issue 12, items 27, 28)."""

import re

from hypothesis import given
from hypothesis import strategies as st

from lms.accounts.models import Locale, Role, User
from lms.content_language import english_punctuation, mark_content_language
from lms.db import db

SPAN = re.compile(r'<span lang="zh-Hant">|</span>')


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


def test_on_a_simplified_page_only_traditional_text_is_marked():
    out = mark_content_language("<p>课程</p><p>編輯課程</p>", "zh-Hans")
    assert out == '<p>课程</p><p><span lang="zh-Hant">編輯課程</span></p>'


def test_english_punctuation():
    assert english_punctuation("0（0%）") == "0 (0%)"
    assert english_punctuation("Mark：3，done。") == "Mark: 3, done. "
    assert english_punctuation("「x」、y") == "“x”, y"


HTML_PIECES = st.lists(st.sampled_from([
    "<p>", "</p>", "<b>", "</b>", "<br>", "&amp;", "&#39;", "中文", "編輯", "课程", "（", "）", "：", "abc", " ", "<!-- c -->",
    '<span lang="en">', "</span>", "<script>中</script>", "<option>選</option>", "<img alt='中'>"]), max_size=30)


@given(HTML_PIECES)
def test_marking_only_adds_language_marks(pieces):
    html = "".join(pieces)
    out = mark_content_language(html, "zh-Hans")
    assert SPAN.sub("", out).replace(' lang="zh-Hant"', "") == SPAN.sub("", html)


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
