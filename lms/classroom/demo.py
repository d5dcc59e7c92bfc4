"""Demo sessions (for ``flask lms demo``): from the shipped templates, an induction day and a complaint-handling
workshop still to come (the demo learners have places), and last week's emergency drill with its attendance
and record. Loaded once: nothing is added when sessions exist."""

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from lms.accounts.models import User
from lms.classroom.attendance import take_attendance
from lms.classroom.drills import record_drill
from lms.classroom.models import Attendance, ClassroomSession
from lms.classroom.scheduling import data_from_template, schedule_session, template_by_slug
from lms.classroom.seats import assign_people
from lms.db import db
from lms.timeutil import local_today, local_zone

LEARNERS = ["L0001", "L0002", "L0003", "L0004"]


def _at(days: int, hour: int) -> datetime:
    return datetime.combine(local_today() + timedelta(days=days), time(hour, 0), tzinfo=local_zone())


def _schedule(slug: str, trainer: User, days: int, place: str) -> ClassroomSession | None:
    template = template_by_slug(slug)
    if template is None:
        return None
    data = data_from_template(template, _at(days, 9))
    data.place, data.trainer_id = place, trainer.id
    return schedule_session(trainer, data)


def load_demo_sessions() -> int:
    """Schedule the demo sessions once; return how many were made."""
    trainer = db.session.scalar(select(User).where(User.employee_no == "T0001"))
    if trainer is None or db.session.scalar(select(func.count()).select_from(ClassroomSession)):
        return 0
    learners = list(db.session.scalars(select(User).where(User.employee_no.in_(LEARNERS)).order_by(User.employee_no)))
    made = [s for s in (_schedule("induction-day", trainer, 7, "總部二樓訓練教室"),
                        _schedule("complaint-handling-workshop", trainer, 10, "三樓訓練教室 A")) if s]
    for session in made:
        assign_people(session.id, trainer, learners)
    drill = _schedule("emergency-drill", trainer, 1, "客服中心現場")
    if drill is not None:
        assign_people(drill.id, trainer, learners)
        drill.starts_at, drill.ends_at = _at(-7, 14), _at(-7, 16)  # it took place last week
        db.session.flush()
        take_attendance(drill.id, trainer, {u.id: Attendance.PRESENT if i else Attendance.LATE
                                             for i, u in enumerate(learners)})
        observed = {code: {"done": code != "5.2.2-e", "note": ""} for code in drill.drill_steps}
        observed["5.2.2-e"]["note"] = "對外說明稿延遲二十分鐘才定稿"
        record_drill(drill.id, trainer, "計費系統中斷四十分鐘，來電量在十分鐘內升為平日的三倍。", observed,
                     "下次演練前先備妥對外說明稿的範本，並指定發布窗口。")
        made.append(drill)
    return len(made)
