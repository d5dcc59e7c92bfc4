"""A certification programme can require the mentor's sign-off of an onboarding path: met once every item
is signed off, named with the path's title, an unknown path named with its line."""

from lms.certification.eligibility import eligibility
from lms.certification.loader import References, check_programme_references, programme_from_data
from lms.certification.programmes import save_programme
from lms.certification.requirement_kinds import REQUIREMENT_KINDS
from lms.content.files import load_yaml
from lms.db import db

PROGRAMME = """\
slug: tst-mentored
title: 帶領完成認證
summary: 師傅簽核到職路徑。
level: 1
validity_months: 12
prerequisites: []
requirements:
  - {id: mentor, kind: mentor_signoff, path: new-hire}
recertification:
  window_days: 30
  grace_days: 10
  reminder_days: [30]
  requirements:
    - {id: mentor, kind: mentor_signoff, path: new-hire}
"""


def test_the_mentors_sign_off_meets_the_requirement(app, mentored):
    spec, errors = programme_from_data(load_yaml(PROGRAMME, "tst-mentored.yaml"), "tst-mentored.yaml")
    assert errors == []
    programme, _changed = save_programme(spec.definition)
    db.session.commit()
    kind = REQUIREMENT_KINDS["mentor_signoff"]
    assert kind.covered_items([{"path": "new-hire"}]) == {"4.1.1-a", "4.1.1-b"}
    assert kind.titles([{"path": "new-hire"}]) == {"new-hire": "測試到職路徑"}
    assert not eligibility(mentored.hire, programme).met
    page = mentored.client(app, mentored.hire).get("/certification/programmes/tst-mentored").get_data(as_text=True)
    assert "測試到職路徑" in page and "mentor_signoff" not in page
    mentor = mentored.client(app, mentored.senior)
    mentor.post(f"/mentoring/{mentored.mentorship.id}/sign-offs", data={"item": "4.1.1-a"})
    assert not eligibility(mentored.hire, programme).met
    mentor.post(f"/mentoring/{mentored.mentorship.id}/sign-offs", data={"item": "4.1.1-b"})
    state = eligibility(mentored.hire, programme)
    assert state.met and [r.requirement["kind"] for r in state.results] == ["mentor_signoff"]


def test_an_unknown_path_is_named_with_its_line():
    spec, errors = programme_from_data(load_yaml(PROGRAMME.replace("path: new-hire}", "path: nowhere}", 1), "p.yaml"),
                                       "p.yaml")
    assert errors == []
    problems = check_programme_references([spec], References(path_slugs={"new-hire"}))
    assert [(e.line, e.field, "nowhere" in e.message) for e in problems] == [(8, "path", True)]
