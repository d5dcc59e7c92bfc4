"""Raw codes on the certification and exam-settings screens (issue 12, item 16): a programme's prerequisites
are named by their titles, and the exam settings say in words what learners see of their results."""

import re
from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.certification import updates, workflow
from lms.certification.programmes import get_programme
from lms.db import db
from lms.timeutil import local_today
from tests.certification.helpers import make_ready


def _visible(html: str) -> str:
    """The text a person reads: no tags, no attribute values, no scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def learner(make, client, auth):
    make.content()
    user = make.user(Role.LEARNER)
    auth.login(user)
    return user


def test_a_programme_names_the_programmes_it_needs_first_by_title(learner, client):
    text = _visible(client.get("/certification/programmes/tst-senior").get_data(as_text=True))
    assert "須先取得" in text and "測試一級認證" in text
    assert "tst-cert" not in text


def test_the_exam_settings_page_shows_no_review_code(make, client, auth):
    make.content()
    auth.login(make.user(Role.TRAINER))
    text = _visible(client.get("/exams/manage/exams/tst-fixed").get_data(as_text=True))
    assert "考試截止後" in text and "成績要等培訓師公布後才會顯示" in text
    for code in ("after_submit", "after_close", "never"):
        assert code not in text
    form = _visible(client.get("/exams/manage/exams/tst-fixed/edit").get_data(as_text=True))
    for code in ("after_submit", "after_close"):
        assert code not in form


def test_an_update_requirement_names_the_exam_to_pass_by_its_title(make, client, auth):
    make.content()
    learner, trainer = make.user(Role.LEARNER), make.user(Role.TRAINER)
    make_ready(learner, trainer)
    workflow.issue_certificate(workflow.apply_for_certificate(learner, get_programme("tst-cert")), trainer)
    updates.create_update(get_programme("tst-cert"), trainer, "筆試改版", "題目修訂", ["4.1.1-a"],
                          [{"id": "exam-again", "kind": "exam", "exam": "tst-fixed", "min_score": 80}],
                          local_today() + timedelta(days=30))
    db.session.commit()
    auth.login(learner)
    text = _visible(client.get("/certification/programmes/tst-cert").get_data(as_text=True))
    assert "筆試改版" in text and "固定題目與申論" in text and "tst-fixed" not in text
