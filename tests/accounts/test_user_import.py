import csv
import io
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from lms.accounts.models import Role, User
from lms.accounts.user_import import CELL_PARSERS, HEADERS, MAX_ROWS, parse_user_csv
from lms.audit.models import AuditEvent
from lms.db import db

TODAY = date(2026, 11, 25)
HEADER = "employee_no,name,email,hire_date,team,roles,locale"


def csv_bytes(rows, header=HEADER, bom=False) -> bytes:
    text = "\r\n".join([header, *rows]) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def good_rows(n, team="客服一組", start=1):
    return [f"A{i:05d},員工{i},staff{i}@example.com,2026-03-02,{team},learner,zh_Hant" for i in range(start, start + n)]


# ---------------------------------------------------------------- the pure parser


def test_parses_utf8_with_and_without_bom():
    for bom in (False, True):
        result = parse_user_csv(csv_bytes(good_rows(3), bom=bom), TODAY)
        assert result.errors == []
        assert [r.employee_no for r in result.rows] == ["A00001", "A00002", "A00003"]


def test_accepts_big5_as_saved_by_traditional_chinese_excel():
    data = (HEADER + "\r\nA1,陳小明,a1@example.com,,,learner,\r\n").encode("cp950")
    result = parse_user_csv(data, TODAY)
    assert result.errors == [] and result.rows[0].name == "陳小明" and result.encoding == "big5"


def test_chinese_headers_and_semicolon_separated_file():
    data = "工號;姓名;電子郵件;角色\nB7;王小華;b7@example.com;學員、講師\n".encode()
    result = parse_user_csv(data, TODAY)
    assert result.errors == []
    assert result.rows[0].roles == {Role.LEARNER, Role.TRAINER}


def test_three_bad_rows_each_named_with_row_and_column():
    rows = good_rows(5)
    rows[1] = "A00002,員工2,not-an-email,2026-03-02,客服一組,learner,zh_Hant"  # row 3
    rows[2] = "A00003,員工3,staff3@example.com,2026-13-45,客服一組,learner,zh_Hant"  # row 4
    rows[4] = "A00005,員工5,staff5@example.com,2026-03-02,客服一組,wizard,zh_Hant"  # row 6
    result = parse_user_csv(csv_bytes(rows), TODAY)
    assert [(e.row, e.column) for e in result.errors] == [(3, "email"), (4, "hire_date"), (6, "roles")]
    assert "wizard" in result.errors[2].message


def test_duplicates_within_the_file_name_both_rows():
    rows = good_rows(2) + ["A00001,重複,other@example.com,,,,"]
    result = parse_user_csv(csv_bytes(rows), TODAY)
    assert len(result.errors) == 1
    assert result.errors[0].row == 4 and "2" in result.errors[0].message


def test_missing_and_unknown_columns_are_reported_on_row_one():
    result = parse_user_csv("工號,姓名,favourite colour\nA1,x,\n".encode(), TODAY)
    columns = {e.column for e in result.errors}
    assert "email" in columns and "favourite colour" in columns
    assert all(e.row == 1 for e in result.errors)


def test_empty_file_header_only_and_not_text():
    assert parse_user_csv(b"", TODAY).errors[0].row == 1
    assert parse_user_csv((HEADER + "\n").encode(), TODAY).errors[0].row == 2
    assert parse_user_csv(b"\xff\xfe\x00\x00garbage\x00", TODAY).errors


def test_full_width_employee_numbers_are_folded():
    result = parse_user_csv(csv_bytes(["ａ１２３,全形,fw@example.com,,,,"]), TODAY)
    assert result.rows[0].employee_no == "A123"


