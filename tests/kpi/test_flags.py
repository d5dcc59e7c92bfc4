"""The KPI flagging rule: the wrong side of the threshold by direction, the team's threshold before the
centre's and the file's, the latest period only, the recommended courses, recovery after training; the
loader's threshold checks; statements that do not grow with the number of agents."""

import shutil
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from lms.courses.models import Course, Enrolment, EnrolmentSource
from lms.curriculum.importer import load_tree
from lms.db import db
from lms.kpi.flag_rules import choose_threshold, recovered_after, wrong_side
from lms.kpi.flags import kpi_flags_for
from lms.kpi.loader import load_kpis
from lms.kpi.models import KpiDefinition, KpiDirection, KpiFlagAssignment, KpiRecord, KpiThreshold, PeriodKind
from tests.factories import FIXTURE_CONTENT, SHIPPED_CONTENT
from tests.test_query_counts import counting

MONTHS = [date(2026, m, 1) for m in range(1, 7)]
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(finite, finite)
def test_the_wrong_side_depends_on_the_direction(value, threshold):
    assert wrong_side(value, threshold, KpiDirection.HIGHER) == (value < threshold)
    assert wrong_side(value, threshold, KpiDirection.LOWER) == (value > threshold)
    # a value meeting the threshold exactly is never flagged, whichever the direction
    assert not wrong_side(threshold, threshold, KpiDirection.HIGHER)
    assert not wrong_side(threshold, threshold, KpiDirection.LOWER)


@given(st.none() | finite, st.none() | finite, st.none() | finite)
def test_the_team_threshold_comes_first_then_the_centre_then_the_file(default, centre, team):
    chosen = choose_threshold(default, centre, team)
    assert chosen == (team if team is not None else centre if centre is not None else default)


def test_recovery_needs_a_period_after_completion_meeting_the_threshold():
    values = {date(2026, 1, 1): 60.0, date(2026, 2, 1): 75.0, date(2026, 3, 1): 65.0}
    assert recovered_after(values, date(2026, 1, 1), 70, KpiDirection.HIGHER)
    assert not recovered_after(values, date(2026, 2, 1), 70, KpiDirection.HIGHER)  # the period of completion itself
    assert recovered_after(values, date(2026, 2, 1), 66, KpiDirection.LOWER)


def _kpi(code: str) -> KpiDefinition:
    return db.session.scalar(select(KpiDefinition).where(KpiDefinition.code == code))


def _values(user, code: str, values) -> None:
    kpi = _kpi(code)
    db.session.execute(delete(KpiRecord).where(KpiRecord.user_id == user.id, KpiRecord.kpi_id == kpi.id))
    for month, value in zip(MONTHS, values, strict=False):
        db.session.add(KpiRecord(user_id=user.id, kpi_id=kpi.id, period_kind=PeriodKind.MONTH, period_start=month,
                                 value=value))
    db.session.flush()


def _course(code: str) -> Course:
    return db.session.scalar(select(Course).where(Course.code == code))


@pytest.fixture
def team(make):
    make.content()  # fcr: higher is better, threshold 70; aht: lower is better, threshold 400
    return make.team("旗標組")


def test_higher_is_better_flags_below_and_lower_is_better_flags_above(make, team):
    agent = make.user(team=team)
    _values(agent, "fcr", [80, 69.9])
    _values(agent, "aht", [300, 401])
    flags = kpi_flags_for([agent.id])[agent.id]
    assert [(f.kpi_code, f.value, f.threshold, f.period) for f in flags] == [
        ("fcr", 69.9, 70, MONTHS[1]), ("aht", 401, 400, MONTHS[1])]
    _values(agent, "fcr", [80, 70])
    _values(agent, "aht", [300, 400])
    assert kpi_flags_for([agent.id]) == {}


def test_only_the_latest_period_counts(make, team):
    agent = make.user(team=team)
    _values(agent, "fcr", [50, 55, 72])
    assert kpi_flags_for([agent.id]) == {}
    _values(agent, "fcr", [90, 90, 69])
    assert [f.period for f in kpi_flags_for([agent.id])[agent.id]] == [MONTHS[2]]


