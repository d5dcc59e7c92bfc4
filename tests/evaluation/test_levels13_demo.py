"""The demo's level 1 and 3 story: six new hires answer the PRO-205 survey, are observed at 30, 60 and 90
days (improving), two 90-day observations are still to do, and one call is calibrated."""

from sqlalchemy import func, select

from lms.accounts.demo import load_demo_users
from lms.db import db
from lms.evaluation.levels13_demo import NEW_HIRES, load_demo_levels13
from lms.evaluation.models import Observation, ObservationStatus, SurveyInvitation
from lms.evaluation.report_sections import ReportScope, build_sections
from tests.factories import SHIPPED_CONTENT


def test_demo_levels13_tell_a_true_story(app, make):
    import lms.evaluation.views  # noqa: F401 - the sections register

    make.content(SHIPPED_CONTENT)
    load_demo_users()
    assert load_demo_levels13()
    db.session.commit()
    answered = db.session.scalars(select(SurveyInvitation).where(SurveyInvitation.responded_at.is_not(None))).all()
    assert len(answered) == len(NEW_HIRES) and all(i.context_key == "PRO-205" for i in answered)
    done = db.session.scalars(select(Observation).where(Observation.status == ObservationStatus.DONE,
                                                        Observation.source_kind == "course")).all()
    by_day = {d: [o.percent for o in done if o.offset_days == d] for d in (30, 60, 90)}
    assert [len(by_day[d]) for d in (30, 60, 90)] == [6, 6, 4]
    means = [sum(v) / len(v) for v in by_day.values()]
    assert means[0] < means[1] < means[2]  # better on real calls as the weeks pass
    overdue = db.session.scalar(select(func.count()).select_from(Observation).where(
        Observation.status == ObservationStatus.SCHEDULED, Observation.source_kind == "course"))
    assert overdue == 2
    assert db.session.scalar(select(func.count()).select_from(Observation).where(
        Observation.source_kind == "calibration", Observation.status == ObservationStatus.DONE)) == 1
    sections = {s.key: s for s in build_sections(ReportScope("course", "PRO-205", minimum_group=5))}
    assert sections["reaction"].figures["nps"] == 50.0  # 4 promoters (9, 10, 9, 9), 1 detractor (6) of 6
    assert sections["behaviour"].table is not None
    assert load_demo_levels13()  # a second run adds nothing
    assert db.session.scalar(select(func.count()).select_from(Observation)) == len(NEW_HIRES) * 3 + 1
