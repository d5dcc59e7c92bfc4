"""A mentorship per new hire on a path with mentoring; the mentor chosen (and changed) by their manager."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.db import db
from lms.mentoring.models import MentorChange, Mentorship
from lms.timeutil import local_today


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_new_hire_put_on_the_path_gets_a_mentorship_with_its_check_ins(world):
    m = world.mentorship
    assert m is not None and m.mentor_id is None and m.started_on == world.hire.hire_date
    assert [(c.day, c.due_on) for c in m.check_ins] == [(7, m.started_on + timedelta(days=7)),
                                                        (30, m.started_on + timedelta(days=30))]


def test_people_not_on_the_path_get_none(world, make):
    veteran = make.user(hire_date=local_today() - timedelta(days=400))
    no_date = make.user()
    manager = make.user(Role.MANAGER, hire_date=local_today())
    assert _count(Mentorship, Mentorship.mentee_id.in_([veteran.id, no_date.id, manager.id])) == 0
    assert _count(Mentorship, Mentorship.mentee_id == world.senior.id) == 0


def test_the_manager_chooses_from_the_team_longest_serving_first(app, world):
    page = world.client(app, world.manager).get(f"/mentoring/people/{world.hire.id}/mentor")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert text.index("資深甲") < text.index("資深乙") and "外組" not in text and "主管甲（" not in text


def test_choosing_and_changing_the_mentor_keeps_the_history_and_audits(app, world):
    client = world.client(app, world.manager)
    assert client.post(f"/mentoring/people/{world.hire.id}/mentor", data={"mentor": world.senior.id}).status_code == 302
    assert client.post(f"/mentoring/people/{world.hire.id}/mentor",
                       data={"mentor": world.other_senior.id}).status_code == 302
    db.session.refresh(world.mentorship)
    assert world.mentorship.mentor_id == world.other_senior.id
    changes = db.session.scalars(select(MentorChange).order_by(MentorChange.id)).all()
    assert [(c.previous_mentor_id, c.mentor_id, c.changed_by_id) for c in changes] == [
        (None, world.senior.id, world.manager.id), (world.senior.id, world.other_senior.id, world.manager.id)]
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mentoring.mentor_chosen")
                                .order_by(AuditEvent.id)).all()
    assert [(e.object_id, e.before, e.after) for e in events] == [
        (str(world.hire.id), None, {"mentor": "資深甲"}), (str(world.hire.id), {"mentor": "資深甲"}, {"mentor": "資深乙"})]
    page = client.get(f"/mentoring/{world.mentorship.id}").get_data(as_text=True)
    assert "主管甲 指定了 資深乙" in page and "主管甲 指定了 資深甲" in page


def test_a_mentor_outside_the_team_is_refused_under_the_field_and_nothing_is_written(app, world):
    response = world.client(app, world.manager).post(f"/mentoring/people/{world.hire.id}/mentor",
                                                     data={"mentor": world.outsider.id})
    assert response.status_code == 200 and "mentor-error" in response.get_data(as_text=True)
    assert _count(MentorChange) == 0


def test_the_same_mentor_again_is_refused(app, mentored):
    response = mentored.client(app, mentored.manager).post(f"/mentoring/people/{mentored.hire.id}/mentor",
                                                           data={"mentor": mentored.senior.id})
    assert "已經是師傅" in response.get_data(as_text=True) and _count(MentorChange) == 1


@pytest.mark.parametrize(("who", "status"), [("manager", 200), ("admin", 200), ("other_manager", 404),
                                             ("trainer", 403), ("senior", 403), ("hire", 403)])
def test_who_may_choose_a_mentor(app, world, who, status):
    client = world.client(app, getattr(world, who))
    assert client.get(f"/mentoring/people/{world.hire.id}/mentor").status_code == status
    posted = client.post(f"/mentoring/people/{world.hire.id}/mentor", data={"mentor": world.senior.id})
    assert posted.status_code == (302 if status == 200 else status)


def test_a_manager_can_open_mentoring_for_someone_hired_before_the_path(app, world, make):
    team_member = make.user(team=world.senior.team, hire_date=date(2025, 1, 1), name="轉調")
    client = world.client(app, world.manager)
    assert client.post(f"/mentoring/people/{team_member.id}/mentor", data={"mentor": world.senior.id}).status_code == 302
    assert _count(Mentorship, Mentorship.mentee_id == team_member.id, Mentorship.mentor_id == world.senior.id) == 1
