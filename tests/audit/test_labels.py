"""Every audit action the code records has a label and a summary in words (issue 12, item 16)."""

import ast
import re
from pathlib import Path

from lms.audit.labels import ACTIONS, OBJECT_TYPES

LMS = Path(__file__).resolve().parents[2] / "lms"


def _constants(node) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def recorded() -> dict[str, set[str]]:
    """Action → object types of every record_event / record_read call in lms/ (literals, conditional
    expressions of literals, and names assigned from them in the same module)."""
    found: dict[str, set[str]] = {}
    for path in LMS.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned: dict[str, set[str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, set()).update(_constants(node.value))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("record_event", "record_read")):
                continue
            if isinstance(node.func, ast.Name) and len(node.args) >= 2:
                first, kind = node.args[0], node.args[1]
                actions = assigned.get(first.id, set()) if isinstance(first, ast.Name) else _constants(first)
                actions = {a for a in actions if re.fullmatch(r"[a-z_]+\.[a-z_]+", a)}  # not a dict key
                assert actions, f"{path}:{node.lineno}: the action must be a literal"
                for action in actions:
                    found.setdefault(action, set()).update(_constants(kind))
    return found


def test_the_scan_finds_the_known_actions():
    actions = recorded()
    assert {"call.assessed", "user.roles_changed", "user.updated", "attempt.mark_overridden",
            "login.failed", "login.throttled", "audit.exported"} <= set(actions)


def test_every_recorded_action_and_object_type_has_words():
    actions = recorded()
    assert sorted(set(actions) - set(ACTIONS)) == []
    kinds = set().union(*actions.values())
    assert sorted(kinds - set(OBJECT_TYPES)) == []


def _submitted(summary, **after):
    from lms.audit.models import AuditEvent

    return AuditEvent(action="attempt.submitted", object_type="attempt", object_id="1", summary=summary, after=after)


def test_a_submitted_attempt_waiting_for_grading_reads_as_words_not_none(app):
    from flask_babel import force_locale

    from lms.audit.labels import summarise

    with app.test_request_context("/"), force_locale("en"):
        waiting = summarise(_submitted("learner: None", score=None, percent=None, passed=None), "Exam, attempt 1")
        graded = summarise(_submitted("deadline: 85.0", score=8.5, percent=85.0, passed=True), "Exam, attempt 1")
        old = summarise(_submitted("", percent=40.0, passed=False), "Exam, attempt 1")
    assert waiting == "Exam, attempt 1: waiting for a trainer to grade (submitted by the learner)"
    assert graded == "Exam, attempt 1: 85.0%, passed (submitted by the deadline)"
    assert old == "Exam, attempt 1: 40.0%, not passed"


def test_a_changed_mark_names_the_reason_given(app):
    from flask_babel import force_locale

    from lms.audit.labels import summarise
    from lms.audit.models import AuditEvent

    event = AuditEvent(action="attempt.mark_overridden", object_type="attempt_question", object_id="3",
                       summary="attempt 12 #3: 同義詞也算對", before={"score": 0}, after={"score": 2, "comment": ""})
    with app.test_request_context("/"), force_locale("en"):
        assert summarise(event, "Answer") == "Answer: 0 → 2 points (同義詞也算對)"


def test_kpi_imports_read_as_words(app):
    from flask_babel import force_locale

    from lms.audit.labels import summarise
    from lms.audit.models import AuditEvent

    figures = {"file": "2026-11.csv", "rows": 40, "first_period": "2026-11-01", "last_period": "2026-11-30",
               "values": 120}
    imported = AuditEvent(action="kpi.imported", object_type="kpi_import", object_id="1", after=figures,
                          summary="120 KPI values from 40 rows")
    replaced = AuditEvent(action="kpi.replaced", object_type="kpi_import", object_id="1", after=figures,
                          before={"values": 30}, summary="30 KPI values of 2026-11-01–2026-11-30 replaced")
    with app.test_request_context("/"), force_locale("zh_Hant"):
        assert summarise(imported, "2026-11.csv") == "2026-11.csv：從 40 列匯入 120 筆數值"
        assert summarise(replaced, "2026-11.csv") == "2026-11.csv：取代了 2026-11-01 – 2026-11-30 的 30 筆數值"


def test_kpis_and_their_imports_are_named(app):
    from lms.audit.subjects import describe_objects
    from lms.db import db
    from lms.kpi.models import KpiDefinition, KpiDirection, KpiImport, PeriodKind

    kpi = KpiDefinition(code="fcr", name="首次解決率", unit="%", direction=KpiDirection.HIGHER, min_value=0,
                        max_value=100)
    upload = KpiImport(filename="2026-11.csv", period_kind=PeriodKind.MONTH)
    db.session.add_all([kpi, upload])
    db.session.flush()
    names = describe_objects([("kpi", "fcr"), ("kpi_import", str(upload.id)), ("kpi", "nope"), ("user", "999")])
    assert names == {("kpi", "fcr"): "首次解決率", ("kpi_import", str(upload.id)): "2026-11.csv"}
    db.session.rollback()


def test_where_a_published_course_came_from_reads_as_words(app):
    """course.published records the version's source, "file" or "editor": shown in words, not as the code."""
    from flask_babel import force_locale

    from lms.audit.labels import changes
    from lms.audit.models import AuditEvent

    for source, words in (("file", "由內容檔案匯入"), ("editor", "於網頁中編輯")):
        event = AuditEvent(action="course.published", object_type="course", object_id="1", summary="TST-101 v2",
                           after={"version": 2, "source": source})
        with app.test_request_context("/"), force_locale("zh_Hant"):
            assert ("來源", "", words) in changes(event)
