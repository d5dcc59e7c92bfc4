"""A trainer schedules a 10-seat workshop from its template; twelve people enrol and two wait; one cancels and
the first waiting person moves up and is mailed the calendar invitation; the trainer takes attendance on a
390-px-wide phone screen; the attendees' course, which requires its session, completes. axe-core clean."""

import icalendar
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms import mail
from lms.accounts.demo import DEMO_PASSWORD
from lms.accounts.models import Role, User
from lms.accounts.users import UserData, create_user
from lms.classroom import seats as seat_service
from lms.classroom.models import ClassroomSession, Seat, SeatStatus
from lms.courses.models import Course, Enrolment, EnrolmentSource
from lms.courses.reading import complete_lesson
from lms.db import db, utcnow
from lms.exams.models import Attempt, AttemptStatus, Exam
from tests.browser.conftest import check_a11y, login, nav_link

pytestmark = pytest.mark.browser
COURSE = "PRO-205"
PEOPLE = [f"CL{n:03d}" for n in range(1, 13)]


def _ready_for_the_session(live_app) -> None:
    """Twelve learners who read every lesson of the course and passed its tests: only the session is missing."""
    with live_app.app_context(), live_app.test_request_context("/"):
        course = db.session.scalar(select(Course).where(Course.code == COURSE))
        course.published_version.requires_session = True
        exams = list(db.session.scalars(select(Exam).where(Exam.course_id == course.id)))
        for no in PEOPLE:
            user = db.session.scalar(select(User).where(User.employee_no == no)) or create_user(
                UserData(employee_no=no, name=f"學員{no[-2:]}", email=f"{no.lower()}@example.com",
                         roles={Role.LEARNER}), password=DEMO_PASSWORD)
            db.session.add(Enrolment(user_id=user.id, course_id=course.id, source=EnrolmentSource.ASSIGNED))
            db.session.flush()
            for exam in exams:
                now = utcnow()
                db.session.add(Attempt(exam_id=exam.id, exam_version_id=exam.current_version_id, user_id=user.id,
                                       number=1, status=AttemptStatus.GRADED, started_at=now, submitted_at=now,
                                       graded_at=now, score=100, max_score=100, percent=100.0, passed=True))
            for lesson in course.published_version.lesson_versions:
                complete_lesson(user, COURSE, lesson.lesson.slug)
        db.session.commit()


def _enrol(live_app, session_id: int, numbers: list[str]) -> None:
    with live_app.app_context():
        for no in numbers:
            seat_service.enrol_self(session_id, db.session.scalar(select(User).where(User.employee_no == no)))
            db.session.commit()


def _places(live_app, session_id: int) -> dict[str, SeatStatus]:
    with live_app.app_context():
        return {no: status for no, status in db.session.execute(
            select(User.employee_no, Seat.status).join(Seat, Seat.user_id == User.id).where(Seat.session_id == session_id))}


def _completed(live_app) -> set[str]:
    with live_app.app_context():
        return set(db.session.scalars(select(User.employee_no).join(Enrolment, Enrolment.user_id == User.id)
                                      .join(Course, Course.id == Enrolment.course_id)
                                      .where(Course.code == COURSE, User.employee_no.in_(PEOPLE),
                                             Enrolment.completed_at.is_not(None))))


def _restore(live_app) -> None:
    with live_app.app_context():
        db.session.scalar(select(Course).where(Course.code == COURSE)).published_version.requires_session = False
        db.session.commit()


def test_a_workshop_fills_waits_promotes_and_completes_the_course(page, browser, live_server, live_app):
    _ready_for_the_session(live_app)
    try:
        _journey(page, browser, live_server, live_app)
    finally:
        _restore(live_app)


def _journey(page, browser, live_server, live_app):
    login(page, "T0001")
    nav_link(page, "面授課程").click()
    check_a11y(page, "classroom-list")
    page.get_by_role("link", name="排定課程").click()
    page.get_by_role("link", name="投訴處理實作工作坊").click()
    expect(page.get_by_label("標題")).to_have_value("投訴處理實作工作坊")
    page.get_by_label("名額").fill("10")
    page.get_by_label("地點").fill("三樓訓練教室 A")
    check_a11y(page, "classroom-schedule")
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_text("課程已排定。")).to_be_visible()
    session_id = int(page.url.rstrip("/").split("/")[-1])
    check_a11y(page, "classroom-session-trainer")

    _enrol(live_app, session_id, PEOPLE[:10])
    learner = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url, bypass_csp=True)
    other = learner.new_page()
    login(other, PEOPLE[10])
    other.goto(f"/classroom/{session_id}")
    other.get_by_role("button", name="報名").click()
    expect(other.get_by_text("您是候補第 1 位。")).to_be_visible()
    check_a11y(other, "classroom-session-waiting")
    learner.close()
    _enrol(live_app, session_id, PEOPLE[11:])
    places = _places(live_app, session_id)
    assert sorted(places.values()).count(SeatStatus.ENROLLED) == 10 and places[PEOPLE[11]] == SeatStatus.WAITING

    mail.outbox.clear()
    leaving = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url, bypass_csp=True)
    third = leaving.new_page()
    login(third, PEOPLE[2])
    third.goto(f"/classroom/{session_id}")
    third.get_by_role("button", name="取消我的報名").click()
    expect(third.get_by_text("您的報名已取消。")).to_be_visible()
    leaving.close()
    places = _places(live_app, session_id)
    assert places[PEOPLE[2]] == SeatStatus.CANCELLED and places[PEOPLE[10]] == SeatStatus.ENROLLED
    assert places[PEOPLE[11]] == SeatStatus.WAITING
    [promoted] = [m for m in mail.outbox if m["To"] == f"{PEOPLE[10].lower()}@example.com"]
    assert "候補成功" in promoted["Subject"]
    [invite] = [p for p in promoted.iter_attachments() if p.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(invite.get_content())
    assert str(calendar["METHOD"]) == "REQUEST"

    with live_app.app_context():  # the day of the workshop: it has begun
        session = db.session.get(ClassroomSession, session_id)
        session.starts_at = utcnow().replace(microsecond=0)
        db.session.commit()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url, bypass_csp=True,
                                is_mobile=True, has_touch=True)
    trainer = phone.new_page()
    login(trainer, "T0001")
    trainer.goto(f"/classroom/manage/{session_id}/attendance")
    rows = trainer.locator(".attendance__row")
    expect(rows).to_have_count(10)
    assert trainer.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    box = rows.first.locator("label").first.bounding_box()
    assert box["height"] >= 44  # a tap target a thumb hits
    for i in range(10):
        rows.nth(i).get_by_text("遲到" if i == 0 else "出席", exact=True).tap()
    check_a11y(trainer, "classroom-attendance-phone")
    trainer.get_by_role("button", name="儲存出席紀錄").tap()
    expect(trainer.get_by_text("出席紀錄已儲存。")).to_be_visible()
    phone.close()
    attended = {no for no in PEOPLE if no not in (PEOPLE[2], PEOPLE[11])}
    assert _completed(live_app) == attended
    page.goto(f"/classroom/{session_id}")
    expect(page.get_by_role("table").get_by_text("已完成").first).to_be_visible()
