"""The shadowing log, check-ins and sign-off: who may write what, bad input named, progress counted."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEvent
from lms.db import db
from lms.mentoring.models import CheckIn, MentorSignOff, ShadowingEntry
from lms.mentoring.progress import mentoring_home, progress_by_mentee
from lms.timeutil import local_today


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _entry(days=0, **extra):
    return {"kind": "took_call", "happened_on": (local_today() + timedelta(days=days)).isoformat(), "channel": "phone",
            "notes": "轉接前有先徵詢同意", "items": ["4.1.1-a"], **extra}


@pytest.mark.parametrize("who", ["hire", "senior"])
def test_the_mentee_and_the_mentor_log_entries(app, mentored, who):
    client = mentored.client(app, getattr(mentored, who))
    response = client.post(f"/mentoring/{mentored.mentorship.id}/entries", data=_entry())
    assert response.status_code == 302 and response.headers["Location"].endswith("#log")
    entry = db.session.scalar(select(ShadowingEntry))
    assert entry.author_id == getattr(mentored, who).id and [i.code for i in entry.items] == ["4.1.1-a"]
    page = client.get(f"/mentoring/{mentored.mentorship.id}").get_data(as_text=True)
    assert "在師傅陪聽下接聽電話" in page and "轉接前有先徵詢同意" in page and ">took_call<" not in page


@pytest.mark.parametrize(("data", "field", "words"), [
    ({"days": 1}, "happened_on", "未來"),
    ({"days": -30}, "happened_on", "早於"),
    ({"channel": "fax"}, "channel", ""),
    ({"kind": "gossip"}, "kind", ""),
    ({"items": ["9.9.9-z"]}, "items", ""),
])
def test_bad_entries_are_refused_under_their_field(app, mentored, data, field, words):
    response = mentored.client(app, mentored.hire).post(f"/mentoring/{mentored.mentorship.id}/entries",
                                                        data=_entry(**data))
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="{field}-error"' in text and words in text
    assert _count(ShadowingEntry) == 0


def test_staff_who_may_read_may_not_write_the_log(app, mentored):
    response = mentored.client(app, mentored.trainer).post(f"/mentoring/{mentored.mentorship.id}/entries",
                                                           data=_entry())
    assert response.status_code == 200 and "只有新人本人或其師傅" in response.get_data(as_text=True)
    assert _count(ShadowingEntry) == 0


def test_the_mentor_comments_and_confirms_an_entry_the_mentee_cannot(app, mentored):
    mentored.client(app, mentored.hire).post(f"/mentoring/{mentored.mentorship.id}/entries", data=_entry())
    entry = db.session.scalar(select(ShadowingEntry))
    url = f"/mentoring/{mentored.mentorship.id}/entries/{entry.id}/review"
    refused = mentored.client(app, mentored.hire).post(url, data={"comment": "我自己確認", "confirm": "y"},
                                                       follow_redirects=True)
    assert "只有師傅" in refused.get_data(as_text=True)
    too_long = mentored.client(app, mentored.senior).post(url, data={"comment": "長" * 4001})
    assert too_long.status_code == 200 and "師傅評語" in too_long.get_data(as_text=True)
    db.session.refresh(entry)
    assert entry.mentor_comment == "" and entry.confirmed_at is None
    assert mentored.client(app, mentored.senior).post(url, data={"comment": "很好", "confirm": "y"}).status_code == 302
    db.session.refresh(entry)
    assert entry.mentor_comment == "很好" and entry.confirmed_by_id == mentored.senior.id


def test_a_review_of_another_mentorships_entry_is_not_found(app, mentored, make):
    mentored.client(app, mentored.hire).post(f"/mentoring/{mentored.mentorship.id}/entries", data=_entry())
    entry = db.session.scalar(select(ShadowingEntry))
    other = make.user(team=mentored.senior.team, hire_date=local_today())
    mentored.client(app, mentored.manager).post(f"/mentoring/people/{other.id}/mentor", data={"mentor": mentored.senior.id})
    from lms.mentoring.models import Mentorship

    theirs = db.session.scalar(select(Mentorship).where(Mentorship.mentee_id == other.id))
    response = mentored.client(app, mentored.senior).post(f"/mentoring/{theirs.id}/entries/{entry.id}/review",
                                                          data={"comment": "x"})
    assert response.status_code == 404


def test_check_ins_are_due_on_the_mentors_to_do_list_and_recorded_once(app, mentored):
    mentor = mentored.client(app, mentored.senior)
    todo = mentor.get("/todo").get_data(as_text=True)
    assert "與 新人甲 的第 7 天面談" in todo and "第 30 天" not in todo
    page = mentor.get(f"/mentoring/{mentored.mentorship.id}").get_data(as_text=True)
    assert "逾期" in page
    url = f"/mentoring/{mentored.mentorship.id}/check-ins"
    assert mentor.post(url, data={"day": 7, "rating": "on_track", "check_in_notes": "問候語熟練"}).status_code == 302
    again = mentor.post(url, data={"day": 7, "rating": "ahead", "check_in_notes": "再一次"})
    assert again.status_code == 200 and 'id="day-error"' in again.get_data(as_text=True)
    check_in = db.session.scalar(select(CheckIn).where(CheckIn.day == 7))
    assert check_in.rating == "on_track" and check_in.done_by_id == mentored.senior.id
    assert "第 7 天面談" not in mentor.get("/todo").get_data(as_text=True)


def test_the_mentee_cannot_record_a_check_in(app, mentored):
    response = mentored.client(app, mentored.hire).post(f"/mentoring/{mentored.mentorship.id}/check-ins",
                                                        data={"day": 7, "rating": "ahead", "check_in_notes": "我很好"})
    assert response.status_code == 200 and _count(CheckIn, CheckIn.done_at.is_not(None)) == 0


def test_a_check_in_needs_notes(app, mentored):
    response = mentored.client(app, mentored.senior).post(f"/mentoring/{mentored.mentorship.id}/check-ins",
                                                          data={"day": 7, "rating": "ahead", "check_in_notes": ""})
    assert 'id="check_in_notes-error"' in response.get_data(as_text=True)


def test_signing_off_every_item_completes_the_mentoring_and_is_audited(app, mentored):
    mentor = mentored.client(app, mentored.senior)
    url = f"/mentoring/{mentored.mentorship.id}/sign-offs"
    assert mentor.post(url, data={"item": "4.1.1-a", "note": "第 3 天的來電"}).status_code == 302
    assert progress_by_mentee([mentored.hire.id])[mentored.hire.id].signed == 1
    twice = mentor.post(url, data={"item": "4.1.1-a", "note": ""})
    assert twice.status_code == 200 and _count(MentorSignOff) == 1
    assert mentor.post(url, data={"item": "4.1.1-b", "note": ""}).status_code == 302
    db.session.refresh(mentored.mentorship)
    assert mentored.mentorship.completed_at is not None
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mentoring.item_signed_off")).all()
    assert sorted(e.after["item"] for e in events) == ["4.1.1-a", "4.1.1-b"]
    progress = progress_by_mentee([mentored.hire.id])[mentored.hire.id]
    assert (progress.signed, progress.items, progress.completed) == (2, 2, True)


def test_an_item_not_on_the_path_cannot_be_signed_and_the_mentee_cannot_sign(app, mentored):
    url = f"/mentoring/{mentored.mentorship.id}/sign-offs"
    mentored.client(app, mentored.senior).post(url, data={"item": "5.2.1-a"})
    mentored.client(app, mentored.hire).post(url, data={"item": "4.1.1-a"})
    assert _count(MentorSignOff) == 0


def test_the_homes_and_the_board_show_the_progress(app, mentored):
    mentored.client(app, mentored.hire).post(f"/mentoring/{mentored.mentorship.id}/entries", data=_entry())
    mentored.client(app, mentored.senior).post(f"/mentoring/{mentored.mentorship.id}/sign-offs", data={"item": "4.1.1-a"})
    home = mentoring_home(mentored.senior)
    assert [(p.mentee_name, p.entries, p.signed, p.items, p.check_ins_overdue) for p in home.as_mentor] == [
        ("新人甲", 1, 1, 2, 1)]
    mentor_home = mentored.client(app, mentored.senior).get("/").get_data(as_text=True)
    assert "我帶的新人" in mentor_home and "已簽核 1 / 2 項" in mentor_home and "1 次面談逾期" in mentor_home
    mentee_home = mentored.client(app, mentored.hire).get("/").get_data(as_text=True)
    assert "資深甲 是您在「測試到職路徑」的師傅。" in mentee_home
    assert "師傅簽核：1 / 2 項" in mentee_home and "已完成 0 / 3 個步驟" in mentee_home  # two courses, the sign-off
    board = mentored.client(app, mentored.manager).get("/board/").get_data(as_text=True)
    assert "師傅：資深甲" in board and "已簽核 1 / 2 項" in board


def test_pages_in_english_show_words_not_codes(app, mentored, make):
    from lms.accounts.models import Locale

    mentored.senior.locale = Locale.EN
    db.session.commit()
    client = mentored.client(app, mentored.senior)
    client.post(f"/mentoring/{mentored.mentorship.id}/entries", data=_entry())
    client.post(f"/mentoring/{mentored.mentorship.id}/check-ins", data={"day": 7, "rating": "on_track", "check_in_notes": "ok"})
    page = client.get(f"/mentoring/{mentored.mentorship.id}").get_data(as_text=True)
    assert "Took a call with the mentor listening" in page and "Phone call" in page and "On track" in page
    for code in (">took_call<", ">on_track<", ">phone<", "took_call</", "on_track</"):
        assert code not in page
