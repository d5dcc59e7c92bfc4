"""English pages count in English: "1 point", "1 item", never "1 points" (issue 12, item 28)."""

import re

from sqlalchemy import select

from lms.accounts.models import Locale, Role
from lms.db import db
from lms.exams.models import Exam


def _english(make, *roles):
    return make.user(*roles, locale=Locale.EN) if roles else make.user(locale=Locale.EN)


def test_a_one_point_question_says_one_point_in_brackets_of_english(client, auth, make):
    make.content()
    learner = _english(make)
    make.enrol(learner, "TST-101")
    auth.login(learner)
    # The pre-test draws only one-point questions; the post-test may show a two-point question first.
    exam = db.session.scalar(select(Exam).where(Exam.slug == "tst-101-pre"))
    attempt_url = client.post(f"/exams/{exam.slug}/start").headers["Location"]
    html = client.get(attempt_url).get_data(as_text=True)
    assert re.search(r'<span class="hint"> \(1 point\)</span>', html)
    assert "1 points" not in html


def test_counts_of_one_are_singular_and_others_plural(client, auth, make):
    make.content()
    auth.login(_english(make, Role.ADMIN))
    html = client.get("/standards/search", query_string={"q": "4.1.1-a"}).get_data(as_text=True)
    assert re.search(r"\b1 result for", html)
    html = client.get("/courses/").get_data(as_text=True)
    assert re.search(r"\b2 lessons · \d+ minutes", html) and not re.search(r"\b1 (lessons|minutes)\b", html)
    html = client.get("/admin/users").get_data(as_text=True)
    assert re.search(r"\b1 user\b", html)
