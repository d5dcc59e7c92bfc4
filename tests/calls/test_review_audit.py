"""A trainer's review of a typed reply is audited as the trainer's action, not the learner's (issue 12, item 17)."""

import re

from sqlalchemy import select

from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.calls.models import CallTurn
from lms.db import db


def _reply(client, call_id, **data):
    assert client.post(f"/calls/attempts/{call_id}/reply", data=data).status_code == 302


def test_the_rescoring_after_a_review_is_the_trainers_action(client, auth, make):
    make.content()
    learner, trainer = make.user(Role.LEARNER), make.user(Role.TRAINER)
    auth.login(learner)
    response = client.post("/calls/tst-call/start", data={"mode": "assessment"})
    call_id = int(re.search(r"/calls/attempts/(\d+)", response.headers["Location"]).group(1))
    for data in ({"option": 0}, {"option": 0}, {"option": 0}, {"text": "好的"}, {"option": 0}):
        _reply(client, call_id, **data)
    auth.logout()
    auth.login(trainer)
    turn = db.session.scalar(select(CallTurn).where(CallTurn.attempt_id == call_id, CallTurn.kind == "text"))
    response = client.post(f"/calls/manage/turns/{turn.id}/review",
                           data={"mark-verify": "met", "mark-no_argue": "met", "comment": "有確認"})
    assert response.status_code == 302
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("call.%"))
                                .order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id) for e in events] == [
        ("call.assessed", learner.id),  # the learner finished the call: it waits for review
        ("call.assessed", trainer.id),  # the trainer's review completed the assessment
        ("call.reviewed", trainer.id),
    ]
