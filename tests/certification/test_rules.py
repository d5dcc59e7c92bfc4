"""The certification rules on plain data, with no database: a certificate's life, the dates of the next
one, and the decision of each requirement and of a person's standing."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from lms.certification.models import ApplicationKind
from lms.certification.requirement_kinds import Proof, Scope
from lms.certification.rules import (
    Evidence,
    add_months,
    certificate_state,
    decide_eligibility,
    decide_requirement,
)

START = datetime(2026, 3, 31, 9, tzinfo=UTC)
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC))


def _cert(issued=START, programme_id=1, **changes):
    fields = dict(programme_id=programme_id, issued_at=issued, renew_from=issued + timedelta(days=300),
                  expires_at=issued + timedelta(days=365), grace_until=issued + timedelta(days=395), revoked_at=None,
                  superseded_by_id=None)
    return SimpleNamespace(**(fields | changes))


@given(st.lists(st.integers(min_value=0, max_value=500), min_size=2, max_size=6))
def test_a_certificate_only_moves_forward_through_its_states(days):
    order = ["valid", "expiring", "grace", "expired"]
    seen = [order.index(certificate_state(_cert(), START + timedelta(days=d))) for d in sorted(days)]
    assert seen == sorted(seen)


def test_revoked_and_superseded_win_over_the_dates():
    assert certificate_state(_cert(revoked_at=START), START) == "revoked"
    assert certificate_state(_cert(superseded_by_id=2), START) == "superseded"


@given(moments, st.integers(min_value=0, max_value=120))
def test_adding_months_keeps_the_day_or_the_months_last_day(moment, months):
    later = add_months(moment, months)
    assert (later.year * 12 + later.month) - (moment.year * 12 + moment.month) == months
    assert later.day == moment.day or (later.day < moment.day and (later + timedelta(days=1)).day == 1)


@given(st.lists(st.tuples(st.integers(min_value=-1, max_value=100), st.integers(min_value=0, max_value=60)),
                max_size=6), st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=60))
def test_an_exam_is_met_by_a_score_at_least_the_minimum_since_the_given_day(rows, minimum, since_day):
    req = {"id": "written", "kind": "exam", "exam": "e", "min_score": minimum}
    proofs = [Proof(START + timedelta(days=day), float(score)) for score, day in rows]
    since = START + timedelta(days=since_day)
    result = decide_requirement(req, proofs, since, "/exams/")
    counted = [(score, day) for score, day in rows if day >= since_day]
    assert result.met == any(score >= minimum for score, _day in counted)
    assert result.link == (None if result.met else "/exams/e")
    if result.met:
        assert result.evidence_at == START + timedelta(days=min(d for s, d in counted if s >= minimum))


def test_a_standing_is_decided_from_plain_evidence():
    programme = SimpleNamespace(id=1, slug="p", title="P", definition={
        "prerequisites": ["base"],
        "requirements": [{"id": "c", "kind": "course", "course": "C-1"},
                         {"id": "s", "kind": "signoff", "title": "T", "pass_mark": 75, "checklist": []}],
        "recertification": {"requirements": [{"id": "c", "kind": "course", "course": "C-1"}]}})
    base = SimpleNamespace(id=2, slug="base", title="基礎")
    evidence = Evidence(programmes={"p": programme, "base": base}, step_prefixes={"course": "/courses/"},
                        proofs={("course", 7, "C-1"): [Proof(START)],
                                ("signoff", 7, (1, "s")): [Proof(START, 50.0, False), Proof(START, 80.0, True)]})
    state = decide_eligibility(7, programme, evidence, START)
    assert state.kind == ApplicationKind.INITIAL and [r.met for r in state.results] == [True, True]
    assert state.results[1].detail == "80%" and state.missing_prerequisites == ["基礎"] and not state.met
    evidence.certificates[7] = [_cert(programme_id=2), _cert(START - timedelta(days=330))]
    renewing = decide_eligibility(7, programme, evidence, START)
    assert renewing.kind == ApplicationKind.RENEWAL and renewing.working_towards
    assert renewing.met  # the course was completed after the certificate being renewed was issued
    assert evidence.proofs_for(7, programme.definition["requirements"][1], Scope(1))[1].percent == 80.0
