"""The requirement-kind registry: a kind that only this test module defines and registers works end to end
(a programme file uses it and its own field is checked, eligibility decides it from its own evidence, the
programme page shows it, an application records it) without a line changed anywhere else."""

from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.certification import workflow
from lms.certification.eligibility import eligibility
from lms.certification.loader import programme_from_data
from lms.certification.programmes import save_programme
from lms.certification.requirement_kinds import REQUIREMENT_KINDS, Proof, RequirementKind, register_kind
from lms.content.files import load_yaml
from lms.db import db, utcnow

FIRST_AID: dict[int, object] = {}  # user id → when they passed first aid (evidence kept outside the database)

PROGRAMME = """\
slug: tst-first-aid
title: 急救認證
summary: 只要求急救。
level: 1
validity_months: 12
prerequisites: []
requirements:
  - {id: aid, kind: first_aid, level: 2}
recertification:
  window_days: 30
  grace_days: 10
  reminder_days: [30]
  requirements:
    - {id: aid, kind: first_aid, level: 2}
"""


class FirstAidRequirement(RequirementKind):
    """Pass first aid at a given level."""

    name, label, fields = "first_aid", "First aid", frozenset({"level"})
    open_hint = "Book a first-aid session."

    def load(self, raw, fields, lines):
        return {"level": fields.integer("level", minimum=1, maximum=3)}

    def gather(self, requirements, user_ids):
        return {(uid, (scope.programme_id, req["id"])): [Proof(FIRST_AID[uid])]
                for req, scope in requirements for uid in user_ids if uid in FIRST_AID}

    def decide(self, req, proofs, since):
        at = proofs[0].at if proofs else None
        return at is not None and (since is None or at >= since), "", at

    def short_name(self, req):
        return f"First aid, level {req['level']}"


@pytest.fixture
def first_aid():
    register_kind(FirstAidRequirement)
    yield REQUIREMENT_KINDS["first_aid"]
    del REQUIREMENT_KINDS["first_aid"]
    FIRST_AID.clear()


def test_a_kind_registered_by_a_test_alone_works_from_file_to_page(first_aid, make, client, auth):
    bad, errors = programme_from_data(load_yaml(PROGRAMME.replace("level: 2}", "level: 9}", 1), "x.yaml"), "x.yaml")
    assert bad is None and any(e.line == 8 and e.field == "level" for e in errors), errors
    spec, errors = programme_from_data(load_yaml(PROGRAMME, "tst-first-aid.yaml"), "tst-first-aid.yaml")
    assert errors == [] and spec.definition["requirements"] == [{"id": "aid", "kind": "first_aid", "level": 2}]
    programme, _changed = save_programme(spec.definition)
    learner, trainer = make.user(Role.LEARNER), make.user(Role.TRAINER)
    db.session.commit()

    state = eligibility(learner, programme)
    assert not state.met and [r.requirement["kind"] for r in state.results] == ["first_aid"]
    auth.login(learner)
    page = client.get("/certification/programmes/tst-first-aid").get_data(as_text=True)
    assert "First aid, level 2" in page and "Book a first-aid session." in page and "已達成 0 / 1 項條件" in page

    FIRST_AID[learner.id] = utcnow() - timedelta(days=1)
    assert eligibility(learner, programme).met
    page = client.get("/certification/programmes/tst-first-aid").get_data(as_text=True)
    assert "已達成 1 / 1 項條件" in page and "Book a first-aid session." not in page
    application = workflow.apply_for_certificate(learner, programme)
    assert application.evidence[0]["kind"] == "first_aid" and application.evidence[0]["met"]
    assert workflow.issue_certificate(application, trainer).cycle == 1


def test_programme_files_may_name_only_registered_kinds(first_aid):
    del REQUIREMENT_KINDS["first_aid"]
    try:
        spec, errors = programme_from_data(load_yaml(PROGRAMME, "x.yaml"), "x.yaml")
        assert spec is None and any(e.field == "kind" and "first_aid" not in e.message for e in errors)
    finally:
        register_kind(FirstAidRequirement)
