from lms.accounts.models import Role


def test_chapter_page_has_stable_anchors_and_items(client, auth, make):
    make.content()
    auth.login(make.user())
    html = client.get("/standards/4").get_data(as_text=True)
    assert 'id="sec-4.1.1"' in html and 'id="item-4.1.1-a"' in html
    assert "三聲內接聽" in html and 'href="/standards/items/4.1.1-a"' in html
    assert client.get("/standards/99").status_code == 404


def test_section_number_redirects_to_its_anchor(client, auth, make):
    make.content()
    auth.login(make.user())
    response = client.get("/standards/sections/4.1.3")
    assert response.headers["Location"] == "/standards/4#sec-4.1.3"
    assert client.get("/standards/sections/x.1").status_code == 404


def test_item_page_shows_where_it_is_taught(client, auth, make):
    make.content()
    auth.login(make.user())
    html = client.get("/standards/items/4.1.1-a").get_data(as_text=True)
    assert "TST-101 · 三聲之內" in html and "/courses/TST-101/lessons/pickup" in html
    assert client.get("/standards/items/9.9.9-z").status_code == 404


def test_search_one_two_and_more_characters_in_either_script(client, auth, make):
    make.content()
    auth.login(make.user())
    for query in ("訴", "投訴", "投诉", "接到投訴", "接到投诉", "三聲內", "三声内"):
        html = client.get("/standards/search", query_string={"q": query}).get_data(as_text=True)
        assert "<mark>" in html, query
    html = client.get("/standards/search", query_string={"q": "投诉"}).get_data(as_text=True)
    assert "5.2.1-a" in html and "<mark>投訴</mark>" in html
    html = client.get("/standards/search", query_string={"q": "完全不存在的詞"}).get_data(as_text=True)
    assert "<mark>" not in html


def test_search_input_is_escaped(client, auth, make):
    make.content()
    auth.login(make.user())
    html = client.get("/standards/search", query_string={"q": "<script>alert(1)</script>"}).get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert client.get("/standards/search", query_string={"q": "x" * 5000}).status_code == 200
    assert client.get("/standards/search", query_string={"q": '"%_\\'}).status_code == 200


def test_coverage_matrix_flags_uncovered_items_and_filters(client, auth, make):
    make.content()
    auth.login(make.user(Role.TRAINER))
    client.post("/locale", data={"locale": "en"})
    html = client.get("/standards/coverage").get_data(as_text=True)
    # 5.2.1-b is taught by no lesson and tested by no question, but the test call's rubric assesses it.
    assert "6 items · 1 not taught by any lesson · 0 covered by nothing" in html
    # English page: ids as code, Chinese content marked as such.
    assert '<code>TST-101</code> · <span lang="zh-Hant">三聲之內</span>' in html
    assert '<span lang="zh-Hant">測試投訴電話 · 核實問題</span>' in html and html.count('class="row--gap"') == 0
    html = client.get("/standards/coverage?chapter=5").get_data(as_text=True)
    assert "5.2.1-a" in html and "4.1.1-a" not in html
    html = client.get("/standards/coverage?gaps=1").get_data(as_text=True)
    assert "5.2.1-b" in html and "4.1.1-a" not in html
    assert client.get("/standards/coverage?chapter=abc").status_code == 200


def test_managers_see_what_covers_an_item_but_links_only_where_they_may_go(client, auth, make):
    make.content()
    auth.login(make.user(Role.TRAINER))
    trainer_html = client.get("/standards/coverage").get_data(as_text=True)
    assert 'href="/exams/manage/questions/' in trainer_html and 'href="/calls/manage/' in trainer_html
    auth.logout()
    auth.login(make.user(Role.MANAGER))
    html = client.get("/standards/coverage").get_data(as_text=True)
    assert "測試投訴電話 · 核實問題" in html and 'href="/courses/' in html
    assert 'href="/exams/manage/questions/' not in html and 'href="/calls/manage/' not in html


def test_coverage_matrix_is_for_staff_only(client, auth, make):
    auth.login(make.user())
    assert client.get("/standards/coverage").status_code == 403


def test_item_page_links_questions_and_scenarios_only_for_their_editors(client, auth, make):
    """The item page listed the questions and scenarios citing it as links for managers too (each answered
    403), with the question id as plain text: the id is shown as code, the link only for trainers."""
    make.content()
    auth.login(make.user(Role.TRAINER))
    trainer_html = client.get("/standards/items/4.1.3-a").get_data(as_text=True)
    assert 'href="/exams/manage/questions/' in trainer_html and 'href="/calls/manage/' in trainer_html
    assert "<code>t-ordering</code> · " in trainer_html
    auth.logout()
    auth.login(make.user(Role.MANAGER))
    html = client.get("/standards/items/4.1.3-a").get_data(as_text=True)
    assert "<code>t-ordering</code> · " in html and "禮貌結束" in html
    assert 'href="/exams/manage/questions/' not in html and 'href="/calls/manage/' not in html
