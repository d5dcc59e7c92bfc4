"""Demo data for levels 1 and 3 (``flask lms demo``): six new hires of the demo team finished the
complaint-handling course PRO-205 about three months ago. They answered its reaction survey (a few with
comments), played the complaint call in the simulator, and their team manager observed one real complaint
call of each 30, 60 and 90 days after the course: at 30 days most still skip confirming the facts and the
commitment to a reply time, by 90 days nearly all do. Two 90-day observations are still to do (overdue),
and the trainer scored the first 30-day call too, as a calibration pair. Deterministic and idempotent."""

from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from lms.accounts.models import Team, User
from lms.accounts.users import UserData, create_user
from lms.courses.models import Course, Enrolment, EnrolmentSource
from lms.db import db
from lms.evaluation import calibration, observations, surveys
from lms.evaluation.models import Observation
from lms.timeutil import local_today, local_zone

COURSE = "PRO-205"
TEAM = "客服一組"
MANAGER, TRAINER = "M0001", "T0001"
NEW_HIRES = [("L0401", "邱郁婷"), ("L0402", "潘志明"), ("L0403", "田雅慧"), ("L0404", "江承恩"),
             ("L0405", "石佳玲"), ("L0406", "孫偉倫")]
# Survey answers per new hire: clear objectives, relevance, clarity, practice, confidence, pace, recommend (0–10)
SURVEY = [(5, 5, 4, 5, 4, 3, 9), (4, 5, 4, 4, 3, 3, 8), (5, 4, 5, 5, 4, 4, 10), (4, 4, 3, 4, 3, 2, 6),
          (5, 5, 4, 4, 4, 3, 9), (4, 5, 4, 5, 4, 4, 9)]
COMMENTS = {0: ("重複扣款的模擬來電很像真的，練完比較不怕接到生氣的客戶。", "希望多一些客戶一直打斷話的情境。"),
            2: ("五個步驟的口訣很好記。", ""),
            3: ("", "課程節奏有點快，處理方案那一段可以多舉幾個例子。")}
SURVEY_ITEMS = ("objectives", "relevance", "clarity", "practice", "confidence", "pace", "recommend")
# Ratings of the rubric of complaint-double-charge at 30, 60 and 90 days (criteria not listed: met).
GROWTH = {
    30: {"verify": "missed", "feedback": "partly", "followup": "", "apology": "partly"},
    60: {"verify": "partly", "feedback": "met", "followup": ""},
    90: {"followup": "partly"},
}
LAGGING = {3: {"verify": "missed", "handle": "partly"}}  # one new hire still skips confirming at 60 days


def _moment(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), local_zone())


def _new_hire(number: str, name: str, team: Team, hired: date) -> User:
    from lms.accounts.demo import DEMO_PASSWORD

    return create_user(UserData(employee_no=number, name=name, email=f"{number.lower()}@example.com",
                                hire_date=hired, team_id=team.id, roles={"learner"}), password=DEMO_PASSWORD)


def _answer(user: User, index: int, finished: date) -> None:
    invitation = surveys.open_surveys(user)[0].invitation
    answers = dict(zip(SURVEY_ITEMS, SURVEY[index], strict=True))
    best, improve = COMMENTS.get(index, ("", ""))
    answers |= {"best": best, "improve": improve}
    surveys.answer_survey(invitation.id, user, answers, now=_moment(finished + timedelta(days=1), 18))


def _ratings(index: int, days: int) -> dict:
    from lms.calls.scenarios import get_scenario
    from lms.evaluation.scorecard import criteria_of

    _scenario, version = get_scenario("complaint-double-charge")
    ratings = {c.id: "met" for c in criteria_of(version.definition)}
    ratings |= GROWTH[days]
    if days == 60:
        ratings |= LAGGING.get(index, {})
    return ratings


def _observe(user: User, index: int, manager: User) -> list[Observation]:
    scheduled = list(db.session.scalars(select(Observation).where(Observation.learner_id == user.id)
                                        .order_by(Observation.offset_days)))
    done = []
    for observation in scheduled:
        if observation.offset_days == 90 and index >= 4:
            continue  # still to do: overdue on the manager's list
        day = observation.due_on - timedelta(days=index % 3)
        observations.submit_scorecard(observation.id, manager, _ratings(index, observation.offset_days),
                                      f"REC-{day:%Y%m%d}-{31 + index:02d}", day,
                                      "投訴來電：道歉自然，記得再和客戶逐一確認事實。" if observation.offset_days == 30 else "",
                                      now=_moment(day, 17))
        done.append(observation)
    return done


def load_demo_levels13() -> bool:
    """Idempotent: does nothing when the demo new hires are there already. False when the course, the team,
    the manager, the trainer or the complaint call is missing."""
    from lms.calls.scenarios import get_scenario
    from lms.certification.demo import _pass_call

    course = db.session.scalar(select(Course).where(Course.code == COURSE))
    team = db.session.scalar(select(Team).where(Team.name == TEAM))
    manager = db.session.scalar(select(User).where(User.employee_no == MANAGER))
    trainer = db.session.scalar(select(User).where(User.employee_no == TRAINER))
    if None in (course, team, manager, trainer, get_scenario("complaint-double-charge")):
        return False
    if db.session.scalar(select(User.id).where(User.employee_no == NEW_HIRES[0][0])) is not None:
        return True
    today = local_today()
    firsts = []
    with current_app.test_request_context("/"):
        for index, (number, name) in enumerate(NEW_HIRES):
            finished = today - timedelta(days=100 + 3 * index)
            user = _new_hire(number, name, team, finished - timedelta(days=45))
            enrolment = Enrolment(user_id=user.id, course_id=course.id, source=EnrolmentSource.ASSIGNED,
                                  assigned_by_id=trainer.id, enrolled_at=_moment(finished - timedelta(days=10)),
                                  completed_at=_moment(finished, 16))
            db.session.add(enrolment)
            db.session.flush()
            surveys.on_course_completed(enrolment)  # what the course_completed signal does
            observations.on_course_completed(enrolment)
            _answer(user, index, finished)
            _pass_call(user, "complaint-double-charge")
            firsts.append(_observe(user, index, manager)[0])
        second = calibration.start_calibration(firsts[0].id, trainer)
        ratings = _ratings(0, 30) | {"verify": "breached", "feedback": "missed", "apology": "met", "handle": "partly"}
        observations.submit_scorecard(second.id, trainer, ratings, firsts[0].call_reference, firsts[0].observed_on,
                                      "校準：核實事實的部分我評得比較嚴。", now=_moment(firsts[0].observed_on, 18))
    db.session.flush()
    return True