def test_a_team_threshold_overrides_the_centres_which_overrides_the_files(make, team):
    other = make.team("別組")
    ours, theirs = make.user(team=team), make.user(team=other)
    for agent in (ours, theirs):
        _values(agent, "fcr", [65])
    fcr = _kpi("fcr")
    db.session.add(KpiThreshold(kpi_id=fcr.id, team_id=None, value=60))
    db.session.flush()
    assert kpi_flags_for([ours.id, theirs.id]) == {}
    db.session.add(KpiThreshold(kpi_id=fcr.id, team_id=team.id, value=66))
    db.session.flush()
    flags = kpi_flags_for([ours.id, theirs.id])
    assert list(flags) == [ours.id] and flags[ours.id][0].threshold == 66


def test_recommended_courses_teach_the_items_and_leave_out_completed_and_open_ones(make, team):
    agent = make.user(team=team)
    _values(agent, "fcr", [60])
    flag = kpi_flags_for([agent.id])[agent.id][0]
    assert sorted(c.code for c in flag.recommended) == ["TST-101", "TST-201"]  # lessons teach 4.1.1-b, 5.2.1-a
    assert {c.title for c in flag.recommended} == {"測試基礎課", "測試投訴處理"}
    assert flag.assigned == [] and flag.recovering is None
    db.session.add(Enrolment(user_id=agent.id, course_id=_course("TST-101").id, source=EnrolmentSource.ASSIGNED,
                             completed_at=datetime(2025, 12, 1, tzinfo=UTC)))
    db.session.add(Enrolment(user_id=agent.id, course_id=_course("TST-201").id, source=EnrolmentSource.ASSIGNED))
    db.session.flush()
    flag = kpi_flags_for([agent.id])[agent.id][0]
    assert flag.recommended == [] and [c.code for c in flag.assigned] == ["TST-201"]


def test_recovering_compares_with_the_value_when_the_completed_course_was_assigned(make, team):
    agent = make.user(team=team)
    _values(agent, "fcr", [60, 64])
    course = _course("TST-201")
    db.session.add(KpiFlagAssignment(user_id=agent.id, kpi_id=_kpi("fcr").id, course_id=course.id, value=60,
                                     threshold=70, period_kind=PeriodKind.MONTH, period_start=MONTHS[0]))
    db.session.add(Enrolment(user_id=agent.id, course_id=course.id, source=EnrolmentSource.ASSIGNED))
    db.session.flush()
    assert kpi_flags_for([agent.id])[agent.id][0].recovering is None  # assigned, not completed
    db.session.scalar(select(Enrolment).where(Enrolment.user_id == agent.id)).completed_at = datetime(
        2026, 1, 20, tzinfo=UTC)
    db.session.flush()
    assert kpi_flags_for([agent.id])[agent.id][0].recovering is True
    _values(agent, "fcr", [60, 58])
    assert kpi_flags_for([agent.id])[agent.id][0].recovering is False
    _values(agent, "fcr", [60, 71])
    assert kpi_flags_for([agent.id]) == {}  # the flag clears by itself


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=1, max_size=6),
       threshold=st.floats(min_value=0, max_value=100, allow_nan=False), lower=st.booleans())
def test_an_agent_is_flagged_iff_the_latest_value_is_on_the_wrong_side(make, team, values, threshold, lower):
    agent = make.user(team=team)
    fcr = _kpi("fcr")
    fcr.direction = KpiDirection.LOWER if lower else KpiDirection.HIGHER
    fcr.threshold = threshold
    _values(agent, "fcr", values)
    flagged = any(f.kpi_code == "fcr" for f in kpi_flags_for([agent.id]).get(agent.id, []))
    assert flagged == wrong_side(values[-1], threshold, fcr.direction)
    db.session.rollback()


