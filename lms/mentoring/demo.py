"""Demo mentoring (``flask lms demo``): 林資深 mentors 黃雅婷 (hired 40 days ago) — chosen by 李主管, three
shadowing entries, the day-7 and day-30 check-ins, three of the path's items signed off. 陳新人 (hired two
days ago) is on the path with no mentor yet, for the manager to choose."""

from datetime import timedelta

from sqlalchemy import select

from lms.accounts.models import User
from lms.db import db
from lms.mentoring import log, relations
from lms.mentoring.models import EntryKind, MentoringPlan, ProgressRating
from lms.standards.models import StandardItem

ENTRIES = [
    (EntryKind.LISTENED, 3, "phone", "旁聽師傅處理帳單疑問：先複述客戶的問題再查詢，開場問候五個部分都有。", ["4.1.1-b", "4.1.2-a"]),
    (EntryKind.TOOK_CALL, 12, "phone", "自己接聽查詢方案的來電；轉接帳務組前有先說明原因並徵得客戶同意。", ["4.1.1-d"]),
    (EntryKind.PRACTICE, 20, "chat", "與師傅演練無法當場解決的情況：說明原因並承諾回覆時間。", ["4.1.2-c"]),
]
CHECK_INS = [(7, ProgressRating.ON_TRACK, "問候語已熟練；轉接前的說明還要練習。"),
             (30, ProgressRating.ON_TRACK, "可以獨立處理一般查詢；投訴電話仍先由師傅陪聽。")]
SIGNED = [("4.1.1-b", "多次旁聽與自行接聽，問候語完整。"), ("4.1.1-d", "第 12 天的來電，轉接前徵得同意。"),
          ("4.1.2-a", "陪聽時沒有打斷客戶，並會複述確認。")]


def _person(employee_no: str) -> User | None:
    return db.session.scalar(select(User).where(User.employee_no == employee_no))


def load_demo_mentoring() -> bool:
    """Write the demo mentoring once; False when it is there already or the content lacks a mentoring plan."""
    plan = db.session.scalar(select(MentoringPlan).order_by(MentoringPlan.path_id).limit(1))
    mentee, mentor, manager, newest = (_person(n) for n in ("L0003", "L0002", "M0001", "L0001"))
    if plan is None or None in (mentee, mentor, manager, newest):
        return False
    relations.open_mentorship(newest, plan)
    mentorship = relations.open_mentorship(mentee, plan)
    if mentorship.mentor_id is not None:
        return False
    relations.choose_mentor(mentee, plan, mentor.id, manager)
    known = set(db.session.scalars(select(StandardItem.code)))  # a smaller standards tree (the tests') lacks some
    for kind, day, channel, notes, items in ENTRIES:
        entry = log.add_entry(mentorship, mentee, kind, mentorship.started_on + timedelta(days=day), channel, notes,
                              [code for code in items if code in known])
        log.review_entry(mentorship, entry.id, mentor, "做得好，繼續保持。", confirm=True)
    for day, rating, notes in CHECK_INS:
        log.record_check_in(mentorship, mentor, day, rating, notes)
    for code, note in SIGNED:
        if code in plan.item_codes:
            log.sign_off_item(mentorship, mentor, code, note)
    return True
