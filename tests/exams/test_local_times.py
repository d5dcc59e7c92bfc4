"""Daylight saving: an exam's opening and closing times are wall-clock times of the centre. A time the clocks
skip (spring forward) is refused under its field, never moved an hour; a time they pass twice (fall back) is
the first one, and the saved message says so; an exam file must name which by its offset."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from lms.accounts.models import Role
from lms.db import db
from lms.exams.availability import parse_time
from lms.exams.loader import load_quizzes
from lms.exams.models import Accommodation, Exam
from lms.timeutil import read_local

ZONES = [ZoneInfo("America/New_York"), ZoneInfo("Europe/London"), ZoneInfo("Asia/Taipei"),
         ZoneInfo("Australia/Lord_Howe")]  # Lord Howe moves its clocks by half an hour


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1)), st.sampled_from(ZONES))
def test_a_wall_clock_time_is_missing_exactly_when_no_moment_shows_it(naive, zone):
    read = read_local(naive, zone)
    readings = {naive.replace(tzinfo=zone, fold=f).astimezone(UTC) for f in (0, 1)}
    shows = [m for m in readings if m.astimezone(zone).replace(tzinfo=None) == naive]
    assert read.missing == (not shows)
    assert read.repeated == (len(shows) == 2)
    if not read.missing:
        assert read.moment.astimezone(UTC) == min(shows)  # the first of two readings


def test_the_hours_around_the_changes_in_new_york():
    zone = ZoneInfo("America/New_York")
    assert read_local(datetime(2026, 3, 8, 2, 30), zone).missing
    assert not read_local(datetime(2026, 3, 8, 1, 59), zone).missing
    assert not read_local(datetime(2026, 3, 8, 3, 0), zone).missing
    back = read_local(datetime(2026, 11, 1, 1, 30), zone)
    assert back.repeated and back.moment.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert not read_local(datetime(2026, 11, 1, 2, 0), zone).repeated


@pytest.fixture
def new_york(app):
    app.config["DEFAULT_TIMEZONE"] = app.config["BABEL_DEFAULT_TIMEZONE"] = "America/New_York"
    return app


@pytest.fixture
def trainer(new_york, make, client, auth):
    make.content()
    user = make.user(Role.TRAINER)
    auth.login(user)
    return user


FORM = {"slug": "dst", "title": "換時測驗", "kind": "quiz", "course": "", "time_limit_minutes": "15",
        "overdue": "autosubmit", "grace_minutes": "0", "attempts": "2", "cooldown_minutes": "0", "pass_mark": "70",
        "shuffle_questions": "y", "shuffle_options": "y", "layout": "one_per_page", "review": "after_submit",
        "sections": "draw 2 from pool-a"}


def test_a_closing_time_the_clocks_skip_is_refused_under_its_field(client, trainer):
    response = client.post("/exams/manage/exams/new", data={**FORM, "available_until": "2026-03-08T02:30"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "時鐘撥快" in body
    assert db.session.scalar(select(Exam).where(Exam.slug == "dst")) is None


def test_a_closing_time_that_happens_twice_is_the_first_and_the_message_says_so(client, trainer):
    response = client.post("/exams/manage/exams/new", data={**FORM, "available_until": "2026-11-01T01:30"},
                           follow_redirects=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "出現兩次" in body and "UTC−4" in body
    exam = db.session.scalar(select(Exam).where(Exam.slug == "dst"))
    closes = parse_time(exam.current_version.settings["available_until"])
    assert closes.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_an_ordinary_time_saves_without_a_notice(client, trainer):
    response = client.post("/exams/manage/exams/new", data={**FORM, "available_until": "2026-07-01T18:00"},
                           follow_redirects=True)
    assert "出現兩次" not in response.get_data(as_text=True)
    exam = db.session.scalar(select(Exam).where(Exam.slug == "dst"))
    assert parse_time(exam.current_version.settings["available_until"]).utcoffset() == timedelta(hours=-4)


def test_an_accommodation_time_the_clocks_skip_is_refused_with_its_field_named(client, trainer, make):
    make.user(employee_no="ACC01")
    response = client.post("/exams/manage/exams/tst-fixed/accommodations", follow_redirects=True, data={
        "employee_no": "acc01", "extra_minutes": "0", "extra_attempts": "0", "available_until": "2026-03-08T02:15"})
    body = response.get_data(as_text=True)
    assert "個別截止時間" in body and "時鐘撥快" in body
    assert db.session.scalar(select(Accommodation)) is None


EXAM_FILE = """slug: dst-file
title: 換時測驗
kind: quiz
pass_mark: 60
available_until: "{until}"
sections:
  - questions: [q1]
"""


@pytest.mark.parametrize(("until", "problem"), [
    ("2026-03-08T02:30", "時鐘撥快"),
    ("2026-11-01T01:30", "請寫成 2026-11-01T01:30:00-04:00 或 2026-11-01T01:30:00-05:00"),
    ("next tuesday", "例如 2026-03-01T09:00"),
    ("2026-11-01T01:30:00-05:00", None),
    ("2026-07-01T18:00", None),
])
def test_an_exam_file_names_the_line_of_a_time_that_is_skipped_repeated_or_not_a_time(new_york, tmp_path, until,
                                                                                       problem):
    (tmp_path / "exams").mkdir()
    (tmp_path / "exams" / "dst.yaml").write_text(EXAM_FILE.format(until=until), encoding="utf-8")
    with new_york.test_request_context("/"):
        _content, errors = load_quizzes(tmp_path)
    if problem is None:
        assert errors == []
    else:
        assert len(errors) == 1 and errors[0].line == 5 and problem in str(errors[0])
