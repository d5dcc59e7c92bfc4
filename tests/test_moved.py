"""Addresses from before each domain had one name still lead to their pages."""

import pytest


@pytest.mark.parametrize(("old", "new"), [
    ("/quizzes/", "/exams/manage/"),
    ("/quizzes/questions/t-single?x=1", "/exams/manage/questions/t-single?x=1"),
    ("/scenarios/tst-call", "/calls/manage/tst-call"),
    ("/author/TST-101", "/courses/manage/TST-101"),
])
def test_old_addresses_redirect_keeping_the_method(client, old, new):
    for method in ("GET", "POST"):
        response = client.open(old, method=method)
        assert response.status_code == 308
        assert response.headers["Location"] == new
