"""Who may read a mentorship and write in it: by relation (mentee, mentor), by team (their manager), or by
role (trainers and administrators read all); anyone else is answered as if it did not exist."""

import pytest
from sqlalchemy import func, select

from lms.db import db
from lms.mentoring.models import CheckIn, MentorSignOff, ShadowingEntry
from lms.timeutil import local_today

READERS = [("hire", 200), ("senior", 200), ("manager", 200), ("trainer", 200), ("admin", 200),
           ("other_senior", 404), ("outsider", 404), ("other_manager", 404)]


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.mark.parametrize(("who", "status"), READERS)
def test_who_may_read_a_mentorship(app, mentored, who, status):
    client = mentored.client(app, getattr(mentored, who))
    assert client.get(f"/mentoring/{mentored.mentorship.id}").status_code == status


@pytest.mark.parametrize(("who", "status"), READERS)
def test_who_may_write_in_a_mentorship(app, mentored, who, status):
    client = mentored.client(app, getattr(mentored, who))
    url = f"/mentoring/{mentored.mentorship.id}"
    entry = {"kind": "listened", "happened_on": local_today().isoformat(), "channel": "phone", "notes": "x"}
    answers = [client.post(f"{url}/entries", data=entry).status_code,
               client.post(f"{url}/check-ins", data={"day": 7, "rating": "ahead", "check_in_notes": "x"}).status_code,
               client.post(f"{url}/sign-offs", data={"item": "4.1.1-a", "note": ""}).status_code]
    if status == 404:
        assert answers == [404, 404, 404]
    writes = (_count(ShadowingEntry), _count(CheckIn, CheckIn.done_at.is_not(None)), _count(MentorSignOff))
    expected = {"hire": (1, 0, 0), "senior": (1, 1, 1)}.get(who, (0, 0, 0))
    assert writes == expected


def test_a_replaced_mentor_no_longer_reads_the_mentorship(app, mentored):
    mentored.client(app, mentored.manager).post(f"/mentoring/people/{mentored.hire.id}/mentor",
                                                data={"mentor": mentored.other_senior.id})
    assert mentored.client(app, mentored.senior).get(f"/mentoring/{mentored.mentorship.id}").status_code == 404
    assert mentored.client(app, mentored.other_senior).get(f"/mentoring/{mentored.mentorship.id}").status_code == 200


@pytest.mark.parametrize(("who", "shown", "hidden"), [
    ("hire", ["我的師徒帶領", "資深甲"], ["我帶的新人", "我團隊的新人"]),
    ("senior", ["我帶的新人", "新人甲"], ["我的師徒帶領", "我團隊的新人"]),
    ("manager", ["我團隊的新人", "新人甲", "更換師傅"], ["我帶的新人"]),
    ("other_manager", ["我團隊的新人", "目前沒有人"], ["新人甲"]),
    ("trainer", ["所有新人的師徒帶領", "新人甲"], ["更換師傅"]),
    ("outsider", ["您目前沒有帶新人"], ["新人甲"]),
])
def test_the_mentoring_list_shows_each_person_their_own(app, mentored, who, shown, hidden):
    response = mentored.client(app, getattr(mentored, who)).get("/mentoring/")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert [s for s in shown if s not in text] == [] and [h for h in hidden if h in text] == []


def test_anonymous_visitors_are_sent_to_log_in(client, mentored):
    assert "/login" in client.get(f"/mentoring/{mentored.mentorship.id}").headers["Location"]
    assert client.post(f"/mentoring/{mentored.mentorship.id}/entries").status_code == 401
