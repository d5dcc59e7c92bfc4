"""Search understands English terms and acronyms through the glossary (issue 12, item 19)."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.accounts.models import Role
from lms.search.glossary import GLOSSARY_FILE, expand_query, read_glossary
from lms.search.normalise import search_key
from tests.factories import SHIPPED_CONTENT


@pytest.mark.parametrize("query,term", [
    ("FCR", "首次解决率"), ("ＦＣＲ", "首次解决率"), ("fcr", "首次解决率"), ("first contact resolution", "首次解决率"),
    ("complaint", "投诉"), ("Complaints", "投诉"), ("COMPLAINT handling", "投诉"), ("ＣＳＡＴ", "满意度"),
])
def test_english_terms_expand_to_the_chinese_terms(query, term):
    keys = expand_query(search_key(query))
    assert keys[0] == search_key(query) and term in keys


@pytest.mark.parametrize("query", ["投訴", "pfcr", "fcrx", "complainant"])
def test_other_words_do_not_expand(query):
    assert expand_query(search_key(query)) == [search_key(query)]


@given(st.text(max_size=40))
def test_expansion_always_starts_with_the_query_and_never_repeats(text):
    keys = expand_query(search_key(text))
    assert keys[0] == search_key(text) and len(keys) == len(set(keys))


def test_every_chinese_term_of_the_glossary_occurs_in_the_shipped_content():
    text = "".join(p.read_text(encoding="utf-8") for p in (SHIPPED_CONTENT / "courses").rglob("*.md"))
    missing = [term for term in read_glossary(GLOSSARY_FILE.read_text(encoding="utf-8")) if term not in text]
    assert missing == []


@pytest.mark.parametrize("text", ["- FCR", "首次解決率: FCR", "首次解決率: []", "首次解決率: [' ']"])
def test_a_malformed_glossary_is_refused(text):
    with pytest.raises(ValueError):
        read_glossary(text)


@pytest.mark.parametrize("query", ["complaint", "ＣＯＭＰＬＡＩＮＴ"])
def test_the_search_page_finds_standards_and_courses_by_english_word(client, auth, make, query):
    make.content()
    auth.login(make.user(Role.LEARNER))
    html = client.get("/search/", query_string={"q": query}).get_data(as_text=True)
    assert re.search(r"<mark>投訴</mark>", html)
    assert "/standards/items/" in html and "/courses/TST-201" in html


def test_the_header_has_a_search_box_for_everyone_logged_in(client, auth, make):
    auth.login(make.user(Role.LEARNER))
    html = client.get("/").get_data(as_text=True)
    assert 'role="search"' in html and 'action="/search/"' in html and 'name="q"' in html


def test_a_search_with_nothing_to_find_says_so(client, auth, make):
    make.content()
    auth.login(make.user(Role.LEARNER))
    html = client.get("/search/", query_string={"q": "zzzz"}).get_data(as_text=True)
    assert "沒有符合的服務規範。" in html and "沒有符合的課程。" in html