def test_too_many_rows_is_refused():
    result = parse_user_csv(csv_bytes(good_rows(MAX_ROWS + 1)), TODAY)
    assert any("at most" in e.message for e in result.errors)


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.lists(cell, min_size=0, max_size=9), max_size=8), st.booleans())
def test_property_any_table_is_parsed_without_crashing_and_errors_name_rows(table, with_header):
    buf = io.StringIO()
    writer = csv.writer(buf)
    if with_header:
        writer.writerow(HEADER.split(","))
    writer.writerows(table)
    result = parse_user_csv(buf.getvalue().encode("utf-8"), TODAY)
    assert result.rows or result.errors
    for error in result.errors:
        assert error.row >= 1 and error.column and error.message
    if result.errors:
        return
    assert len({r.employee_no for r in result.rows}) == len(result.rows)


@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=300))
def test_property_arbitrary_bytes_never_crash(data):
    result = parse_user_csv(data, TODAY)
    assert result.rows or result.errors


@settings(max_examples=300, deadline=None)
@given(n=st.integers(min_value=1, max_value=40), bad=st.data())
def test_property_one_bad_row_is_reported_at_its_number(n, bad):
    rows = good_rows(n)
    index = bad.draw(st.integers(min_value=0, max_value=n - 1))
    rows[index] = rows[index].replace("@example.com", "@@example")
    result = parse_user_csv(csv_bytes(rows), TODAY)
    assert [(e.row, e.column) for e in result.errors] == [(index + 2, "email")]


# ---------------------------------------------------------------- through the admin page


def _upload(client, data: bytes, invite=False):
    return client.post("/admin/users/import", data={
        "file": (io.BytesIO(data), "users.csv"), "send_invitations": "y" if invite else ""},
        content_type="multipart/form-data")


def test_admin_creates_a_team_and_imports_500_users(client, auth, make, outbox):
    auth.login(make.user(Role.ADMIN))
    assert client.post("/admin/teams/new", data={"name": "客服二組", "description": "夜班"}).status_code == 302
    response = _upload(client, csv_bytes(good_rows(500, team="客服二組"), bom=True), invite=True)
    assert response.status_code == 302
    count = db.session.scalar(select(func.count()).select_from(User).where(User.employee_no.like("A%")))
    assert count == 500
    assert len(outbox) == 500
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "user.imported")) == 1


def test_bad_rows_are_listed_and_nothing_is_written(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    make.team("客服一組")
    rows = good_rows(50)
    rows[9] = rows[9].replace("@example.com", "")          # row 11
    rows[19] = rows[19].replace("客服一組", "不存在的組")  # row 21
    rows[29] = rows[29].replace("2026-03-02", "昨天")       # row 31
    before = db.session.scalar(select(func.count()).select_from(User))
    response = _upload(client, csv_bytes(rows))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for row in ("<td>11</td>", "<td>21</td>", "<td>31</td>"):
        assert row in html
    assert "3" in html.split("error-summary", 1)[1][:300]
    assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_existing_employee_number_is_a_row_error(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    make.user(employee_no="A00002")
    response = _upload(client, csv_bytes(good_rows(3, team="")))
    assert response.status_code == 200 and "<td>3</td>" in response.get_data(as_text=True)


def test_oversize_upload_is_refused_before_parsing(app, client, auth, make):
    auth.login(make.user(Role.ADMIN))
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = _upload(client, b"x" * 4096)
    assert response.status_code == 413


def test_example_file_downloads_with_bom(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    response = client.get("/admin/users/import/example.csv")
    assert response.data.startswith("\ufeff".encode()) and "attachment" in response.headers["Content-Disposition"]
    assert parse_user_csv(response.data, TODAY).errors == []


def test_every_column_has_its_parser_and_reports_under_its_own_name():
    assert set(CELL_PARSERS) == set(HEADERS)
    bad = {"employee_no": "!!", "name": "", "email": "bad", "hire_date": "abc", "team": "t" * 120,
           "roles": "wizard", "locale": "klingon"}
    result = parse_user_csv(csv_bytes([",".join(bad[c] for c in HEADER.split(","))]), TODAY)
    assert [e.column for e in result.errors] == HEADER.split(",")
