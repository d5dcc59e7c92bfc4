"""The paths' mentoring plans follow their files; the demo mentoring loads once."""

import shutil

from sqlalchemy import select

from lms.curriculum.importer import import_tree
from lms.db import db
from lms.mentoring.models import MentoringPlan, Mentorship, ShadowingEntry
from tests.factories import FIXTURE_CONTENT


def _import(app, root):
    with app.test_request_context("/"):
        report = import_tree(root)
    db.session.commit()
    return dict(report.lines)


def test_plans_sync_idempotently_and_follow_the_file(app, tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(FIXTURE_CONTENT, tree)
    assert _import(app, tree)["mentoring plans"].startswith("1 new")
    assert _import(app, tree)["mentoring plans"] == "0 new, 0 changed, 1 unchanged"
    file = tree / "courses" / "paths" / "new-hire.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("[7, 30]", "[7, 30, 60]"), encoding="utf-8")
    assert _import(app, tree)["mentoring plans"] == "0 new, 1 changed, 0 unchanged"
    assert db.session.scalar(select(MentoringPlan)).check_in_days == [7, 30, 60]
    text = file.read_text(encoding="utf-8")
    file.write_text(text[:text.index("mentoring:")], encoding="utf-8")
    _import(app, tree)
    assert db.session.scalar(select(MentoringPlan)) is None


def test_the_demo_mentoring_loads_once(app, make):
    from lms.accounts.demo import load_demo_users
    from lms.mentoring.demo import load_demo_mentoring

    make.content()
    load_demo_users()
    db.session.commit()
    with app.test_request_context("/"):
        assert load_demo_mentoring() is True
        db.session.commit()
        assert load_demo_mentoring() is False
    mentorships = {m.mentee.employee_no: m for m in db.session.scalars(select(Mentorship))}
    assert mentorships["L0003"].mentor.employee_no == "L0002" and mentorships["L0001"].mentor_id is None
    assert len(db.session.scalars(select(ShadowingEntry)).all()) == 3
    assert [c.day for c in mentorships["L0003"].check_ins if c.done_at] == [7, 30]
