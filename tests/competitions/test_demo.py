"""The demo competition: written once, closed, its honours on the agents' records; certification unchanged."""

from sqlalchemy import func, select

from lms.calls.debrief import debrief
from lms.calls.models import CallAttempt
from lms.competitions.models import Competition, Honour
from lms.db import db
from lms.timeutil import local_zone
from tests.factories import SHIPPED_CONTENT


def test_the_demo_competition_is_written_once(app, make):
    from lms.accounts.demo import load_demo_users
    from lms.competitions.demo import load_demo_competition

    make.content(SHIPPED_CONTENT)  # it has the demo's scenario
    load_demo_users()
    db.session.commit()
    with app.test_request_context("/"):
        assert load_demo_competition() is True
        db.session.commit()
        assert load_demo_competition() is False
    competition = db.session.scalar(select(Competition))
    assert competition.closed_at is not None
    places = db.session.execute(select(Honour.place, func.count()).group_by(Honour.place).order_by(Honour.place)).all()
    assert places == [(0, 4), (1, 1), (2, 1), (3, 1)]
    # The agents' calls were played for real: each has a transcript a trainer can read, inside the competition.
    calls = db.session.scalars(select(CallAttempt).order_by(CallAttempt.started_at)).all()
    assert len(calls) == 3 and all(c.status == "finished" for c in calls)
    assert [c.percent for c in calls] == sorted((c.percent for c in calls), reverse=True)
    for call in calls:
        assert competition.starts_on <= call.started_at.astimezone(local_zone()).date() <= competition.ends_on
        with app.test_request_context("/"):
            assert any(line.kind == "agent" for line in debrief(call).lines)
