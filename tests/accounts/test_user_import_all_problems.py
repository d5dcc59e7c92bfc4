"""Users CSV: every problem of every row is reported at once (issue 12, item 21)."""

import io

from sqlalchemy import func, select

from lms.accounts.models import Role, User
from lms.accounts.user_import import parse_user_csv
from lms.db import db
from tests.accounts.test_user_import import TODAY, csv_bytes, good_rows


def test_a_row_repeating_both_number_and_email_of_an_earlier_row_reports_both():
    rows = good_rows(2) + ["A00001,重複,staff1@example.com,,,,"]
    result = parse_user_csv(csv_bytes(rows), TODAY)
    assert [(e.row, e.column) for e in result.errors] == [(4, "employee_no"), (4, "email")]


def test_a_bad_row_still_counts_for_duplicates_further_down():
    rows = good_rows(2)
    rows[0] = rows[0].replace("2026-03-02", "明天")  # row 2 is bad, yet its number is taken
    rows.append("A00001,重複,new@example.com,,,,")
    result = parse_user_csv(csv_bytes(rows), TODAY)
    assert [(e.row, e.column) for e in result.errors] == [(2, "hire_date"), (4, "employee_no")]


def test_the_database_checks_run_on_rows_with_other_problems_too(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    make.team("客服一組")
    make.user(employee_no="A00003")
    rows = good_rows(3)
    rows[0] = "A00001,員工1,not-an-email,2026-03-02,不存在的組,learner,zh_Hant"  # row 2: e-mail and team
    rows[2] = rows[2].replace("2026-03-02", "昨天")  # row 4: date, and the number exists already
    before = db.session.scalar(select(func.count()).select_from(User))
    response = client.post("/admin/users/import", data={"file": (io.BytesIO(csv_bytes(rows)), "users.csv")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    summary = html.split("error-summary", 1)[1]
    assert response.status_code == 200
    assert "not-an-email" in summary and "不存在的組" in summary  # both problems of row 2
    assert "昨天" in summary and "A00003" in summary  # both problems of row 4
    assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_a_row_with_too_many_cells_still_has_its_cells_checked():
    rows = good_rows(1) + ["A00002,員工2,not-an-email,2026-03-02,客服一組,learner,zh_Hant,多的一格"]
    result = parse_user_csv(csv_bytes(rows), TODAY)
    assert [(e.row, e.column) for e in result.errors] == [(3, "-"), (3, "email")]
