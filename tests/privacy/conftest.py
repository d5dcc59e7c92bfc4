"""A departed agent with rows in every registered table, in a team whose reports have enough people to show."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from flask import current_app
from sqlalchemy import select, update

from lms.accounts.models import PasswordToken, Role, Team, TokenPurpose, User
from lms.accounts.teams import save_team
from lms.accounts.users import set_user_active
from lms.api.models import ApiToken, TokenKind
from lms.calls import playing as calls
from lms.cases.models import Case
from lms.certification import bulk, programmes, updates, workflow
from lms.classroom.models import ClassroomSession, DrillRecord, Seat, SeatSource, SeatStatus, SessionKind
from lms.competitions.models import Competition, Honour
from lms.courses.models import Course, CourseAssignment, OnboardingPath, Tier
from lms.db import db, utcnow
from lms.evaluation.models import ImprovementAction, SurveyInvitation
from lms.evaluation.surveys import answer_survey, offer_survey
from lms.exams.models import Accommodation, Exam, LateAnswer
from lms.kpi.models import KpiDefinition, KpiFlagAssignment, KpiImport, KpiThreshold, PeriodKind
from lms.media.models import MediaFile, MediaKind
from lms.mentoring.models import CheckIn, EntryKind, MentorChange, Mentorship, MentorSignOff, ShadowingEntry
from lms.notifications.models import Delivery, Notification, NotificationPreference
from lms.privacy.retention import save_retention
from lms.webhooks.models import WebhookEndpoint
from tests.certification.helpers import make_ready
from tests.conftest import Auth
from tests.evaluation.helpers import finish_course, take_test
from tests.kpi.helpers import kpi_world

COMMENT = "王小明說主管很兇"
TYPED = "我是王小明，電話0912345678"


@dataclass
class Departed:
    person: User
    admin: User
    manager: User
    team: Team
    certificate_id: str  # the public id
    employee_no: str
    name: str
    email: str


def _authored_by(person: User) -> None:
    """Point one row of each content table at the person, as its author."""
    for table, column in [
        ("course_versions", "created_by_id"),
        ("exam_versions", "created_by_id"),
        ("question_versions", "created_by_id"),
        ("scenario_versions", "created_by_id"),
        ("survey_versions", "created_by_id"),
    ]:
        t = db.metadata.tables[table]
        first = db.session.scalar(select(t.c.id).order_by(t.c.id).limit(1))
        db.session.execute(update(t).where(t.c.id == first).values({column: person.id}))


def _answered_survey(person: User) -> None:
    course = db.session.scalar(select(Course).where(Course.code == "TST-101"))
    invitation = offer_survey(person, "course", course)
    items = invitation.survey_version.items
    answers = {
        i["id"]: (COMMENT if i["kind"] == "comment" else 4 if i["kind"] == "likert" else 9) for i in items
    }
    answer_survey(invitation.id, person, answers)


def _staff_rows(person: User, trainer: User, team: Team) -> None:
    programme = programmes.get_programme("tst-cert")
    bulk.start(programme, person, [])
    update_row = updates.create_update(
        programme,
        person,
        "更新",
        "",
        ["4.1.1-a"],
        [{"id": "read", "kind": "acknowledge", "item": "4.1.1-a"}],
        utcnow().date() + timedelta(days=9),
    )
    updates.acknowledge_update(person, update_row, "read")
    kpi = db.session.scalar(select(KpiDefinition).where(KpiDefinition.code == "fcr"))
    course = db.session.scalar(select(Course).where(Course.code == "TST-101"))
    exam = db.session.scalar(select(Exam).where(Exam.slug == "tst-fixed"))
    db.session.add_all(
        [
            KpiImport(filename="kpi.csv", period_kind=PeriodKind.MONTH, created_by_id=person.id),
            KpiThreshold(kpi_id=kpi.id, team_id=team.id, value=50, set_by_id=person.id),
            KpiFlagAssignment(
                user_id=person.id,
                kpi_id=kpi.id,
                course_id=course.id,
                value=40,
                threshold=50,
                period_kind=PeriodKind.MONTH,
                period_start=utcnow().date(),
                assigned_by_id=trainer.id,
            ),
            CourseAssignment(course_id=course.id, user_id=person.id, assigned_by_id=trainer.id),
            ImprovementAction(
                report_kind="team",
                report_params={"key": str(team.id)},
                report_title="t",
                finding="發現",
                action="行動",
                owner_id=person.id,
                due_on=utcnow().date(),
            ),
            Accommodation(
                exam_id=exam.id,
                user_id=person.id,
                extra_minutes=10,
                note="視力不佳",
                created_by_id=trainer.id,
            ),
            NotificationPreference(user_id=person.id, group="results", delivery=Delivery.DIGEST),
            Notification(
                recipient_id=person.id,
                kind="course_assigned",
                subject_key="x:1",
                channel=Delivery.IMMEDIATE,
                details={"name": person.name},
                sent_at=utcnow(),
            ),
            PasswordToken(
                user_id=person.id,
                token_hash="h" * 64,
                purpose=TokenPurpose.INVITE,
                expires_at=utcnow() + timedelta(days=1),
            ),
        ]
    )
    save_retention({"login_failures": 30}, person)
    db.session.add(Case(author_id=person.id, title="退費說明的好例子", channel="phone", tier=Tier.PROFESSIONAL,
                        situation="客戶詢問退費進度。"))
    _mentored(person)
    _in_a_classroom(person)
    _honoured(person)
    db.session.add(ApiToken(kind=TokenKind.PERSONAL, name="報表腳本", prefix="lms_pat_abcd", secret_hash="t" * 64,
                            scopes=["progress:read"], user_id=person.id, expires_on=date(2027, 1, 1)))
    db.session.add(WebhookEndpoint(url="https://hr.example.com/hooks", events=["certificate.issued"], secret="s" * 40,
                                   created_by_id=person.id))
    db.session.add(MediaFile(digest="d" * 64, name="退費流程.png", kind=MediaKind.IMAGE, mime="image/png", extension="png",
                             size=100, title="退費流程圖", alt_text="退費的三個步驟", uploaded_by_id=person.id))


def _in_a_classroom(person) -> None:
    """The person led a drill, recorded it, and has a place in it."""
    start = utcnow() - timedelta(days=3)
    session = ClassroomSession(uid="privacy-drill@lms", kind=SessionKind.DRILL, title="斷線演練", starts_at=start,
                               ends_at=start + timedelta(hours=1), capacity=5, trainer_id=person.id)
    db.session.add(session)
    db.session.flush()
    db.session.add_all([
        Seat(session_id=session.id, user_id=person.id, status=SeatStatus.ENROLLED, source=SeatSource.SELF,
             queue_number=1),
        DrillRecord(session_id=session.id, scenario="系統中斷", debrief="通報順利", recorded_by_id=person.id),
    ])


def _mentored(person) -> None:
    """The person as a new hire with a mentor: a log entry, a check-in and a sign-off, each with notes."""
    path = OnboardingPath(slug="privacy-path", title="新人路徑", content_hash="x")
    db.session.add(path)
    db.session.flush()
    mentor = User(employee_no="MENTOR1", name="林前輩", email="mentor@example.com")
    db.session.add(mentor)
    db.session.flush()
    mentorship = Mentorship(mentee_id=person.id, path_id=path.id, mentor_id=mentor.id, started_on=date(2026, 9, 1))
    db.session.add(mentorship)
    db.session.flush()
    db.session.add_all([
        MentorChange(mentorship_id=mentorship.id, mentor_id=mentor.id, changed_by_id=mentor.id),
        ShadowingEntry(mentorship_id=mentorship.id, author_id=person.id, kind=EntryKind.LISTENED,
                       happened_on=date(2026, 9, 3), channel="phone", notes="旁聽退費來電"),
        CheckIn(mentorship_id=mentorship.id, day=7, due_on=date(2026, 9, 8), notes="進度良好"),
        MentorSignOff(mentorship_id=mentorship.id, item_code="4.1.1", signed_by_id=mentor.id, note="已示範"),
    ])


def _honoured(person) -> None:
    """The person set up a skill competition, closed it and came first in it."""
    contest = Competition(title="退費技能競賽", starts_on=date(2026, 9, 1), ends_on=date(2026, 9, 5),
                          created_by_id=person.id, closed_by_id=person.id, closed_at=utcnow())
    db.session.add(contest)
    db.session.flush()
    db.session.add(Honour(user_id=person.id, title=contest.title, place=1, competition_id=contest.id,
                          awarded_by_id=person.id))


def seed_departed(make) -> Departed:
    world = kpi_world(make)
    person = world.untrained[0]
    person.email, person.name = "wang@example.com", "王小明"
    person.set_roles({Role.LEARNER, Role.TRAINER, Role.MANAGER})
    save_team(None, "代管組", "", [person.id])
    db.session.commit()
    for i, learner in enumerate(world.trained):  # a report needs five people before it shows anything
        take_test(learner, "tst-101-pre", 1, seed=i)
        attempt = take_test(learner, "tst-101-post", 3, seed=i)
    first = take_test(person, "tst-fixed", 2)
    db.session.add(LateAnswer(attempt_id=first.id, position=1, seconds_late=3))
    finish_course(make, person, assigned_by=world.manager)
    call = calls.start_call(person, "tst-call", "assessment")
    for option in (0, 0, 0):
        calls.take_turn(call.id, person, option=option)
    calls.take_turn(call.id, person, text=TYPED)
    make_ready(person, world.trainer)
    application = workflow.apply_for_certificate(person, programmes.get_programme("tst-cert"))
    cert = workflow.issue_certificate(application, world.trainer)
    _answered_survey(person)
    _staff_rows(person, world.trainer, world.team)
    _authored_by(person)
    db.session.commit()
    client = current_app.test_client()
    Auth(client).login(person)  # a session and a login in the audit log
    current_app.test_client().post("/login", data={"identifier": person.employee_no, "password": "wrong"})
    with current_app.test_request_context("/"):
        set_user_active(db.session.get(User, person.id), False, world.admin)  # ends the session
    db.session.commit()
    from lms.accounts.models import UserSession

    db.session.add(
        UserSession(user_id=person.id, token_hash="s" * 64, expires_at=utcnow() + timedelta(days=1))
    )
    db.session.commit()
    assert attempt and db.session.scalar(
        select(SurveyInvitation.id).where(SurveyInvitation.user_id == person.id)
    )
    return Departed(
        person,
        world.admin,
        world.manager,
        world.team,
        cert.public_id,
        person.employee_no,
        person.name,
        person.email,
    )


@pytest.fixture
def departed(make) -> Departed:
    return seed_departed(make)
