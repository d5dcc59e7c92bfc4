"""KPI definitions as content: the loader names file, line and field; the import syncs them and seeds the
mapping only when the file's entry changes, so a trainer's mapping survives a re-import."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.content.files import ContentErrors
from lms.curriculum.importer import import_tree, load_tree
from lms.db import db
from lms.errors import DomainError
from lms.kpi.definitions import kpis_with_items, set_kpi_items
from lms.kpi.loader import load_kpis
from lms.kpi.models import KpiDefinition, KpiDirection
from tests.factories import FIXTURE_CONTENT, SHIPPED_CONTENT


@pytest.fixture
def tree(tmp_path) -> Path:
    target = tmp_path / "tree"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def _write(tree: Path, text: str) -> None:
    (tree / "courses" / "kpis.yaml").write_text(text, encoding="utf-8")


def test_the_shipped_kpis_load_with_the_seven_of_the_standard_and_practice(app):
    with app.test_request_context():
        kpis = load_tree(SHIPPED_CONTENT).kpis
    assert [k.code for k in kpis] == ["frt", "fcr", "csat", "aht", "complaint_rate", "quality_score",
                                      "compliance_findings"]
    fcr = kpis[1]
    assert fcr.direction is KpiDirection.HIGHER and (fcr.min_value, fcr.max_value) == (0, 100)
    assert [r.value for r in fcr.reference_lines] == [70, 80]
    assert "7.1.1-b" in fcr.items


def test_every_problem_names_its_line_and_field(app, tree):
    _write(tree, "kpis:\n"
                 "  - code: FCR\n"            # line 2: upper case
                 "    name: 首次解決率\n"
                 "    unit: percent\n"
                 "    direction: up\n"         # line 5
                 "    range: [100, 0]\n"       # line 6
                 "    items: [9.9.9-z]\n"      # line 7
                 "  - code: aht\n"
                 "    name: 處理時間\n"
                 "    unit: hours\n"           # line 10
                 "    direction: lower\n"
                 "    range: [0, 60]\n"
                 "    reference_lines: [{label: 目標, value: 90}]\n")  # line 13
    with app.test_request_context(), pytest.raises(ContentErrors) as caught:
        load_tree(tree)
    found = {(e.path, e.line, e.field) for e in caught.value.errors}
    assert {("courses/kpis.yaml", 2, "code"), ("courses/kpis.yaml", 5, "direction"),
            ("courses/kpis.yaml", 6, "range"), ("courses/kpis.yaml", 7, "items"),
            ("courses/kpis.yaml", 10, "unit"), ("courses/kpis.yaml", 13, "reference_lines")} <= found


def test_a_code_used_twice_is_refused(app, tree):
    entry = "  - {code: fcr, name: 甲, unit: percent, direction: higher, range: [0, 100]}\n"
    _write(tree, "kpis:\n" + entry + entry)
    with app.test_request_context():
        _specs, errors = load_kpis(tree / "courses")
    assert [(e.line, e.field) for e in errors] == [(3, "code")]


def test_no_file_means_no_kpis(app, tree):
    (tree / "courses" / "kpis.yaml").unlink()
    with app.test_request_context():
        assert load_kpis(tree / "courses") == ([], [])


def test_import_is_idempotent_and_keeps_the_trainers_mapping(app, tree):
    with app.test_request_context("/"):
        import_tree(tree)
        fcr = db.session.scalar(select(KpiDefinition).where(KpiDefinition.code == "fcr"))
        assert [i.code for i in next(k for k in kpis_with_items() if k.kpi.code == "fcr").items] == ["4.1.1-b", "5.2.1-a"]
        set_kpi_items(fcr, ["4.1.1-a", "5.2.1-b"])
        report = import_tree(tree)
        assert ("KPIs", "0 new, 0 changed, 2 unchanged") in report.lines
        mapped = next(k for k in kpis_with_items() if k.kpi.code == "fcr").items
        assert [i.code for i in mapped] == ["4.1.1-a", "5.2.1-b"] and all(i.title for i in mapped)
        # the file's entry changes: the file's mapping is written again; a KPI gone from the file retires
        _write(tree, "kpis:\n  - {code: fcr, name: 首解率, unit: percent, direction: higher, range: [0, 100],"
                     " items: [4.1.3-a]}\n")
        import_tree(tree)
        assert [(k.kpi.code, k.kpi.name, [i.code for i in k.items]) for k in kpis_with_items()] == [
            ("fcr", "首解率", ["4.1.3-a"])]


def test_unknown_items_are_refused_in_the_editor(app, make):
    make.content()
    with app.test_request_context("/"):
        fcr = db.session.scalar(select(KpiDefinition).where(KpiDefinition.code == "fcr"))
        with pytest.raises(DomainError):
            set_kpi_items(fcr, ["4.1.1-a", "9.9.9-z"])