def test_three_or_thirty_agents_take_the_same_statements(make, team):
    agents = [make.user(team=team) for _ in range(30)]
    for i, agent in enumerate(agents):
        _values(agent, "fcr", [60 + i % 20, 55 + i % 20])
        _values(agent, "aht", [380 + i, 390 + i])
    db.session.add(Enrolment(user_id=agents[0].id, course_id=_course("TST-101").id, source=EnrolmentSource.ASSIGNED))
    ids = [a.id for a in agents]
    db.session.commit()
    kpi_flags_for(ids[:1])  # the transaction's BEGIN is not the function's
    counts = []
    for group in (ids[:3], ids):
        with counting() as statements:
            flags = kpi_flags_for(group)
        assert flags
        counts.append(len(statements))
    assert counts[0] == counts[1]


@pytest.fixture
def tree(tmp_path):
    target = tmp_path / "tree"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def test_a_bad_threshold_names_its_line(app, tree):
    (tree / "courses" / "kpis.yaml").write_text(
        "kpis:\n"
        "  - {code: fcr, name: 甲, unit: percent, direction: higher, range: [0, 100], threshold: 120}\n"
        "  - code: aht\n"
        "    name: 乙\n"
        "    unit: seconds\n"
        "    direction: lower\n"
        "    range: [0, 600]\n"
        "    threshold: 很快\n", encoding="utf-8")
    with app.test_request_context():
        _specs, errors = load_kpis(tree / "courses")
    assert [(e.path, e.line, e.field) for e in errors] == [("courses/kpis.yaml", 2, "threshold"),
                                                           ("courses/kpis.yaml", 8, "threshold")]


def test_the_shipped_thresholds_are_within_range(app):
    with app.test_request_context():
        kpis = load_tree(SHIPPED_CONTENT).kpis
    assert all(k.threshold is not None and k.min_value <= k.threshold <= k.max_value for k in kpis)
    assert {k.code: k.threshold for k in kpis}["frt"] == 30  # wider than the centre target of 20 s on its chart


def test_a_threshold_edit_in_the_file_keeps_the_trainers_mapping(app, make, tree):
    from lms.curriculum.importer import import_tree
    from lms.kpi.definitions import set_kpi_items

    make.content(tree)
    with app.test_request_context("/"):
        set_kpi_items(_kpi("fcr"), ["4.1.1-a"])
    db.session.commit()
    text = (tree / "courses" / "kpis.yaml").read_text(encoding="utf-8").replace("threshold: 70", "threshold: 75")
    (tree / "courses" / "kpis.yaml").write_text(text, encoding="utf-8")
    with app.test_request_context("/"):
        import_tree(tree)
    assert _kpi("fcr").threshold == 75
    from lms.kpi.definitions import kpi_by_code

    assert [i.code for i in kpi_by_code("fcr").items] == ["4.1.1-a"]


def test_many_agents_are_read_in_chunks_with_the_same_result(make, team, monkeypatch):
    from lms.kpi import flags as module

    agents = [make.user(team=team) for _ in range(5)]
    for i, agent in enumerate(agents):
        _values(agent, "fcr", [60 + 3 * i])
    whole = kpi_flags_for([a.id for a in agents])
    monkeypatch.setattr(module, "CHUNK", 2)
    assert kpi_flags_for([a.id for a in agents]) == whole and len(whole) == 4  # 60 … 69 below 70, 72 not


def test_courses_already_assigned_count_towards_the_few_recommended(make, team, monkeypatch):
    from lms.kpi import flags as module

    monkeypatch.setattr(module, "RECOMMENDED_AT_MOST", 1)
    agent = make.user(team=team)
    _values(agent, "fcr", [60])
    first = kpi_flags_for([agent.id])[agent.id][0].recommended
    assert len(first) == 1
    db.session.add(Enrolment(user_id=agent.id, course_id=_course(first[0].code).id, source=EnrolmentSource.ASSIGNED))
    db.session.flush()
    flag = kpi_flags_for([agent.id])[agent.id][0]
    assert flag.recommended == [] and flag.assigned == first  # no next course until this one is completed
