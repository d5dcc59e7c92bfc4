"""The board as CSV: every filtered person, UTF-8 with a byte-order mark, formulas neutralised, streamed."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from lms.csv_export import BOM, FORMULA_STARTS, csv_line, csv_stream, safe_cell
from lms.db import db
from tests.board.conftest import add_people, client_for
from tests.test_query_counts import counting


def _rows(response) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_export_has_a_bom_the_filters_and_no_formulas(app, world):
    world["fine"].name = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    client = client_for(app, world["manager"])
    response = client.get("/board/export.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _rows(response)
    assert rows[0][:4] == ["工號", "姓名", "團隊", "狀態"]
    assert len(rows) == 4 and "趙他組" not in str(rows)
    assert any(cell == "'=HYPERLINK(\"http://x\")" for row in rows for cell in row)
    assert not any(cell.startswith(("=", "@")) for row in rows for cell in row)
    overdue = _rows(client.get("/board/export.csv?status=overdue"))
    assert [r[1] for r in overdue[1:]] == ["王逾期"]


def test_the_export_is_for_managers_and_administrators(app, world):
    assert client_for(app, world["trainer"]).get("/board/export.csv").status_code == 403
    assert len(_rows(client_for(app, world["admin"]).get("/board/export.csv"))) == 5


def _export_statements(app, manager) -> int:
    client = client_for(app, manager)
    with counting() as statements:
        response = client.get("/board/export.csv")
        body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.startswith(BOM)
    return len(statements)


def test_an_export_of_3_people_runs_the_same_statements_as_one_of_300(app, world, make):
    from lms.accounts.models import Role

    small_manager, large_manager = make.user(Role.MANAGER), make.user(Role.MANAGER)
    small, large = make.team("小組", managers=[small_manager]), make.team("大組", managers=[large_manager])
    add_people(small, 3, "S")
    ids = add_people(large, 300, "L")
    for user_id in ids[:50]:  # some with results, so every per-page query has rows to read
        from lms.accounts.models import User
        from tests.board.conftest import exam_result

        exam_result(db.session.get(User, user_id), 60)
    assert _export_statements(app, small_manager) == _export_statements(app, large_manager)


def test_csv_cells_never_start_a_formula_and_numbers_may_stay():
    assert safe_cell("=1+2") == "'=1+2" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\t=x") == "'\t=x" and safe_cell("+cmd") == "'+cmd"
    assert safe_cell("-12.5") == "'-12.5" and safe_cell("-12.5", keep_numbers=True) == "-12.5"
    assert safe_cell("-1+2", keep_numbers=True) == "'-1+2"
    assert safe_cell(None) == "" and safe_cell(42) == "42"
    assert csv_line(["=a", "b,c"]) == "'=a,\"b,c\"\r\n"
    lines = list(csv_stream(["名稱"], [["甲"], ["=乙"]]))
    assert lines == [BOM + "名稱\r\n", "甲\r\n", "'=乙\r\n"]


@given(st.text(max_size=40), st.booleans())
def test_a_cell_is_never_a_formula(text, keep_numbers):
    cell = safe_cell(text, keep_numbers)
    assert cell == text or cell == "'" + text
    if not keep_numbers:
        assert not cell.startswith(FORMULA_STARTS)


def test_the_export_reads_every_person_across_batches(app, world):
    from lms.board.readiness import BoardFilter, iter_rows

    with app.test_request_context("/"):
        rows = list(iter_rows([world["north"].id, world["south"].id], BoardFilter(sort="name"), batch=2))
    assert sorted(r.name for r in rows) == ["李完成", "王逾期", "陳準時"]
    assert next(r for r in rows if r.name == "陳準時").certificate.days_left == 20


def test_a_simplified_chinese_reader_gets_the_titles_in_simplified_chinese(app, world):
    from lms.accounts.models import Locale, User

    db.session.get(User, world["manager"].id).locale = Locale.ZH_HANS
    db.session.commit()
    rows = _rows(client_for(app, world["manager"]).get("/board/export.csv"))
    cells = [cell for row in rows[1:] for cell in row]
    assert rows[0][:4] == ["工号", "姓名", "团队", "状态"]
    assert any("测试" in cell for cell in cells) and not any("測試" in cell for cell in cells)
